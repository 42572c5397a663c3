"""ParsedCable -> a plain, JSON-ready dict with a stable key order (``refdb parse --json``).

Keys appear in the same order for every cable; absent values are ``None`` or ``[]``
(never missing), so JSON-lines output can be loaded as a table.  The cable text itself
is included last: offsets in ``mentions`` point into it.
"""

from __future__ import annotations

from typing import Any

from refdb.model import Mention, ParsedCable, RefItem

__all__ = ["cable_to_dict", "ref_to_dict", "mention_to_dict"]


def ref_to_dict(r: RefItem) -> dict[str, Any]:
    return {
        "ordinal": r.ordinal,
        "block": r.block,
        "letter": r.letter,
        "raw": r.raw,
        "kind": str(r.kind),
        "cited_id": r.cited.canonical if r.cited else None,
        "origin_written": r.origin_written,
        "serial": r.serial,
        "year": r.year,
        "year_source": str(r.year_source) if r.year_source else None,
        "qualifiers": list(r.qualifiers),
        "dtg_sender": r.dtg_sender,
        "dtg": r.dtg,
        "note": r.note,
    }


def mention_to_dict(m: Mention) -> dict[str, Any]:
    return {
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "paragraph": m.paragraph,
        "letter": m.letter,
        "ref_ordinal": m.ref_ordinal,
        "form": m.form,
    }


def cable_to_dict(c: ParsedCable) -> dict[str, Any]:
    return {
        "id": c.id.canonical if c.id else None,
        "published_id": c.published_id,
        "display_id": c.id.display if c.id else None,
        "id_source": c.id_source,
        "format": c.format,
        "source": c.source,
        "locator": c.locator,
        "date": c.date.isoformat(sep=" ", timespec="minutes") if c.date else None,
        "dtg": c.dtg,
        "precedence": c.precedence,
        "origin": c.origin,
        "origin_name": c.origin_name,
        "routing_indicator": c.routing_indicator,
        "to": list(c.to),
        "info": list(c.info),
        "classification": c.classification,
        "caveats": list(c.caveats),
        "declassify_on": c.declassify_on,
        "tags": list(c.tags),
        "subject": c.subject,
        "classified_by": c.classified_by,
        "signer": c.signer,
        "warnings": list(c.warnings),
        "refs": [ref_to_dict(r) for r in c.refs],
        "mentions": [mention_to_dict(m) for m in c.mentions],
        "text": c.text,
    }
