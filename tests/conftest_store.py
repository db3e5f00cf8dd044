"""Storage fixtures: every storage test runs on SQLite (a temporary file) and on a real
PostgreSQL (a throwaway database ``sme_test_<random>`` made once per session through the
``postgres`` maintenance database and dropped at the end).

PostgreSQL at ``TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``).
When it cannot be reached the PostgreSQL half fails under CI (env ``CI`` set) and is skipped
loudly elsewhere. Loaded by the storage test modules through ``pytest_plugins``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from store import Store, close_stores
from store.db import make_engine
from store.migrate import upgrade
from tests.conftest import HIGH, LOW, TINY, load_yaml

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TABLES = "import_rows, import_batches, import_mappings, team_members, teams, tab_tokens, throttle, workshop_sharing, rescores, pool_cells, pool_progress, tags, assessments, workshops, users, settings, questionnaire_versions"


def _admin_engine():
    # AUTOCOMMIT: CREATE/DROP DATABASE cannot run inside a transaction
    return create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})


def _postgres_unavailable(exc: Exception) -> None:
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    message = f"PostgreSQL at {make_url(ADMIN_URL).render_as_string(hide_password=True)} unreachable: {reason}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set: PostgreSQL tests must run)", pytrace=False)
    banner = "!" * 78
    print(f"\n{banner}\n!! STORAGE TESTS ON POSTGRESQL SKIPPED — {message}\n{banner}", file=sys.stderr)
    warnings.warn(f"STORAGE TESTS ON POSTGRESQL SKIPPED: {message}", stacklevel=2)
    pytest.skip(f"POSTGRESQL NOT TESTED: {message}")


def create_pg_database(suffix: str = "") -> str:
    name = f"sme_test_{secrets.token_hex(4)}{suffix}"
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        _postgres_unavailable(exc)
    finally:
        admin.dispose()
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A migrated PostgreSQL database for the session."""
    url = create_pg_database()
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    yield url
    close_stores()
    drop_pg_database(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test gets a copy (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a fresh SQLite file, or the session's PostgreSQL
    database emptied (TRUNCATE … RESTART IDENTITY)."""
    if request.param == "sqlite":
        path = tmp_path / "app.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_database")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        engine.dispose()
    yield url
    close_stores()  # open_store() caches per URL; the next test's database is a new one


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (for the migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        close_stores()
        return
    url = create_pg_database("_m")
    yield url
    close_stores()
    drop_pg_database(url)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def tiny_q():
    return load_yaml(TINY, "tiny.yaml")


def submit_one(store: Store, questionnaire, answers=None, *, consent: bool = True, **profile):
    """Create a draft with this profile and submit it; returns (record, code)."""
    from scoring.model import FirmProfile

    extra = {k: profile.pop(k) for k in ("round", "workshop_code", "previous_code", "language") if k in profile}
    record, code = store.create_draft(questionnaire, FirmProfile(**profile), consent=consent, **extra)
    record, _ = store.submit(code, questionnaire, dict(HIGH if answers is None else answers))
    return record, code


@pytest.fixture
def high() -> dict:
    return dict(HIGH)


@pytest.fixture
def low() -> dict:
    return dict(LOW)


@pytest.fixture
def submit():
    """``submit(store, questionnaire, answers=HIGH, consent=True, **profile) -> (record, code)``."""
    return submit_one
