"""Staff accounts: argon2id password hashes and a lock after repeated failures.

Five wrong passwords in a row lock an account for 15 minutes: enough to stop online
guessing, short enough that a facilitator who mistyped is back before the workshop ends.
``Accounts`` is a mixin of ``store.repository.Store`` (which provides ``read``, ``write``
and ``clock``).

Race-free: an attempt first claims one of the five tries in a single conditional UPDATE
(count it, and lock the account when it is the fifth), and only a claimed try has its
password checked. So twenty attempts in parallel check at most five passwords, and one
that arrives after the fifth is refused unchecked, even with the right password; a success
never clears a lock that other tries set. A locked
account, an unknown user and a wrong password each cost one UPDATE and one argon2 check,
and all three answer ``None``: alike in time and in words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, and_, case, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from store.errors import InvalidValue, NotFound, UserExists
from store.models import UTCDateTime, users
from store.records import ROLES, User

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
MIN_PASSWORD = 8
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")

hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the user does not exist, so "no such user" takes as long as "wrong password".
_DUMMY_HASH = hasher.hash("not a real password")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_new_user(username: str, password: str, role: str) -> str:
    name = normalise_username(username)
    if not _USERNAME.match(name):
        raise InvalidValue(
            f"username {username!r}: use 2–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
        )
    if role not in ROLES:
        raise InvalidValue(f"role {role!r}: choose one of {', '.join(ROLES)}")
    check_password(password)
    return name


def check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidValue(f"the password must have at least {MIN_PASSWORD} characters")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)


def _user(row: Row[Any]) -> User:
    m = row._mapping
    return User(
        id=m["id"], username=m["username"], role=m["role"], failed_logins=m["failed_logins"],
        locked_until=m["locked_until"], created_at=m["created_at"], last_login_at=m["last_login_at"],
    )


class Accounts:
    # provided by store.repository.Store
    if TYPE_CHECKING:
        clock: Callable[[], datetime]

        def write(self) -> AbstractContextManager[Connection]: ...

        def read(self) -> AbstractContextManager[Connection]: ...

    def add_user(self, username: str, password: str, role: str) -> User:
        name = check_new_user(username, password, role)
        password_hash = hash_password(password)  # slow on purpose: outside the transaction
        try:
            with self.write() as conn:
                new_id = conn.execute(
                    insert(users).values(
                        username=name, role=role, password_hash=password_hash, failed_logins=0, created_at=self.clock()
                    )
                ).inserted_primary_key[0]
                return _user(conn.execute(select(users).where(users.c.id == new_id)).one())
        except IntegrityError:
            raise UserExists(f"a user named {name!r} already exists") from None

    def get_user(self, username: str) -> User | None:
        with self.read() as conn:
            row = conn.execute(select(users).where(users.c.username == normalise_username(username))).first()
        return None if row is None else _user(row)

    def list_users(self) -> list[User]:
        with self.read() as conn:
            return [_user(r) for r in conn.execute(select(users).order_by(users.c.username))]

    def is_locked(self, username: str) -> bool:
        user = self.get_user(username)
        return bool(user and user.locked_until and user.locked_until > self.clock())

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password is right and the account not locked; else None.

        1. Claim a try: one conditional UPDATE counts the attempt, and sets the lock when it
           is the ``MAX_FAILURES``-th, unless the account is locked already (an expired lock
           starts a fresh count). No row claimed (locked, or no such user): check the
           password against a dummy hash, for the same time, and say no.
        2. Check the password (argon2, tens of milliseconds) outside any transaction.
        3. Right: clear the count (and the lock, if this try was the one that set it), as
           after any login, but only when no other try was claimed after this one; if some
           were, they stay counted, and so does a lock one of them set: only this try is taken
           back. Wrong: nothing more to write; the try was counted.
        """
        name = normalise_username(username or "")
        password = password or ""
        now = self.clock()
        claim = self._claim_try(name, now)
        if claim is None:
            verify_password(None, password)  # same work as a wrong password
            return None
        user_id, password_hash, count = claim
        if not verify_password(password_hash, password):
            return None
        new_hash = hash_password(password) if needs_rehash(password_hash) else None
        with self.write() as conn:
            values: dict[str, Any] = {"last_login_at": now}
            if new_hash:
                values["password_hash"] = new_hash
            cleared = conn.execute(
                update(users)
                .where(users.c.id == user_id, users.c.failed_logins == count)
                .values(failed_logins=0, locked_until=None, **values)
            ).rowcount
            if not cleared:  # tries came in after this one: they keep counting; take back only ours
                conn.execute(
                    update(users)
                    .where(users.c.id == user_id)
                    .values(failed_logins=case((users.c.failed_logins > 0, users.c.failed_logins - 1), else_=0), **values)
                )
            return _user(conn.execute(select(users).where(users.c.id == user_id)).one())

    def _claim_try(self, name: str, now: datetime) -> tuple[int, str, int] | None:
        """(id, password hash, tries counted so far) when this attempt may check a password."""
        expired = and_(users.c.locked_until.is_not(None), users.c.locked_until <= now)
        count = case((expired, 1), else_=users.c.failed_logins + 1)
        lock_at = literal(now + LOCK_FOR, UTCDateTime())
        with self.write() as conn:
            row = conn.execute(
                update(users)
                .where(users.c.username == name, or_(users.c.locked_until.is_(None), expired))
                # SET sees the row as it was, on SQLite and PostgreSQL alike
                .values(failed_logins=count, locked_until=case((count >= MAX_FAILURES, lock_at), else_=None))
                .returning(users.c.id, users.c.password_hash, users.c.failed_logins)
            ).first()
        return None if row is None else (row[0], row[1], row[2])

    def set_password(self, username: str, password: str) -> User:
        check_password(password)
        password_hash = hash_password(password)
        with self.write() as conn:
            name = normalise_username(username)
            done = conn.execute(
                update(users)
                .where(users.c.username == name)
                .values(password_hash=password_hash, failed_logins=0, locked_until=None)
            ).rowcount
            if not done:
                raise NotFound(f"no user named {name!r}")
            return _user(conn.execute(select(users).where(users.c.username == name)).one())

    def unlock(self, username: str) -> User:
        with self.write() as conn:
            name = normalise_username(username)
            done = conn.execute(
                update(users).where(users.c.username == name).values(failed_logins=0, locked_until=None)
            ).rowcount
            if not done:
                raise NotFound(f"no user named {name!r}")
            return _user(conn.execute(select(users).where(users.c.username == name)).one())
