"""The national directories' APIs as the synchronisation uses them.

KMHFL (the Kenya Master Health Facility List): OAuth2 password grant at ``/o/token/``, then
``GET /api/facilities/facilities/?format=json&page_size=…&updated_after=…`` followed page by
page through ``next``. NEMIS publishes no open API description; the adapter speaks the shape
in docs/integrations.md (``GET /api/schools/?updated_after=…`` paged like KMHFL, ``GET
/api/learners/<upi>/``, an API key as a bearer token), to be confirmed with the NEMIS team.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import requests

PAGE_SIZE = 500
MAX_PAGES = 1000  # a runaway ``next`` chain stops here


class ReferenceError(Exception):
    """The directory could not be reached or answered out of its contract."""

    def __init__(self, message: str, *, http_status: int | None = None):
        super().__init__(message)
        self.http_status = http_status


@dataclass
class _Api:
    base_url: str
    timeout: float = 30

    def _get(self, url: str, *, headers: dict, params: dict | None = None) -> dict:
        if urlsplit(url).netloc != urlsplit(self.base_url).netloc:
            raise ReferenceError("the directory's next page points to another host")
        try:
            response = requests.get(
                url,
                params=params,
                headers={"Accept": "application/json", **headers},
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise ReferenceError(f"no answer within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise ReferenceError(f"unreachable: {type(error).__name__}") from None
        if response.status_code != 200:
            raise ReferenceError(
                f"answered {response.status_code}", http_status=response.status_code
            )
        try:
            body = response.json()
        except ValueError:
            raise ReferenceError("answered without JSON", http_status=200) from None
        if not isinstance(body, dict):
            raise ReferenceError("answered an unexpected document")
        return body

    def _pages(self, path: str, *, headers: dict, params: dict) -> Iterator[dict]:
        url: str | None = f"{self.base_url.rstrip('/')}{path}"
        for _page in range(MAX_PAGES):
            if not url:
                return
            body = self._get(url, headers=headers, params=params)
            results = body.get("results")
            if not isinstance(results, list):
                raise ReferenceError("answered a page without results")
            yield from (r for r in results if isinstance(r, dict))
            url, params = body.get("next"), None  # ``next`` carries the query
        raise ReferenceError(f"more than {MAX_PAGES} pages")


@dataclass
class KmhflClient(_Api):
    username: str = ""
    password: str = ""
    client_id: str = ""
    client_secret: str = ""

    def _token(self) -> str:
        try:
            response = requests.post(
                f"{self.base_url.rstrip('/')}/o/token/",
                data={
                    "grant_type": "password",
                    "username": self.username,
                    "password": self.password,
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            raise ReferenceError(f"unreachable: {type(error).__name__}") from None
        if response.status_code in (400, 401, 403):
            raise ReferenceError(
                f"refused the sign-in ({response.status_code})", http_status=response.status_code
            )
        if response.status_code != 200:
            raise ReferenceError(
                f"answered {response.status_code}", http_status=response.status_code
            )
        try:
            return str(response.json()["access_token"])
        except (ValueError, KeyError, TypeError):
            raise ReferenceError("answered the sign-in without a token") from None

    def facilities(self, updated_after: datetime | None) -> Iterator[dict]:
        """Facility records (changed after ``updated_after`` when given), as the CSV
        importer's columns."""
        headers = {"Authorization": f"Bearer {self._token()}"}
        params = {"format": "json", "page_size": PAGE_SIZE}
        if updated_after:
            params["updated_after"] = updated_after.isoformat()
        for record in self._pages("/api/facilities/facilities/", headers=headers, params=params):
            row = {k: ("" if v is None else str(v)) for k, v in record.items()}
            lat_long = record.get("lat_long")
            if isinstance(lat_long, list | tuple) and len(lat_long) == 2:
                row["latitude"], row["longitude"] = (str(x) for x in lat_long)
            yield row


@dataclass
class NemisClient(_Api):
    api_key: str = ""

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.api_key}"}

    def schools(self, updated_after: datetime | None) -> Iterator[dict]:
        params = {"page_size": PAGE_SIZE}
        if updated_after:
            params["updated_after"] = updated_after.isoformat()
        for record in self._pages("/api/schools/", headers=self._headers(), params=params):
            yield {k: ("" if v is None else str(v)) for k, v in record.items()}

    def learner_known(self, upi: str) -> bool:
        """Whether NEMIS knows the UPI (ReferenceError when NEMIS cannot say)."""
        url = f"{self.base_url.rstrip('/')}/api/learners/{requests.utils.quote(upi, safe='')}/"
        try:
            self._get(url, headers=self._headers())
        except ReferenceError as error:
            if error.http_status == 404:
                return False
            raise
        return True
