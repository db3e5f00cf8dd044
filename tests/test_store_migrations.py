"""Migrations: empty → head, head → base → head, the models match the migrations, and
the ``db`` command; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import cli
from store import SchemaNotCurrent, Store, open_store
from store import migrate as mig
from store.db import make_engine
from store.models import metadata

pytest_plugins = ["tests.conftest_store"]

TABLES = {
    "questionnaire_versions", "workshops", "assessments", "users", "settings", "tags", "pool_cells", "pool_progress",
    "rescores", "workshop_sharing", "tab_tokens", "throttle", "teams", "team_members",
    "import_batches", "import_rows", "import_mappings",
}


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_empty_to_head_then_base_then_head(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        assert tables(engine) == set() and mig.current_revision(engine) is None
        mig.upgrade(engine)
        assert tables(engine) == TABLES and mig.is_current(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == [], f"store/models.py and the migrations disagree: {diff}"
        indexes = {i["name"] for i in inspect(engine).get_indexes("assessments")}
        assert {"ix_assessments_workshop_id", "ix_assessments_previous_id"} <= indexes
        assert not indexes & {"ix_assessments_province", "ix_assessments_submitted_at"}  # the summaries do that now

        mig.downgrade(engine, "base")
        assert tables(engine) == set() and mig.current_revision(engine) is None
        mig.upgrade(engine)
        assert tables(engine) == TABLES and mig.is_current(engine)
    finally:
        engine.dispose()


def test_sqlite_migrates_by_itself_postgresql_asks_for_the_command(empty_db_url):
    if empty_db_url.startswith("sqlite"):
        store = open_store(empty_db_url)
        assert mig.is_current(store.engine)
        return
    with pytest.raises(SchemaNotCurrent, match="python cli.py db upgrade"):
        Store(empty_db_url)
    assert Store(empty_db_url, migrate=True).dialect == "postgresql"  # explicit opt-in works


def test_db_command(empty_db_url, capsys):
    assert cli.main(["db", "current", "--url", empty_db_url]) == 0
    assert "revision none" in capsys.readouterr().out
    assert cli.main(["db", "upgrade", "--url", empty_db_url]) == 0
    assert f"revision {mig.head_revision()} (current)" in capsys.readouterr().out
    assert cli.main(["db", "downgrade", "--url", empty_db_url]) == 1
    assert "needs a revision" in capsys.readouterr().err
    assert cli.main(["db", "downgrade", "base", "--url", empty_db_url]) == 0
    assert "revision none" in capsys.readouterr().out
    engine = make_engine(empty_db_url)
    assert tables(engine) == set()
    engine.dispose()


def test_db_command_reports_an_unreachable_database(capsys):
    assert cli.main(["db", "upgrade", "--url", "postgresql://nobody@127.0.0.1:1/none"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot use the database") and "Traceback" not in err
