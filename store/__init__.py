"""Storage: drafts, submissions, workshops and accounts (SQLAlchemy 2; SQLite or PostgreSQL).

``open_store()`` is the way in: one ``Store`` per database URL per process, shared by all
sessions and threads. ``scoring/`` never imports this package.
"""

from __future__ import annotations

import threading

from store.aggregates import Filters
from store.db import resolve_url
from store.errors import (
    AlreadySubmitted,
    InvalidValue,
    NotFound,
    SchemaNotCurrent,
    StoreError,
    UnknownCode,
    UserExists,
    WorkshopClosed,
)
from store.imports import DuplicateImport
from store.records import AssessmentRecord, PeerBenchmark, RescoreReport, User, Workshop
from store.repository import Store

_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def open_store(url: str | None = None, *, migrate: bool | None = None) -> Store:
    """The store for ``url`` (default: ``DATABASE_URL``, then ``.streamlit/secrets.toml``,
    then ``data/app.db``), cached per URL. Migrates SQLite; checks PostgreSQL is current."""
    resolved = resolve_url(url)
    with _stores_lock:
        store = _stores.get(resolved)
        if store is None:
            store = Store(resolved, migrate=migrate)
            _stores[resolved] = store
        return store


def close_stores() -> None:
    """Dispose every cached store's connections (tests, and before a process forks)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


__all__ = [
    "AlreadySubmitted",
    "DuplicateImport",
    "DuplicateImport",
    "AssessmentRecord",
    "Filters",
    "InvalidValue",
    "NotFound",
    "PeerBenchmark",
    "RescoreReport",
    "SchemaNotCurrent",
    "Store",
    "StoreError",
    "UnknownCode",
    "User",
    "UserExists",
    "Workshop",
    "WorkshopClosed",
    "close_stores",
    "open_store",
]
