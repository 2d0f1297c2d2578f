"""Turn a ``DATABASE_URL`` into Django's DATABASES entry."""

from __future__ import annotations

from psycopg.conninfo import conninfo_to_dict


class DatabaseURLError(ValueError):
    """The DATABASE_URL cannot be used."""


def database_from_url(url: str) -> dict:
    """Parse a libpq URI (``postgresql://user:pw@host:port/db`` or ``?host=/socket/dir``)."""
    if not url.startswith(("postgres://", "postgresql://")):
        raise DatabaseURLError(
            f"DATABASE_URL must start with postgresql:// (got {url.split(':', 1)[0]!r})"
        )
    try:
        params = conninfo_to_dict(url)
    except Exception as exc:  # psycopg raises ProgrammingError for malformed URIs
        raise DatabaseURLError(f"DATABASE_URL is not a valid PostgreSQL URI: {exc}") from exc
    name = params.pop("dbname", None)
    if not name:
        raise DatabaseURLError("DATABASE_URL names no database (postgresql://host/DBNAME)")
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": name,
        "USER": params.pop("user", "") or "",
        "PASSWORD": params.pop("password", "") or "",
        "HOST": params.pop("host", "") or "",
        "PORT": str(params.pop("port", "") or ""),
        "OPTIONS": params,
    }
