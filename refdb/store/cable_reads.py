"""The reads behind ``show``, ``refs`` and ``cited-by`` (and finding a cable by ID), as
plain SQL on the DBAPI driver's connection.

Both ways of opening a database run them: the quick read path (``direct.py``) hands in
a bare sqlite3 or psycopg connection, the SQLAlchemy path a Connection, whose driver
connection runs them inside the same transaction.  Plain SQL so that those commands
need not import SQLAlchemy, which costs more start-up than the queries take."""

from __future__ import annotations

import json
import sqlite3
from collections import namedtuple
from datetime import datetime
from functools import cache
from typing import Any

CABLE_BY_ID = "SELECT * FROM cable WHERE id = ?"
CABLES_BY_REAL_ID = "SELECT id FROM cable WHERE id = ? OR real_id = ?"
CABLES_BY_ORIGIN_SERIAL = "SELECT id FROM cable WHERE origin = ? AND serial = ?"
REFERENCES_OF = "SELECT * FROM reference WHERE citing_id = ? ORDER BY ordinal"
MENTIONS_OF = "SELECT * FROM mention WHERE citing_id = ? ORDER BY ordinal"
CITING = (
    "SELECT reference.citing_id, reference.letter, reference.raw, reference.method, reference.confidence,"
    " cable.date, cable.subject"
    " FROM reference JOIN cable ON cable.id = reference.citing_id"
    " WHERE reference.target_id = ?"
    " ORDER BY cable.date, reference.citing_id, reference.ordinal"
)
COUNT_CITING = "SELECT count(DISTINCT citing_id) FROM reference WHERE target_id = ?"

# SQLite hands these back as text, where SQLAlchemy (and psycopg) give datetime:
# converted here, so the service sees the same values on either path.
_DATETIME_COLUMNS = frozenset({"date", "ingested_at"})


def cable(conn: Any, cable_id: str) -> Any | None:
    rows = _rows(conn, CABLE_BY_ID, (cable_id,))
    return rows[0] if rows else None


def cables_by_real_id(conn: Any, real_id: str) -> list[str]:
    """Stored cables whose real (repaired) ID is ``real_id``, the exact one first."""
    return sorted(_column(conn, CABLES_BY_REAL_ID, (real_id, real_id)), key=lambda i: (i != real_id, i))


def cables_by_origin_serial(conn: Any, origin: str, serial: int) -> list[str]:
    return sorted(_column(conn, CABLES_BY_ORIGIN_SERIAL, (origin, serial)))


def references_of(conn: Any, citing_id: str) -> list[Any]:
    return _rows(conn, REFERENCES_OF, (citing_id,))


def mentions_of(conn: Any, citing_id: str) -> list[Any]:
    return _rows(conn, MENTIONS_OF, (citing_id,))


def citing(conn: Any, target_id: str) -> list[Any]:
    """References that link to ``target_id``, with the citing cable's date and subject."""
    return _rows(conn, CITING, (target_id,))


def count_citing(conn: Any, target_id: str) -> int:
    return int(_column(conn, COUNT_CITING, (target_id,))[0])


def decode_json_list(text: str | None) -> list:
    return json.loads(text) if text else []


# --- running them --------------------------------------------------------------------


def _driver(conn: Any) -> Any:
    """The DBAPI connection: ``conn`` itself, or a SQLAlchemy Connection's (its transaction is open on it)."""
    if hasattr(conn, "exec_driver_sql"):
        return conn.connection.driver_connection
    return conn


@cache
def _for_psycopg(sql: str) -> str:
    # The queries are written with sqlite3's placeholder; none holds a literal ? or %.
    return sql.replace("?", "%s")


def _fetch(conn: Any, sql: str, params: tuple) -> tuple[bool, list[tuple], tuple[str, ...]]:
    """(is SQLite, the rows as the driver gives them, the column names)."""
    raw = _driver(conn)
    sqlite = isinstance(raw, sqlite3.Connection)
    cur = raw.cursor()
    try:
        cur.execute(sql if sqlite else _for_psycopg(sql), params)
        names = tuple(d[0] for d in cur.description)
        return sqlite, cur.fetchall(), names
    finally:
        cur.close()


def _column(conn: Any, sql: str, params: tuple) -> list:
    """The first column of every row."""
    return [r[0] for r in _fetch(conn, sql, params)[1]]


def _rows(conn: Any, sql: str, params: tuple) -> list[Any]:
    """Rows with attribute access (``r.citing_id``), typed as SQLAlchemy would type them."""
    sqlite, fetched, names = _fetch(conn, sql, params)
    row = _row_type(names)
    if not sqlite:
        return [row._make(r) for r in fetched]
    convert = [(i, _from_sqlite(n)) for i, n in enumerate(names) if _from_sqlite(n) is not None]
    out = []
    for r in fetched:
        if convert:
            r = list(r)
            for i, fn in convert:
                if r[i] is not None:
                    r[i] = fn(r[i])
        out.append(row._make(r))
    return out


@cache
def _row_type(names: tuple[str, ...]) -> type:
    return namedtuple("Row", names)


def _from_sqlite(column: str) -> Any:
    if column in _DATETIME_COLUMNS:
        return datetime.fromisoformat
    return None
