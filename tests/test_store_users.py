"""Staff accounts: argon2 hashes, authentication, the lock after five failures, ``user add``."""

from __future__ import annotations

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import cli
from store import InvalidValue, UserExists, accounts, open_store
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


# ------------------------------------------------------------------ the lockout under a race


class _CountingVerifier:
    """Wraps ``store.accounts.verify_password``: counts the checks against a real hash (the
    dummy check for a locked or unknown account passes ``None``), and can hold wrong-password
    checks until released, to line attempts up exactly as an attacker's burst would."""

    def __init__(self, real, right_password: str, hold: bool, hold_right: bool = False):
        self.real = real
        self.right = right_password
        self.hold = hold
        self.hold_right = hold_right
        self.lock = threading.Lock()
        self.checked: list[str] = []  # the passwords checked against the real hash, in order
        self.release = threading.Event()

    def __call__(self, password_hash, password):
        if password_hash is not None:
            with self.lock:
                self.checked.append(password)
            if (self.hold and password != self.right) or (self.hold_right and password == self.right):
                assert self.release.wait(60), "held checks were never released"
        return self.real(password_hash, password)

    def real_checks(self) -> int:
        with self.lock:
            return len(self.checked)


def _wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_burst_of_guesses_checks_five_and_refuses_the_right_password_after_them(store, monkeypatch):
    """Deterministic, so it cannot pass by luck: the five tries are claimed and their checks
    held mid-way (as slow argon2 checks would be); the other fourteen guesses and then the right
    password arrive while those five are still being checked. The right password must be
    refused without its password being checked, and no more than five checks may ever run.
    (Before the fix: the lock was read, then checked, then counted, so every attempt passed
    the lock while the first five were still being checked, and the right one got in.)"""
    store.add_user("minh", "right-password", "programme")
    verifier = _CountingVerifier(accounts.verify_password, "right-password", hold=True)
    monkeypatch.setattr(accounts, "verify_password", verifier)
    results: list = []
    with ThreadPoolExecutor(max_workers=19) as pool:
        futures = [pool.submit(store.authenticate, "minh", f"wrong-{i}") for i in range(19)]
        assert _wait_for(lambda: verifier.real_checks() >= accounts.MAX_FAILURES and sum(f.done() for f in futures) >= 14)
        assert verifier.real_checks() == accounts.MAX_FAILURES  # 5 held, 14 refused unchecked
        assert store.authenticate("minh", "right-password") is None  # arrives after the limit
        assert verifier.real_checks() == accounts.MAX_FAILURES  # ... and was not even checked
        verifier.release.set()
        results = [f.result(timeout=60) for f in futures]
    assert results == [None] * 19
    assert verifier.real_checks() == accounts.MAX_FAILURES
    user = store.get_user("minh")
    assert user.failed_logins == accounts.MAX_FAILURES and store.is_locked("minh")
    assert store.authenticate("minh", "right-password") is None  # still locked


@pytest.mark.parametrize("trial", range(2))
def test_nineteen_wrong_and_the_right_one_in_parallel(store, monkeypatch, trial):
    """20 threads released together, in any order. The right password's check (when it gets a
    try at all) is held until every guess has had its answer, so the outcome cannot depend on
    how fast one argon2 check was: exactly five passwords are checked, the right one is
    accepted exactly when it was one of those five, and otherwise it is refused unchecked and
    the account stays locked."""
    store.add_user("minh", "right-password", "programme")
    verifier = _CountingVerifier(accounts.verify_password, "right-password", hold=False, hold_right=True)
    monkeypatch.setattr(accounts, "verify_password", verifier)
    passwords = [f"wrong-{i}" for i in range(19)]
    passwords.insert(trial * 7 % 20, "right-password")
    start = threading.Barrier(len(passwords))

    def attempt(password: str):
        start.wait(30)
        return store.authenticate("minh", password)

    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        futures = {p: pool.submit(attempt, p) for p in passwords}
        guesses = [f for p, f in futures.items() if p != "right-password"]
        assert [f.result(timeout=60) for f in guesses] == [None] * 19
        verifier.release.set()
        right = futures["right-password"].result(timeout=60)
    checked = list(verifier.checked)
    assert len(checked) == accounts.MAX_FAILURES, checked
    if "right-password" in checked:
        assert right is not None and right.username == "minh"
    else:
        assert right is None
        assert store.is_locked("minh")
        assert store.authenticate("minh", "right-password") is None


def test_locked_unknown_and_wrong_answer_alike(store, monkeypatch):
    """Each answers None after exactly one argon2 check: the same words and the same work."""
    now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    store.clock = lambda: now
    store.add_user("lan", "right-password", "facilitator")
    store.add_user("hoa", "right-password", "facilitator")
    for _ in range(accounts.MAX_FAILURES):
        store.authenticate("hoa", "wrong")
    assert store.is_locked("hoa")
    calls: list[str] = []
    real = accounts.hasher

    class CountingHasher:  # PasswordHasher has slots: wrap it instead of patching a method
        def verify(self, password_hash, password):
            calls.append(password_hash)
            return real.verify(password_hash, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(accounts, "hasher", CountingHasher())
    for username, password in (("lan", "wrong"), ("nobody", "right-password"), ("hoa", "right-password")):
        calls.clear()
        assert store.authenticate(username, password) is None
        assert len(calls) == 1, (username, calls)
    assert store.get_user("lan").failed_logins == 1  # the wrong password counted
    assert store.get_user("nobody") is None


def test_a_success_takes_back_only_its_own_try(store, monkeypatch):
    """The owner's right password is being checked while three guesses claim tries after it:
    the owner logs in, the three guesses stay counted (the success takes back only its own
    try), so a burst gains nothing from the owner's login; two more guesses lock."""
    store.add_user("minh", "right-password", "programme")
    verifier = _CountingVerifier(accounts.verify_password, "right-password", hold=False, hold_right=True)
    monkeypatch.setattr(accounts, "verify_password", verifier)
    with ThreadPoolExecutor(max_workers=1) as pool:
        owner = pool.submit(store.authenticate, "minh", "right-password")
        assert _wait_for(lambda: verifier.real_checks() == 1)
        for i in range(3):
            assert store.authenticate("minh", f"wrong-{i}") is None
        verifier.release.set()
        assert owner.result(timeout=60).username == "minh"
    assert store.get_user("minh").failed_logins == 3
    assert store.authenticate("minh", "wrong-3") is None
    assert not store.is_locked("minh")
    assert store.authenticate("minh", "wrong-4") is None
    assert store.is_locked("minh")
