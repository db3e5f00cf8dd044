"""Staff accounts: argon2id password hashes and a lock after repeated failures.

Five wrong passwords in a row lock an account for 15 minutes: enough to stop online
guessing, short enough that a facilitator who mistyped is back before the workshop ends.
``Accounts`` is a mixin of ``store.repository.Store`` (which provides ``read``, ``write``
and ``clock``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from store.errors import InvalidValue, NotFound, UserExists
from store.models import users
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

        A locked account says no even to the right password until the lock expires. The
        argon2 check (tens of milliseconds) runs outside any transaction; the counter is
        then updated in SQL (``failed_logins + 1``) so parallel attempts all count.
        """
        name = normalise_username(username or "")
        with self.read() as conn:
            row = conn.execute(select(users).where(users.c.username == name)).first()
        now = self.clock()
        if row is None:
            verify_password(None, password or "")  # same time as a wrong password
            return None
        if row.locked_until is not None and row.locked_until > now:
            return None
        ok = verify_password(row.password_hash, password or "")
        with self.write() as conn:
            if ok:
                values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
                if needs_rehash(row.password_hash):
                    values["password_hash"] = hash_password(password)
                conn.execute(update(users).where(users.c.id == row.id).values(**values))
                return _user(conn.execute(select(users).where(users.c.id == row.id)).one())
            failures = conn.execute(
                update(users)
                .where(users.c.id == row.id)
                .values(failed_logins=users.c.failed_logins + 1)
                .returning(users.c.failed_logins)
            ).scalar_one()
            if failures >= MAX_FAILURES:
                # the count restarts, so after the lock the user has five fresh attempts
                conn.execute(
                    update(users).where(users.c.id == row.id).values(failed_logins=0, locked_until=now + LOCK_FOR)
                )
        return None

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
