"""Staff accounts: argon2 hashes, authentication, the lock after five failures, ``user add``."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import cli
from store import InvalidValue, UserExists, open_store
from store.models import users

pytest_plugins = ["tests.conftest_store"]


def test_add_and_authenticate(store):
    user = store.add_user("Lan.Nguyen", "mật-khẩu-dài", "facilitator")
    assert user.username == "lan.nguyen" and user.role == "facilitator"
    with store.read() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "mật-khẩu-dài" not in stored
    assert store.authenticate("LAN.NGUYEN ", "mật-khẩu-dài").username == "lan.nguyen"
    assert store.authenticate("lan.nguyen", "wrong password") is None
    assert store.authenticate("nobody", "mật-khẩu-dài") is None
    with pytest.raises(UserExists):
        store.add_user("lan.nguyen", "another-password", "admin")
    with pytest.raises(InvalidValue):
        store.add_user("minh", "password1", "superuser")
    with pytest.raises(InvalidValue):
        store.add_user("minh", "short", "admin")
    with pytest.raises(InvalidValue):
        store.add_user("a b", "password1", "admin")


def test_five_failures_lock_for_fifteen_minutes(store):
    now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    store.clock = lambda: now
    store.add_user("minh", "right-password", "programme")
    for _ in range(4):
        assert store.authenticate("minh", "wrong") is None
    assert store.authenticate("minh", "right-password") is not None  # success resets the count
    for _ in range(5):
        assert store.authenticate("minh", "wrong") is None
    assert store.is_locked("minh")
    assert store.authenticate("minh", "right-password") is None  # locked: even the right password
    now += timedelta(minutes=14, seconds=59)
    assert store.authenticate("minh", "right-password") is None
    now += timedelta(seconds=2)
    user = store.authenticate("minh", "right-password")
    assert user is not None and user.failed_logins == 0 and user.locked_until is None
    for _ in range(5):
        store.authenticate("minh", "wrong")
    assert store.unlock("minh").locked_until is None
    assert store.authenticate("minh", "right-password") is not None


def test_user_add_command_reads_the_password_from_stdin(db_url, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-good-password\n"))
    assert cli.main(["user", "add", "Hoa", "--role", "admin", "--url", db_url]) == 0
    assert "user hoa (admin) added" in capsys.readouterr().out
    assert open_store(db_url).authenticate("hoa", "a-good-password").role == "admin"

    monkeypatch.setattr("sys.stdin", io.StringIO("another-password\n"))
    assert cli.main(["user", "add", "hoa", "--role", "admin", "--url", db_url]) == 1
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["user", "add", "tam", "--role", "facilitator", "--url", db_url]) == 1
    assert "no password" in capsys.readouterr().err
    assert cli.main(["user", "add", "tam", "--url", db_url]) == 1
    assert "--role" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a password is never an argument
        cli.main(["user", "add", "tam", "secret-password", "--role", "admin", "--url", db_url])
    assert cli.main(["user", "list", "--url", db_url]) == 0
    assert "hoa\tadmin" in capsys.readouterr().out
