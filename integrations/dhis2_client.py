"""DHIS2's Web API as the push uses it: the system info (a connection check) and the
dataValueSets import, all or nothing. Answers of DHIS2 2.36 and later (a WebMessage around the
import summary) and of older versions (the import summary alone) read alike."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests

CONFLICTS_KEPT = 50


class Dhis2Error(Exception):
    """DHIS2 could not be reached or did not answer as documented; ``retry`` when trying again
    later may succeed (unreachable, timeout, 5xx, 429)."""

    def __init__(self, message: str, *, retry: bool, http_status: int | None = None):
        super().__init__(message)
        self.retry = retry
        self.http_status = http_status


@dataclass
class ImportSummary:
    http_status: int
    status: str  # SUCCESS, WARNING, ERROR
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[dict] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Every value taken: no error, nothing ignored, no conflict."""
        return self.status in ("SUCCESS", "OK") and not self.ignored and not self.conflicts


def _summary(http_status: int, body: dict) -> ImportSummary:
    inner = body.get("response") if isinstance(body.get("response"), dict) else body
    if inner.get("responseType") not in (None, "ImportSummary"):
        raise Dhis2Error(f"DHIS2 answered {inner.get('responseType')}", retry=False)
    counts = inner.get("importCount") or {}
    conflicts = [
        {"object": str(c.get("object", "")), "value": str(c.get("value", ""))}
        for c in (inner.get("conflicts") or [])[:CONFLICTS_KEPT]
    ]
    return ImportSummary(
        http_status=http_status,
        status=str(inner.get("status") or body.get("status") or "ERROR"),
        imported=int(counts.get("imported", 0)),
        updated=int(counts.get("updated", 0)),
        ignored=int(counts.get("ignored", 0)),
        deleted=int(counts.get("deleted", 0)),
        conflicts=conflicts,
    )


@dataclass
class Dhis2Client:
    base_url: str
    username: str
    password: str
    timeout: float = 30

    def _url(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}/api/{path}"

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        try:
            response = requests.request(
                method,
                self._url(path),
                auth=(self.username, self.password),
                timeout=self.timeout,
                allow_redirects=False,
                headers=headers,
                **kwargs,
            )
        except requests.Timeout:
            raise Dhis2Error(
                f"DHIS2 did not answer within {self.timeout:g} s", retry=True
            ) from None
        except requests.RequestException as error:
            raise Dhis2Error(f"DHIS2 unreachable: {type(error).__name__}", retry=True) from None
        if response.status_code in (401, 403):
            raise Dhis2Error(
                "DHIS2 refused the user name or password",
                retry=False,
                http_status=response.status_code,
            )
        if response.status_code == 429 or response.status_code >= 500:
            raise Dhis2Error(
                f"DHIS2 answered {response.status_code}",
                retry=True,
                http_status=response.status_code,
            )
        if 300 <= response.status_code < 400:
            raise Dhis2Error(
                f"DHIS2 redirected ({response.status_code}): check the address",
                retry=False,
                http_status=response.status_code,
            )
        return response

    def _json(self, response: requests.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            raise Dhis2Error(
                f"DHIS2 answered {response.status_code} without JSON",
                retry=False,
                http_status=response.status_code,
            ) from None
        if not isinstance(body, dict):
            raise Dhis2Error("DHIS2 answered an unexpected document", retry=False)
        return body

    def system_info(self) -> str:
        """The instance's version ("DHIS2 2.40.3"), as a connection check."""
        response = self._send("GET", "system/info")
        if response.status_code != 200:
            raise Dhis2Error(
                f"DHIS2 answered {response.status_code}",
                retry=False,
                http_status=response.status_code,
            )
        return f"DHIS2 {self._json(response).get('version', '?')}"

    def data_value_sets(self, document: bytes, *, dry_run: bool) -> ImportSummary:
        """Import the values all or nothing (``atomicMode=ALL``), creating or updating."""
        response = self._send(
            "POST",
            "dataValueSets",
            params={
                "importStrategy": "CREATE_AND_UPDATE",
                "atomicMode": "ALL",
                "dryRun": "true" if dry_run else "false",
            },
            data=document,
            headers={"Content-Type": "application/json"},
        )
        if response.status_code not in (200, 201, 409):
            raise Dhis2Error(
                f"DHIS2 answered {response.status_code}",
                retry=False,
                http_status=response.status_code,
            )
        return _summary(response.status_code, self._json(response))
