"""Use cases that report: the most-cited cables you do not have (unresolved
references ranked and grouped), database statistics, the most-cited stored cables.

Results are plain dicts and lists with the field names documented in docs/cli.md.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from sqlalchemy.engine import Engine

from refdb.errors import UsageError
from refdb.ids import normalise_origin
from refdb.store import queries
from refdb.store import reports as store
from refdb.store.engine import read_tx

__all__ = [
    "period",
    "unresolved_ranked",
    "unresolved_groups",
    "unresolved_summary",
    "stats",
    "top",
    "GROUPS",
]

GROUPS = ("reason", "origin", "year")
UNKNOWN = "unknown"

_WHEN = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _bound(text: str, *, end: bool) -> datetime:
    m = _WHEN.match(text.strip())
    if not m:
        raise UsageError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            start = datetime(year, int(month), int(day))  # type: ignore[arg-type]
            nxt = datetime.fromordinal(start.toordinal() + 1)
        elif month is not None:
            start = datetime(year, int(month), 1)
            nxt = datetime(year + (start.month == 12), start.month % 12 + 1, 1)
        else:
            start, nxt = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    except ValueError as exc:
        raise UsageError(f"{text!r} is not a date: {exc}") from None
    return nxt if end else start


def period(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """``--since``/``--until`` as written (YYYY, YYYY-MM, YYYY-MM-DD) to a half-open
    range [start, end): ``--until 2008`` includes the whole of 2008."""
    start = _bound(since, end=False) if since else None
    end = _bound(until, end=True) if until else None
    if start and end and start >= end:
        raise UsageError(f"--since {since} is not before --until {until}")
    return start, end


def _origins(origin: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    if origin is None:
        return ()
    items = [origin] if isinstance(origin, str) else list(origin)
    # An origin with no letter or digit normalises to "": it stays a filter, matching nothing.
    return tuple(sorted({normalise_origin(o) for o in items}))


def _iso(d: datetime | None) -> str | None:
    return d.isoformat(sep=" ", timespec="minutes") if d else None


def _open_filter(origin: str | None, year: int | None, reason: str | None) -> store.OpenFilter:
    # A filter given is a filter applied, even one that normalises to "" (it matches nothing).
    return store.OpenFilter(origin=normalise_origin(origin) if origin is not None else None, year=year, reason=reason)


# --- unresolved ---------------------------------------------------------------------


def unresolved_ranked(
    engine: Engine,
    *,
    origin: str | None = None,
    year: int | None = None,
    reason: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """"The most-cited cables you do not have": one row per cited ID that did not
    resolve, by how many stored cables cite it, with the reasons, the candidates the
    resolver considered and the citing items."""
    f = _open_filter(origin, year, reason)
    with read_tx(engine) as conn:
        ranked = store.missing_ranked(conn, f, limit)
        details = store.open_details(conn, f, [r.missing_id for r in ranked])
    items: dict[str, list] = {}
    for d in details:
        items.setdefault(d.missing_id, []).append(d)
    rows = []
    for rank, r in enumerate(ranked, start=1):
        its = items.get(r.missing_id, [])
        reasons = Counter(i.reason or UNKNOWN for i in its)
        best: dict[str, dict] = {}
        for i in its:
            for t, s, w in queries.decode_json_list(i.candidates):
                if t not in best or s > best[t]["score"]:
                    best[t] = {"target_id": t, "score": s, "why": w}
        rows.append(
            {
                "rank": rank,
                "cited_id": r.missing_id,
                "cited_by_count": r.cited_by_count,
                "references": r.references,
                "origin": r.origin,
                "year": r.year,
                "reason": reasons.most_common(1)[0][0] if reasons else None,
                "reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
                "first_cited": _iso(r.first_cited),
                "last_cited": _iso(r.last_cited),
                "citing_ids": sorted({i.citing_id for i in its}),
                "candidates": sorted(best.values(), key=lambda c: (-c["score"], c["target_id"])),
                "items": [
                    {
                        "citing_id": i.citing_id,
                        "letter": i.letter,
                        "citing_date": _iso(i.citing_date),
                        "status": i.status,
                        "reason": i.reason,
                    }
                    for i in its
                ],
            }
        )
    return rows


def _group_rows(rows, dimension: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        {
            "dimension": dimension,
            "value": (str(r.value) if r.value not in (None, "") else UNKNOWN),
            "references": r.references,
            "missing": r.missing,
            "citing": r.citing,
        }
        for r in rows
    ]


def unresolved_groups(
    engine: Engine,
    by: str,
    *,
    origin: str | None = None,
    year: int | None = None,
    reason: str | None = None,
) -> list[dict]:
    """Unresolved references counted by ``by`` (reason, origin or year): references,
    missing (distinct cited IDs), citing (distinct citing cables)."""
    if by not in GROUPS:
        raise UsageError(f"cannot group by {by!r}: choose one of {', '.join(GROUPS)}")
    with read_tx(engine) as conn:
        return _group_rows(store.open_counts(conn, _open_filter(origin, year, reason), by), by)


def unresolved_summary(
    engine: Engine, *, origin: str | None = None, year: int | None = None, reason: str | None = None
) -> dict:
    """Counts of unresolved references by reason, by origin and by year."""
    f = _open_filter(origin, year, reason)
    with read_tx(engine) as conn:
        out: dict = {}
        for by in GROUPS:
            out[f"by_{by}"] = _group_rows(store.open_counts(conn, f, by), by)
    out = {"references": sum(r["references"] for r in out["by_reason"]), **out}
    return out


# --- stats ----------------------------------------------------------------------------


def _mapping(pairs) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {(str(k) if k not in (None, "") else UNKNOWN): n for k, n in pairs}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def stats(
    engine: Engine, *, origin: str | list[str] | None = None, since: str | None = None, until: str | None = None
) -> dict:
    """Cables per year, origin and classification; references per kind, status,
    method and triage reason; mentions; links; resolution rates overall and per year.
    Filters apply to the cables (for references: to the citing cable)."""
    start, end = period(since, until)
    f = store.CableFilter(origins=_origins(origin), since=start, until=end)
    with read_tx(engine) as conn:
        by_year = store.cable_counts(conn, f, "year")
        by_origin = store.cable_counts(conn, f, "origin")
        by_class = store.cable_counts(conn, f, "classification")
        by_kind = store.reference_counts(conn, f, "kind")
        by_status = store.reference_counts(conn, f, "status")
        by_method = store.reference_counts(conn, f, "method", where=store.REFERENCE.c.status == "resolved")
        by_reason = store.reference_counts(conn, f, "reason", where=store.REFERENCE.c.status.in_(store.OPEN))
        per_year = store.resolution_by_year(conn, f)
        mentions, attached = store.mention_counts(conn, f)
        links, citing, cited = store.graph_counts(conn, f)
    cable_items = sum(n for _, n, _ in per_year)
    resolved = sum(r for _, _, r in per_year)
    return {
        "cables": sum(n for _, n in by_year),
        "references": sum(n for _, n in by_kind),
        "mentions": mentions,
        "mentions_attached": attached,
        "links": links,
        "cables_citing": citing,
        "cables_cited": cited,
        "resolution": {"cable_items": cable_items, "resolved": resolved, "rate": _rate(resolved, cable_items)},
        "cables_by_year": _mapping(by_year),
        "cables_by_origin": dict(sorted(_mapping(by_origin).items(), key=lambda kv: (-kv[1], kv[0]))),
        "cables_by_classification": _mapping(by_class),
        "references_by_kind": _mapping(by_kind),
        "references_by_status": _mapping(by_status),
        "references_by_method": _mapping(by_method),
        "unresolved_by_reason": dict(sorted(_mapping(by_reason).items(), key=lambda kv: (-kv[1], kv[0]))),
        "resolution_by_year": [
            {"year": y, "cable_items": n, "resolved": r, "rate": _rate(r, n)} for y, n, r in per_year
        ],
    }


STAT_TOTALS = ("cables", "references", "mentions", "mentions_attached", "links", "cables_citing", "cables_cited")


def stats_rows(data: dict) -> list[dict]:
    """The statistics flattened for JSONL and CSV: section, key, count, rate."""
    rows = [{"section": "totals", "key": k, "count": data[k], "rate": None} for k in STAT_TOTALS]
    res = data["resolution"]
    rows.append({"section": "resolution", "key": "all", "count": res["resolved"], "rate": res["rate"]})
    for section in (
        "cables_by_year",
        "cables_by_origin",
        "cables_by_classification",
        "references_by_kind",
        "references_by_status",
        "references_by_method",
        "unresolved_by_reason",
    ):
        rows.extend({"section": section, "key": k, "count": n, "rate": None} for k, n in data[section].items())
    rows.extend(
        {"section": "resolution_by_year", "key": str(r["year"]) if r["year"] is not None else UNKNOWN,
         "count": r["resolved"], "rate": r["rate"]}
        for r in data["resolution_by_year"]
    )
    return rows


# --- top ------------------------------------------------------------------------------


def top(
    engine: Engine,
    *,
    origin: str | list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
) -> list[dict]:
    """The most-cited stored cables (by distinct citing cables), optionally only those
    of some posts or sent within a date range."""
    if limit < 1:
        raise UsageError("--limit must be 1 or more")
    start, end = period(since, until)
    f = store.CableFilter(origins=_origins(origin), since=start, until=end)
    with read_tx(engine) as conn:
        rows = store.most_cited(conn, f, limit)
    return [
        {
            "rank": i,
            "id": r.id,
            "date": _iso(r.date),
            "origin": r.origin,
            "classification": r.classification,
            "subject": r.subject,
            "cited_by_count": r.cited_by_count,
            "references": r.references,
            "first_cited": _iso(r.first_cited),
            "last_cited": _iso(r.last_cited),
        }
        for i, r in enumerate(rows, start=1)
    ]
