"""Alembic environment.  refdb runs migrations from the application by passing its
live connection through ``config.attributes["connection"]`` (never by URL, so
passwords with ``%`` or other odd characters never pass through a config file)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import refdb.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from refdb.store.search import include_in_autogenerate

config = context.config
target_metadata = SQLModel.metadata


def _render_item(type_, obj, autogen_context):
    # sqlmodel's AutoString is a plain VARCHAR: render it as sa.String so revisions
    # do not need to import sqlmodel.
    if type_ == "type" and obj.__class__.__name__ == "AutoString":
        length = getattr(obj, "length", None)
        return f"sa.String(length={length})" if length else "sa.String()"
    return False


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("refdb migrations run through refdb (refdb migrate), not the alembic command")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
        compare_type=True,
        # The full-text search objects of revision 0003 are hand-written SQL.
        include_name=include_in_autogenerate,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
