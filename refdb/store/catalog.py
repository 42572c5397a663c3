"""The catalogue table: IDs known to exist in a release, stored or not."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from refdb.store.tables import CatalogEntry
from refdb.store.writes import chunks

CATALOG = CatalogEntry.__table__


def count(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(CATALOG)).scalar_one()


def replace(conn: Connection, name: str, entries: Iterable[tuple[str, int | None]]) -> int:
    """Replace catalogue ``name`` with ``entries``; returns how many were stored.
    IDs already present under another catalogue keep their first catalogue."""
    conn.execute(sa.delete(CATALOG).where(CATALOG.c.catalog == name))
    existing = set(conn.execute(sa.select(CATALOG.c.id)).scalars())
    rows = []
    for refid, month in entries:
        if refid in existing:
            continue
        existing.add(refid)
        rows.append({"id": refid, "month": month, "catalog": name})
    for part in chunks(rows, 10_000):
        conn.execute(sa.insert(CATALOG), list(part))
    return len(rows)


def ids(conn: Connection) -> Iterator[str]:
    yield from conn.execute(sa.select(CATALOG.c.id).execution_options(yield_per=20_000)).scalars()
