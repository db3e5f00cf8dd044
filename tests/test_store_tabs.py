"""Tab tokens and attempt limits, on SQLite and PostgreSQL: a reload keeps working, an old
token opens nothing, the database alone holds no resume code, attempts count atomically."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from scoring.model import FirmProfile
from store import Store
from store.models import tab_tokens
from store.tabs import TAB_IDLE

pytest_plugins = ["tests.conftest_store"]


class Clock:
    def __init__(self, store: Store):
        self.now = store.clock()

    def __call__(self):
        return self.now


def test_a_token_gives_back_the_code_until_it_idles_out(store, tiny_q):
    clock = Clock(store)
    store.clock = clock
    _, code = store.create_draft(tiny_q, FirmProfile())
    token = store.open_tab(code.lower().replace("-", " "))
    assert token and code not in token
    assert store.tab_code(token) == code
    clock.now += TAB_IDLE - timedelta(minutes=1)
    assert store.tab_code(token) == code  # used: its idle time starts again
    clock.now += TAB_IDLE - timedelta(minutes=1)
    assert store.tab_code(token) == code
    clock.now += TAB_IDLE + timedelta(minutes=1)
    assert store.tab_code(token) is None  # idle too long: gone for good
    clock.now -= TAB_IDLE * 3
    assert store.tab_code(token) is None


def test_unknown_tokens_and_codes_open_nothing(store, tiny_q):
    assert store.open_tab("ABCD-EFGH-JKMN") is None
    assert store.open_tab("not a code") is None
    for token in ("", None, "x" * 500, "nonsense"):
        assert store.tab_code(token) is None
    _, code = store.create_draft(tiny_q, FirmProfile())
    token = store.open_tab(code)
    store.close_tab(token)
    assert store.tab_code(token) is None


def test_the_database_alone_holds_no_resume_code(store, tiny_q):
    _, code = store.create_draft(tiny_q, FirmProfile())
    token = store.open_tab(code)
    with store.read() as conn:
        row = conn.execute(select(tab_tokens)).one()
    assert code.encode() not in bytes(row.sealed_code) and code.replace("-", "").encode() not in bytes(row.sealed_code)
    assert token.encode() not in bytes(row.token_hash)
    assert store.tab_code(token) == code


def test_deleting_the_assessment_deletes_its_tabs(store, tiny_q):
    _, code = store.create_draft(tiny_q, FirmProfile())
    token = store.open_tab(code)
    assert store.delete(code)
    assert store.tab_code(token) is None
    with store.read() as conn:
        assert conn.execute(select(tab_tokens)).first() is None


def test_attempts_count_in_a_window_and_in_parallel(store):
    clock = Clock(store)
    store.clock = clock
    window = timedelta(minutes=10)
    assert [store.hit("resume:a", window) for _ in range(3)] == [1, 2, 3]
    assert store.attempts("resume:a", window) == 3 and store.attempts("resume:b", window) == 0
    clock.now += window + timedelta(seconds=1)
    assert store.attempts("resume:a", window) == 0
    assert store.hit("resume:a", window) == 1  # a new window
    seen: list[int] = []
    lock = threading.Lock()

    def attempt() -> None:
        n = store.hit("resume:c", window)
        with lock:
            seen.append(n)

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(seen) == list(range(1, 13))  # every attempt counted once
