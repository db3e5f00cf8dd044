"""The expected failures of the store: each is a message for a person, never a traceback."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every expected storage failure (the CLI prints it and exits 1)."""


class UnknownCode(StoreError, LookupError):
    """No assessment (or workshop) answers to this code: mistyped, deleted or never issued."""


class NotFound(StoreError, LookupError):
    """No row with this id."""


class AlreadySubmitted(StoreError):
    """A submitted assessment is frozen: its result must stay reproducible. Start a follow-up instead."""


class WorkshopClosed(StoreError):
    """The workshop no longer takes new assessments."""


class UserExists(StoreError):
    """A user with this name already exists."""


class InvalidValue(StoreError, ValueError):
    """An argument outside what the store accepts (a role, a round, a short password …)."""


class SchemaNotCurrent(StoreError):
    """The database schema is behind the code: run ``python cli.py db upgrade``."""
