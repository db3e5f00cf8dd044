"""Which database: DATABASE_URL, then .streamlit/secrets.toml, then data/app.db; and the
SQLite connection settings (WAL, busy timeout, foreign keys)."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import close_stores, open_store
from store import db as store_db
from store.db import DEFAULT_SQLITE_PATH, make_engine, normalise_url, resolve_url


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    # only the temporary working directory may hold a secrets file
    monkeypatch.setattr(store_db, "_secrets_files", lambda: [tmp_path / ".streamlit" / "secrets.toml"])
    return tmp_path


def test_default_is_data_app_db(no_env):
    assert resolve_url() == f"sqlite:///{DEFAULT_SQLITE_PATH}"
    assert DEFAULT_SQLITE_PATH.parent.name == "data" and DEFAULT_SQLITE_PATH.name == "app.db"


def test_environment_wins_over_secrets(no_env, monkeypatch):
    secrets = no_env / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('DATABASE_URL = "sqlite:///from-secrets.db"\n')
    assert resolve_url() == "sqlite:///from-secrets.db"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/prod")
    assert resolve_url() == "postgresql+psycopg://u:p@db.example/prod"
    assert resolve_url("sqlite:///explicit.db") == "sqlite:///explicit.db"


def test_streamlit_connection_section(no_env):
    secrets = no_env / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('[connections.sql]\nurl = "postgresql://app@10.0.0.5/sme"\n')
    assert resolve_url() == "postgresql+psycopg://app@10.0.0.5/sme"
    secrets.write_text("not toml = = =")
    assert resolve_url() == f"sqlite:///{DEFAULT_SQLITE_PATH}"  # Streamlit reports a broken file itself


def test_normalise_keeps_explicit_drivers():
    assert normalise_url("postgresql+psycopg://x@h/d") == "postgresql+psycopg://x@h/d"
    assert normalise_url("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"


def test_sqlite_file_created_on_first_run_in_wal_with_busy_timeout(tmp_path):
    path = tmp_path / "data" / "app.db"
    store = open_store(f"sqlite:///{path}")
    try:
        assert path.exists()
        with store.read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store_db.BUSY_TIMEOUT_MS
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert open_store(f"sqlite:///{path}") is store  # one store per URL per process
    finally:
        close_stores()


def test_make_engine_makes_the_folder(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'x.db'}")
    with engine.connect():
        pass
    engine.dispose()
    assert Path(tmp_path / "a" / "b" / "x.db").exists()
