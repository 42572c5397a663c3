"""Use case: full-text search over cable subjects and bodies.

The query language is deliberately small and cannot fail: words (all must appear,
in any order, stemmed: ``sanction`` finds ``sanctions``; common English words such
as ``the`` or ``not`` are ignored) and "quoted phrases".  Everything else, FTS
operators included (``OR``, ``NOT``, ``NEAR``, ``*``, ``-``, ``:``, brackets), is
ordinary text or punctuation.  Ranking is the backend's own (SQLite FTS5
bm25, PostgreSQL ts_rank_cd; subject hits count more than body hits): scores
compare within one result list, not across backends.
"""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine

from refdb.errors import UsageError
from refdb.ids import normalise_origin
from refdb.service.reports import period
from refdb.store import search as store
from refdb.store import search_side as side_store
from refdb.store.engine import read_tx, write_tx

__all__ = ["parse_query", "search", "reindex"]

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_RUNS = re.compile(r"[^\W_]+")
MAX_TERMS = 32

# PostgreSQL's English stop words (tsearch_data/english.stop): its full-text search
# ignores them, so single-word terms made only of them are dropped on both backends
# alike ("not nuclear" searches for nuclear).  Inside a quoted phrase they stay.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves what which who whom this that these those
    am is are was were be been being have has had having do does did doing a an the and but if or because
    as until while of at by for with about against between into through during before after above below to
    from up down in out on off over under again further then once here there when where why how all any
    both each few more most other some such no nor not only own same so than too very s t can will just
    don should now""".split()
)


def parse_query(text: str) -> list[list[str]]:
    """Terms of a search string: each a list of words that must appear together.
    Balanced double quotes make a phrase; terms without a letter or digit are
    dropped (they could match nothing), and so are single words that are only
    stop words."""
    terms: list[list[str]] = []
    for m in _TOKEN.finditer(text):
        words = (m.group(1) if m.group(1) is not None else m.group(2)).split()
        words = [w for w in words if _RUNS.search(w)]
        if len(words) == 1 and all(run.lower() in STOP_WORDS for run in _RUNS.findall(words[0])):
            continue
        if words:
            terms.append(words)
    if not terms:
        raise UsageError(
            f"nothing to search for in {text!r} (punctuation and common words like 'the' or 'not' are ignored)",
            hint='give words, or a "quoted phrase"',
        )
    if len(terms) > MAX_TERMS:
        raise UsageError(f"too many search terms ({len(terms)}; at most {MAX_TERMS})")
    return terms


def search(
    engine: Engine,
    text: str,
    *,
    origin: str | None = None,
    year: int | None = None,
    tag: str | None = None,
    classification: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
) -> list[dict]:
    """Cables whose subject or text contain every term, best match first."""
    if limit < 1:
        raise UsageError("--limit must be 1 or more")
    terms = parse_query(text)
    start, end = period(since, until)
    filters = store.Filters(
        origin=normalise_origin(origin) if origin is not None else None,
        year=year,
        tag=normalise_origin(tag) if tag is not None else None,
        classification=" ".join(classification.split()) if classification is not None else None,
        since=start,
        until=end,
    )
    with read_tx(engine) as conn:
        deferred = store.is_deferred(conn)
    if deferred:  # a large ingest is running or was interrupted: bring the index up to date
        with write_tx(engine) as conn:
            finished = store.rebuild_if_deferred(conn)
        if finished:
            discard_side_build(engine)
    with read_tx(engine) as conn:
        rows = store.search(conn, terms, filters, limit)
    return [
        {
            "id": r.id,
            "date": r.date.isoformat(sep=" ", timespec="minutes") if r.date else None,
            "origin": r.origin,
            "classification": r.classification,
            "subject": r.subject,
            "tags": (r.tags or "").split(),
            "score": round(float(r.score), 4),
            "snippet": " ".join((r.snippet or "").split()),
        }
        for r in rows
    ]


def reindex(engine: Engine) -> bool:
    """Rebuild the search index from the stored cables (needed after an edit that
    bypassed the triggers, or on SQLite a VACUUM); returns the integrity check."""
    with write_tx(engine) as conn:
        store.rebuild(conn)
    discard_side_build(engine)
    with read_tx(engine) as conn:
        return store.integrity_check(conn)


def discard_side_build(engine: Engine) -> None:
    """Remove an index built beside the database (``<database>.search-build``, SQLite)
    by an ingest that was killed: once the index is rebuilt in place it is of no use,
    and it is as large as the index.  Should another ingest be building one right now,
    its copy is refused and it rebuilds in place (``SideIndexBuilder.finish``)."""
    if db_file := side_store.database_file(engine):
        side_store.SideBuild(db_file).discard()
