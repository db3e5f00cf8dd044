"""Alembic migrations of the store (configured in code by store/migrate.py; no alembic.ini)."""
