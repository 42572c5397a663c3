"""Use cases that read: find a cable as a person writes its ID, show it, list what it
cites, who cites it, and what is unresolved.  Results are plain dicts with the field
names documented in docs/cli.md (the CLI renders them as tables, JSON, JSONL, CSV).

``refs``, ``cited_by`` and ``show`` take an Engine or a ``DirectDb`` (the quick read
path, see refdb.store.direct), and ``find_cable`` a connection of either: nothing here
imports SQLAlchemy until ``unresolved`` needs it."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from refdb.errors import AmbiguousId, NotFound
from refdb.ids import CableId, normalise_origin
from refdb.store import cable_reads
from refdb.store.direct import DirectDb, read_tx

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    Source = Engine | DirectDb


def find_cable(conn: Any, written: str) -> str:
    """The stored cable a person means by ``written``: ``08TOKYO1002``, ``08 TOKYO 1002``,
    ``TOKYO 001002`` (when only one stored cable fits), or a garbled ID as published."""
    text = written.strip()
    compact = normalise_origin(text)
    if compact and cable_reads.cable(conn, compact) is not None:
        return compact
    cid = CableId.try_parse(text)
    if cid is not None:
        hits = cable_reads.cables_by_real_id(conn, cid.canonical)
        if hits:
            return hits[0]
        raise NotFound(
            f"no stored cable {cid.canonical}",
            hint="`refdb unresolved` lists cited cables that are not stored; `refdb ingest` adds cables",
        )
    parts = CableId.display_parts(text)
    if parts is not None:
        hits = cable_reads.cables_by_origin_serial(conn, *parts)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise AmbiguousId(written, hits)
        raise NotFound(f"no stored cable is {parts[0]} {parts[1]:06d} in any year")
    raise NotFound(
        f"{written!r} is not a cable ID",
        hint="write it as 08TOKYO1002, 08 TOKYO 1002 or TOKYO 001002",
    )


def _iso(d: datetime | None) -> str | None:
    return d.isoformat(sep=" ", timespec="minutes") if d else None


def _json_list(text: str | None) -> list:
    return cable_reads.decode_json_list(text)


def _mention_dict(m: Any) -> dict:
    return {
        "text": m.text,
        "paragraph": m.paragraph,
        "start": m.start_offset,
        "end": m.end_offset,
        "letter": m.letter,
        "form": m.form,
    }


def _reference_dict(r: Any, mentions: list[dict]) -> dict:
    return {
        "citing_id": r.citing_id,
        "ordinal": r.ordinal,
        "letter": r.letter,
        "raw": r.raw,
        "kind": r.kind,
        "cited_id": r.cited_id,
        "status": r.status,
        "method": r.method,
        "confidence": round(r.confidence, 4),
        "target_id": r.target_id,
        "resolved_id": r.resolved_id,
        "reason": r.reason,
        "evidence": _json_list(r.evidence),
        "candidates": [
            {"target_id": t, "score": s, "why": w} for t, s, w in _json_list(r.candidates)
        ],
        "year_source": r.year_source,
        "qualifiers": (r.qualifiers or "").split(),
        "dtg_sender": r.dtg_sender,
        "dtg": r.dtg,
        "mentions": mentions,
    }


def refs(source: Source, written: str) -> list[dict]:
    """What a cable cites: its REF items in REF order, each with its resolution and mentions."""
    with read_tx(source) as conn:
        cable_id = find_cable(conn, written)
        return _refs(conn, cable_id)


def _refs(conn: Any, cable_id: str) -> list[dict]:
    by_item: dict[int, list[dict]] = defaultdict(list)
    for m in cable_reads.mentions_of(conn, cable_id):
        if m.ref_ordinal is not None:
            by_item[m.ref_ordinal].append(_mention_dict(m))
    return [_reference_dict(r, by_item[r.ordinal]) for r in cable_reads.references_of(conn, cable_id)]


def cited_by(source: Source, written: str) -> list[dict]:
    """The cables whose references link to this one, oldest first."""
    with read_tx(source) as conn:
        cable_id = find_cable(conn, written)
        return [
            {
                "citing_id": r.citing_id,
                "letter": r.letter,
                "raw": r.raw,
                "method": r.method,
                "confidence": round(r.confidence, 4),
                "citing_date": _iso(r.date),
                "citing_subject": r.subject,
            }
            for r in cable_reads.citing(conn, cable_id)
        ]


def show(source: Source, written: str) -> dict:
    """A cable's metadata, its references, its mentions (and what each points at), and
    how many cables cite it."""
    with read_tx(source) as conn:
        cable_id = find_cable(conn, written)
        c = cable_reads.cable(conn, cable_id)
        assert c is not None
        references = _refs(conn, cable_id)
        target_of = {r["ordinal"]: r for r in references}
        mentions = []
        for m in cable_reads.mentions_of(conn, cable_id):
            ref = target_of.get(m.ref_ordinal) if m.ref_ordinal is not None else None
            mentions.append(
                {
                    **_mention_dict(m),
                    "ref_ordinal": m.ref_ordinal,
                    "status": ref["status"] if ref else "unresolved",
                    "reason": (ref["reason"] if ref else "no_ref_item"),
                    "target_id": ref["target_id"] if ref else None,
                    "cited_id": ref["cited_id"] if ref else None,
                }
            )
        return {
            "id": c.id,
            "real_id": c.real_id,
            "display_id": c.display_id,
            "date": _iso(c.date),
            "origin": c.origin,
            "origin_name": c.origin_name,
            "classification": c.classification,
            "caveats": (c.caveats or "").split(),
            "subject": c.subject,
            "tags": (c.tags or "").split(),
            "dtg": c.dtg,
            "precedence": c.precedence,
            "routing_indicator": c.routing_indicator,
            "declassify_on": c.declassify_on,
            "classified_by": c.classified_by,
            "signer": c.signer,
            "to": (c.to_addrs or "").splitlines(),
            "info": (c.info_addrs or "").splitlines(),
            "format": c.format,
            "id_source": c.id_source,
            "source": c.source,
            "references": references,
            "mentions": mentions,
            "cited_by_count": cable_reads.count_citing(conn, cable_id),
        }


def unresolved(
    engine: Engine, *, origin: str | None = None, year: int | None = None, reason: str | None = None
) -> list[dict]:
    """Every reference that did not resolve, with its triage reason and candidates."""
    # Imported here: it needs SQLAlchemy, which the quick commands do without.
    from refdb.store.queries import unresolved as unresolved_references

    origin_n = normalise_origin(origin) if origin is not None else None
    if origin is not None and not origin_n:
        return []  # "%" or "'; --" names no post: match nothing rather than everything
    with read_tx(engine) as conn:
        return [
            {
                "citing_id": r.citing_id,
                "letter": r.letter,
                "raw": r.raw,
                "kind": r.kind,
                "cited_id": r.cited_id,
                "resolved_id": r.resolved_id,
                "status": r.status,
                "reason": r.reason,
                "method": r.method,
                "confidence": round(r.confidence, 4),
                "evidence": _json_list(r.evidence),
                "candidates": [
                    {"target_id": t, "score": s, "why": w} for t, s, w in _json_list(r.candidates)
                ],
                "citing_date": _iso(r.citing_date),
            }
            for r in unresolved_references(conn, origin=origin_n, year=year, reason=reason)
        ]
