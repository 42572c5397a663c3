"""Use case: a person links or unlinks a REF item by hand.

Decisions are stored apart from computed resolutions (see ``manual_decision``) and
applied on top of them in every resolve pass, so they survive re-ingest and
re-resolve.  A decision names the REF item by citing cable and letter (or item
number when several items share a letter or there is no letter)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.engine import Connection, Engine, Row

from refdb.errors import NotFound, UsageError
from refdb.service.queries import find_cable
from refdb.service.resolve import ResolveReport, resolve_pending
from refdb.store import manual as manual_store
from refdb.store import queries, writes
from refdb.store.engine import write_tx


def _item(conn: Connection, citing_id: str, letter: str | None, item: int | None) -> Row:
    refs = queries.references_of(conn, citing_id)
    if item is not None:
        hits = [r for r in refs if r.ordinal == item - 1]
    elif letter is not None:
        hits = [r for r in refs if (r.letter or "").upper() == letter.upper()]
    else:
        hits = refs if len(refs) == 1 else []
    if not hits:
        have = ", ".join(f"{r.ordinal + 1}:{r.letter or '-'}" for r in refs) or "none"
        raise NotFound(f"{citing_id} has no REF item {letter or item or ''} (items: {have})")
    if len(hits) > 1:
        listing = "; ".join(f"--item {r.ordinal + 1}: {r.raw}" for r in hits)
        raise UsageError(f"{citing_id} has {len(hits)} items under letter {letter}: {listing}")
    return hits[0]


def link(
    engine: Engine,
    citing: str,
    letter: str | None,
    target: str,
    *,
    item: int | None = None,
    author: str,
    note: str | None = None,
) -> ResolveReport:
    """Link a REF item to a stored cable by hand (method ``manual``)."""
    return _decide(engine, citing, letter, item, "link", target, author, note)


def unlink(
    engine: Engine, citing: str, letter: str | None, *, item: int | None = None, author: str, note: str | None = None
) -> ResolveReport:
    """Declare a REF item not linked, whatever the resolver computes (method ``manual``)."""
    return _decide(engine, citing, letter, item, "unlink", None, author, note)


def _decide(
    engine: Engine,
    citing: str,
    letter: str | None,
    item: int | None,
    action: str,
    target: str | None,
    author: str,
    note: str | None,
) -> ResolveReport:
    with write_tx(engine) as conn:
        citing_id = find_cable(conn, citing)
        target_id = find_cable(conn, target) if target is not None else None
        if target_id is not None and target_id == citing_id:
            raise UsageError("a cable cannot cite itself")
        ref = _item(conn, citing_id, letter, item)
        manual_store.record(
            conn,
            citing_id=citing_id,
            ordinal=ref.ordinal,
            letter=ref.letter,
            raw=ref.raw,
            action=action,
            target_id=target_id,
            author=author,
            at=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
            note=note,
        )
        writes.mark_pending(conn, [citing_id])
    return resolve_pending(engine)


def forget(engine: Engine, citing: str, letter: str | None, *, item: int | None = None) -> ResolveReport:
    """Drop a manual decision: the computed resolution applies again."""
    with write_tx(engine) as conn:
        citing_id = find_cable(conn, citing)
        ref = _item(conn, citing_id, letter, item)
        if not manual_store.forget(conn, citing_id, ref.ordinal):
            raise NotFound(f"no manual decision on {citing_id} item {ref.letter or ref.ordinal + 1}")
        writes.mark_pending(conn, [citing_id])
    return resolve_pending(engine)
