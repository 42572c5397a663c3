"""``column IN (values)`` for the statements a bulk ingest and a resolve pass run once
per batch or chunk, with hundreds of values each.

On PostgreSQL the values go as one array parameter (``column = ANY(%(p)s)``), so the
statement's text is the same for every chunk.  Written as ``IN`` with one parameter
per value, the text was thousands of characters long and new for every chunk: psycopg
caches its parsing of a statement only up to 4 KB, so it split every such statement
again, and SQLAlchemy expanded the parameters again (a resolve pass of 50,000 cables
on PostgreSQL: about a fifth of its client time).  Other backends take ``IN``: SQLite
has no array parameters, and the caller keeps each list under its parameter limit
(:func:`refdb.store.writes.chunks`).
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement


def one_of(conn: Connection, column: sa.Column, values: Collection) -> ColumnElement[bool]:
    """The condition that ``column`` holds one of ``values``."""
    if conn.dialect.name == "postgresql":
        array = sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        return column == sa.any_(array)
    return column.in_(list(values))
