"""Manual link decisions: stored apart from computed resolutions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from refdb.model import Resolution, Status
from refdb.store.membership import one_of
from refdb.store.tables import ManualDecision
from refdb.store.writes import chunks

DECISION = ManualDecision.__table__


def decisions_for(conn: Connection, citing_ids: Sequence[str]) -> dict[tuple[str, int], Row]:
    out: dict[tuple[str, int], Row] = {}
    for part in chunks(list(citing_ids)):
        for d in conn.execute(sa.select(DECISION).where(one_of(conn, DECISION.c.citing_id, part))):
            out[(d.citing_id, d.ordinal)] = d
    return out


def as_resolution(d: Row) -> Resolution:
    evidence = (f"manual:{d.action}", f"by:{d.author}", f"at:{d.decided_at.isoformat(timespec='seconds')}")
    if d.note:
        evidence += (f"note:{d.note}",)
    if d.action == "link":
        return Resolution(
            status=Status.RESOLVED,
            method="manual",
            confidence=1.0,
            target_id=d.target_id,
            resolved_id=d.target_id,
            evidence=evidence,
        )
    return Resolution(status=Status.UNRESOLVED, method="manual", confidence=1.0, evidence=evidence, reason="manual_unlink")


def record(
    conn: Connection,
    *,
    citing_id: str,
    ordinal: int,
    letter: str | None,
    raw: str,
    action: str,
    target_id: str | None,
    author: str,
    at: datetime,
    note: str | None = None,
) -> None:
    """Insert or replace the decision for one REF item (delete + insert: portable)."""
    conn.execute(sa.delete(DECISION).where(DECISION.c.citing_id == citing_id, DECISION.c.ordinal == ordinal))
    conn.execute(
        sa.insert(DECISION).values(
            citing_id=citing_id,
            ordinal=ordinal,
            letter=letter,
            raw=raw,
            action=action,
            target_id=target_id,
            author=author,
            decided_at=at,
            note=note,
        )
    )


def forget(conn: Connection, citing_id: str, ordinal: int) -> int:
    return conn.execute(
        sa.delete(DECISION).where(DECISION.c.citing_id == citing_id, DECISION.c.ordinal == ordinal)
    ).rowcount


def all_decisions(conn: Connection) -> list[Row]:
    return list(conn.execute(sa.select(DECISION).order_by(DECISION.c.citing_id, DECISION.c.ordinal)))
