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


def planner_options(options: dict, random_page_cost: str) -> dict:
    """The connection options with the planner told that a random page read costs
    ``random_page_cost`` (1.1: data on SSD or in memory, as on every machine we run on;
    PostgreSQL's default of 4 assumes spinning disks and makes it scan a whole table of case
    records rather than look up 250 of them). Empty: the server's own setting (for a
    connection pooler that refuses the ``options`` start-up parameter)."""
    if not random_page_cost:
        return options
    cost = float(random_page_cost)
    if not 0 < cost <= 100:
        raise DatabaseURLError(f"CPIMS_PG_RANDOM_PAGE_COST must be above 0 (got {cost:g})")
    setting = f"-c random_page_cost={cost:g}"
    return {**options, "options": f"{options.get('options', '')} {setting}".strip()}
