"""The catalogue table: IDs known to exist in a release, stored or not."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from refdb.ids import CableId
from refdb.store.tables import CatalogEntry
from refdb.store.writes import chunks

CATALOG = CatalogEntry.__table__


def count(conn: Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(CATALOG)).scalar_one()


def replace(conn: Connection, name: str, entries: Iterable[tuple[str, CableId | None, int | None]]) -> int:
    """Replace catalogue ``name`` with ``entries`` (published ID, real ID, month); returns
    how many were stored.  An ID already listed by another catalogue keeps that entry."""
    conn.execute(sa.delete(CATALOG).where(CATALOG.c.catalog == name))
    existing = set(conn.execute(sa.select(CATALOG.c.id)).scalars())
    rows = []
    for published, real, month in entries:
        if published in existing:
            continue
        existing.add(published)
        rows.append(
            {
                "id": published,
                "real_id": real.canonical if real else None,
                "year": real.year if real else None,
                "origin": real.origin if real else None,
                "serial": real.serial if real else None,
                "month": month,
                "catalog": name,
            }
        )
    for part in chunks(rows, 10_000):
        conn.execute(sa.insert(CATALOG), list(part))
    return len(rows)


def real_ids(conn: Connection) -> Iterator[CableId]:
    """The real IDs of every catalogued cable that could be read."""
    rows = conn.execute(
        sa.select(CATALOG.c.year, CATALOG.c.origin, CATALOG.c.serial)
        .where(CATALOG.c.real_id.is_not(None))
        .execution_options(yield_per=20_000)
    )
    for year, origin, serial in rows:
        yield CableId(year, origin, serial)
