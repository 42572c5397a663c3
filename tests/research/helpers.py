"""Building citation graphs of hand-made cables and loading them (the parser has its
own tests; these are about what refdb answers once cables are stored)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from refdb.model import ParsedCable
from refdb.service.ingest import ingest_parsed
from refdb.service.resolve import resolve_pending

from service.factory import cable, ref  # tests/ is on sys.path (rootdir-relative packages)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# One post per node: the resolver refuses a citation of a later serial of the citing
# post and year (and of a cable sent on a later day), so cycles need different posts.
# Sorted, so that cid(n) sort in the order of n.
POSTS = tuple(sorted((
    "TOKYO", "MOSCOW", "PARIS", "LONDON", "BERLIN", "ROME", "MADRID", "CAIRO", "BEIJING", "SEOUL",
    "MANILA", "HANOI", "LIMA", "QUITO", "OSLO", "RIGA", "SOFIA", "DAKAR", "ACCRA", "KABUL", "DOHA",
)))
DAY0 = datetime(2008, 3, 1, 9, 0)


def cid(n: int) -> str:
    return f"08{POSTS[n % len(POSTS)]}{n}"


def graph_cables(
    edges: Mapping[int, Sequence[int]],
    nodes: Iterable[int] = (),
    *,
    days: Mapping[int, int] | None = None,
    subjects: Mapping[int, str] | None = None,
    missing: Mapping[int, Sequence[str]] | None = None,
) -> list[ParsedCable]:
    """Cables cid(n) whose REF items cite cid(m) for each m in edges[n], in that order.
    All are sent on one day unless ``days`` gives day offsets (a cable can only cite
    cables of its day or before); ``missing[n]`` adds items citing cables never stored."""
    ids = set(nodes) | set(edges) | {m for ms in edges.values() for m in ms}
    subjects = subjects or {}
    missing = missing or {}
    days = days or {}
    out = []
    for n in sorted(ids):
        targets = [cid(m) for m in edges.get(n, ())] + list(missing.get(n, ()))
        refs = tuple(ref(i, LETTERS[i % 26], t) for i, t in enumerate(targets))
        date = (DAY0 + timedelta(days=days.get(n, 0))).isoformat(sep=" ", timespec="minutes")
        out.append(cable(cid(n), date, refs, subject=subjects.get(n, f"CABLE NUMBER {n}")))
    return out


def load(engine, cables: Sequence[ParsedCable]) -> None:  # type: ignore[no-untyped-def]
    """Store and resolve, without loading the 251,287-ID Cablegate catalogue (seconds per
    call): unresolved items then read as not in any catalogue."""
    report = ingest_parsed(engine, cables, resolve=False)
    assert not report.problems
    resolve_pending(engine)


def wipe(engine) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from refdb.store.engine import write_tx

    with write_tx(engine) as conn:
        for table in ("mention", "reference", "manual_decision", "cable"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
