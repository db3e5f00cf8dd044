"""Schema migrations, configured in code (no alembic.ini at the top level).

SQLite migrates by itself when the store opens (one file, one association: nobody should
need a command). PostgreSQL serves several app servers at once, so there migrations are an
explicit deployment step, ``python cli.py db upgrade``, and an app server that finds the
schema behind refuses to start with that instruction instead of racing its peers.

Two deployments running ``db upgrade`` at once must not both create the tables (PostgreSQL
answers the loser with ``duplicate key … pg_type_typname_nsp_index``): a PostgreSQL run
takes a transaction-scoped advisory lock first, so the second waits and then finds the
schema current. On SQLite the write lock (``BEGIN IMMEDIATE``) does the same, and foreign
keys are off for the run (a batch migration copies a table and drops the old one, which
would otherwise fire ``ON DELETE SET NULL`` on the rows that refer to it) and checked after.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from store.db import is_sqlite, writer

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


MIGRATION_LOCK = 0x534D4531  # pg_advisory_xact_lock key: "SME1"


def _run(engine: Engine, action: str, target: str) -> None:
    cfg = _config()
    sqlite = is_sqlite(engine)
    with writer(engine).connect() as conn:
        if sqlite:  # outside any transaction, or SQLite ignores it
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            # One transaction for the whole run: on SQLite it holds the write lock (BEGIN
            # IMMEDIATE), on PostgreSQL DDL is transactional too, so a failed migration
            # leaves nothing half-done.
            with conn.begin():
                if not sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                cfg.attributes["connection"] = conn
                if action == "upgrade":
                    command.upgrade(cfg, target)
                else:
                    command.downgrade(cfg, target)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"the migration left rows whose foreign keys point nowhere: {broken[:5]}")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, target: str = "head") -> None:
    _run(engine, "upgrade", target)


def downgrade(engine: Engine, target: str) -> None:
    _run(engine, "downgrade", target)


def is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def ensure_schema(engine: Engine, migrate: bool | None = None) -> None:
    """Migrate (SQLite by default) or check that the schema is current (raises otherwise)."""
    from store.errors import SchemaNotCurrent

    if migrate is None:
        migrate = is_sqlite(engine)
    if migrate:
        if not is_current(engine):
            upgrade(engine)
        return
    current = current_revision(engine)
    if current != head_revision():
        url = engine.url.render_as_string(hide_password=True)
        raise SchemaNotCurrent(
            f"the database {url} is at schema revision {current or 'none'}, the code needs "
            f"{head_revision()}: run `python cli.py db upgrade` (with the same DATABASE_URL)"
        )
