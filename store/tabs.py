"""A browser tab's short-lived key to an assessment, and attempt limits.

The resume code opens an assessment for good, so it must not sit in the address bar, where
it lands in histories, proxy logs and shared screenshots. Once a code is read (typed, or
from the "continue later" link the owner chose to keep), the tab gets a random token
instead: ``?t=…`` in the URL survives a reload, expires after ``TAB_IDLE`` without use, and
opens nothing after that. The database keeps only the token's hash and the code sealed with
a pad derived from the token (``sealed = code XOR sha256("sme-tab-seal:" + token)``): a
one-time pad, as each random token seals exactly one code. A copy of the database alone, without the
token, yields no code (the code itself is stored only as a hash).

``hit`` counts attempts per key (a browser session, a client address) in a sliding
window, atomically in the database, so several app servers share one count.

A mixin of ``store.repository.Store`` (``read``, ``write``, ``clock``, ``_find``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, case, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store import codes
from store.models import tab_tokens, throttle

TAB_IDLE = timedelta(hours=4)
_SEAL = b"sme-tab-seal:"


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(b"sme-tab:" + token.encode("ascii", "ignore")).digest()


def _pad(token: str, length: int) -> bytes:
    return hashlib.sha256(_SEAL + token.encode("ascii", "ignore")).digest()[:length]


def _seal(token: str, code: str) -> bytes:
    raw = code.encode("ascii")
    return bytes(a ^ b for a, b in zip(raw, _pad(token, len(raw))))


def _unseal(token: str, sealed: bytes) -> str | None:
    raw = bytes(a ^ b for a, b in zip(sealed, _pad(token, len(sealed))))
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        return None


class Tabs:
    if TYPE_CHECKING:
        clock: Callable[[], datetime]

        def write(self) -> AbstractContextManager[Connection]: ...

        def read(self) -> AbstractContextManager[Connection]: ...

        def _find(self, conn: Connection, code: str | None, *, lock: bool = False) -> Row[Any] | None: ...

    def open_tab(self, code: str) -> str | None:
        """A new tab token for the assessment with this resume code (None when no assessment
        has it). Tokens idle longer than ``TAB_IDLE`` are swept on the way."""
        canonical = codes.normalise(code, codes.RESUME_LENGTH)
        if canonical is None:
            return None
        shown = "-".join(canonical[i : i + 4] for i in range(0, codes.RESUME_LENGTH, 4))
        token = secrets.token_urlsafe(18)
        now = self.clock()
        with self.write() as conn:
            row = self._find(conn, shown)
            if row is None:
                return None
            conn.execute(delete(tab_tokens).where(tab_tokens.c.last_used_at < now - TAB_IDLE))
            conn.execute(
                insert(tab_tokens).values(
                    token_hash=_token_hash(token), assessment_id=row.id, sealed_code=_seal(token, shown),
                    created_at=now, last_used_at=now,
                )
            )
        return token

    def tab_code(self, token: str | None) -> str | None:
        """The resume code behind a tab token still in use, or None (unknown, or idle too long)."""
        if not token or not isinstance(token, str) or len(token) > 64:
            return None
        now = self.clock()
        digest = _token_hash(token)
        with self.write() as conn:
            row = conn.execute(select(tab_tokens).where(tab_tokens.c.token_hash == digest)).first()
            if row is None:
                return None
            if row.last_used_at < now - TAB_IDLE:
                conn.execute(delete(tab_tokens).where(tab_tokens.c.token_hash == digest))
                return None
            conn.execute(update(tab_tokens).where(tab_tokens.c.token_hash == digest).values(last_used_at=now))
        return _unseal(token, row.sealed_code)

    def close_tab(self, token: str | None) -> None:
        if token:
            with self.write() as conn:
                conn.execute(delete(tab_tokens).where(tab_tokens.c.token_hash == _token_hash(token)))

    def hit(self, key: str, window: timedelta) -> int:
        """Count one attempt under ``key``; returns the attempts in the current window (the
        window restarts once it is older than ``window``). One statement, so parallel
        attempts all count."""
        now = self.clock()
        fresh = throttle.c.window_start < now - window
        insert_ = pg_insert if self.dialect == "postgresql" else sqlite_insert  # type: ignore[attr-defined]
        stmt = insert_(throttle).values(key=key[:80], window_start=now, attempts=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[throttle.c.key],
            set_={
                "attempts": case((fresh, 1), else_=throttle.c.attempts + 1),
                "window_start": case((fresh, now), else_=throttle.c.window_start),
            },
        ).returning(throttle.c.attempts)
        with self.write() as conn:
            return int(conn.execute(stmt).scalar_one())

    def attempts(self, key: str, window: timedelta) -> int:
        """Attempts under ``key`` in the current window, without counting one."""
        with self.read() as conn:
            row = conn.execute(select(throttle).where(throttle.c.key == key[:80])).first()
        if row is None or row.window_start < self.clock() - window:
            return 0
        return int(row.attempts)
