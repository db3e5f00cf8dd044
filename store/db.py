"""Which database, and an engine tuned for it.

``DATABASE_URL`` (environment, else ``.streamlit/secrets.toml``) selects the database; the
default is a SQLite file, ``data/app.db`` in the project, created on first use.

SQLite is tuned for a web app with a handful of concurrent writers:
- WAL, so readers never wait for a writer and a writer never waits for readers;
- a busy timeout, so a second writer waits its turn instead of failing at once;
- write transactions open with ``BEGIN IMMEDIATE``. With pysqlite's default deferred
  ``BEGIN``, a transaction that reads and then writes can meet ``database is locked``
  *without* waiting (SQLite cannot upgrade a stale read snapshot), and the busy timeout
  does not help. Taking the write lock up front makes writers queue instead.
  Read-only work keeps a deferred ``BEGIN`` so dashboards never block submissions.

PostgreSQL gets pre-ping (a load balancer or failover may cut idle connections) and a
bounded pool per app server.
"""

from __future__ import annotations

import json
import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "app.db"
BUSY_TIMEOUT_MS = 15_000
# The execution option that marks a connection as a writer (see module docstring).
WRITE = "store_write"


class RawJSON(str):
    """JSON text that is already serialised: stored as is.

    Bulk inserts use it so a value shared by many rows is serialised once, not per row.
    """


def dump_json(value: Any) -> str:
    if isinstance(value, RawJSON):
        return value  # not str(value): that would copy a shared, possibly large text per row
    # allow_nan=False: PostgreSQL's jsonb refuses NaN, so fail the same way on SQLite
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _secrets_files() -> list[Path]:
    seen: list[Path] = []
    for base in (Path.cwd(), PROJECT_ROOT):
        path = (base / ".streamlit" / "secrets.toml").resolve()
        if path not in seen:
            seen.append(path)
    return seen


def url_from_secrets() -> str | None:
    """``DATABASE_URL = "..."`` or ``[connections.sql] url = "..."`` in secrets.toml."""
    for path in _secrets_files():
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue  # Streamlit reports a broken secrets file itself
        url = data.get("DATABASE_URL") or data.get("connections", {}).get("sql", {}).get("url")
        if url:
            return str(url)
    return None


def normalise_url(url: str | URL) -> str:
    """Pick the installed driver: ``postgres://`` and ``postgresql://`` mean psycopg 3 here
    (SQLAlchemy's default would be psycopg2, which is not a dependency)."""
    u = make_url(url)
    if u.drivername in ("postgres", "postgresql"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def resolve_url(url: str | None = None) -> str:
    if url:
        return normalise_url(url)
    found = os.environ.get("DATABASE_URL") or url_from_secrets()
    if found:
        return normalise_url(found)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def is_sqlite(url_or_engine: str | URL | Engine) -> bool:
    if isinstance(url_or_engine, Engine):
        return url_or_engine.dialect.name == "sqlite"
    return make_url(url_or_engine).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_size", 5)
        kwargs.setdefault("max_overflow", 10)
        return create_engine(u, json_serializer=dump_json, **kwargs)

    database = u.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("pool_size", 8)
    kwargs.setdefault("max_overflow", 16)
    engine = create_engine(u, json_serializer=dump_json, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so pysqlite must not: it would BEGIN DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a power cut may lose the last commit only
        cursor.execute("PRAGMA foreign_keys = ON")
        # a deleted row's bytes are overwritten, not left in free pages ("delete my data")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA threads = 2")  # lets GROUP BY sorts use a helper thread
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions take the write lock up front on SQLite."""
    return engine.execution_options(**{WRITE: True})
