"""Alembic migrations for refdb (shipped in the package as ``refdb._migrations``)."""
