"""Alembic environment: the connection comes from store/migrate.py, already in a transaction.

On SQLite that transaction holds the write lock (``BEGIN IMMEDIATE``), so two app
processes starting at once cannot both migrate: the second waits, then finds the schema
current. ``render_as_batch`` lets future revisions alter SQLite tables (copy-and-move).
"""

from __future__ import annotations

from alembic import context

from store.models import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through store.migrate (python cli.py db upgrade)")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
