"""Use cases over the citation graph: what a cable cites transitively, who cites it
transitively, the thread around it, and how one cable leads to another.

An edge is a reference resolved to a stored cable, from the citing cable to its
target.  Traversals are breadth-first over adjacency fetched one level at a time
(one set-based query per level, see :mod:`refdb.store.graph`): each cable is reached
once, at its smallest depth, by the first link found in a deterministic order, so
cycles and diamonds are safe.  The traversal itself is pure (:func:`bfs`,
:func:`shortest_path`) and takes the adjacency as a callable, so tests drive it with
in-memory graphs as well as through the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection, Engine, Row

from refdb.errors import NotFound, UsageError
from refdb.service.queries import find_cable
from refdb.store import graph as store
from refdb.store.engine import read_tx

__all__ = [
    "Reached",
    "bfs",
    "shortest_path",
    "refs_deep",
    "cited_by_deep",
    "thread",
    "path",
]

# For each node of a frontier, its neighbours in preference order, with the edge to each.
Neighbours = Callable[[Sequence[str]], Mapping[str, Sequence[tuple[str, Any]]]]

MAX_DEPTH = 1000  # "all the way": far beyond any real chain of cables


@dataclass(frozen=True, slots=True)
class Reached:
    node: str
    depth: int
    parent: str | None
    edge: Any


def bfs(start: str, neighbours: Neighbours, max_depth: int) -> dict[str, Reached]:
    """Every node within ``max_depth`` steps of ``start`` (start included, depth 0), in
    discovery order.  Frontier nodes are expanded in discovery order and their
    neighbours in the order ``neighbours`` gives: the first edge found wins."""
    reached: dict[str, Reached] = {start: Reached(start, 0, None, None)}
    frontier = [start]
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        adjacency = neighbours(frontier)
        nxt: list[str] = []
        for u in frontier:
            for v, edge in adjacency.get(u, ()):
                if v not in reached:
                    reached[v] = Reached(v, depth, u, edge)
                    nxt.append(v)
        frontier = nxt
    return reached


def path_to(reached: Mapping[str, Reached], node: str) -> list[str]:
    """The chain of nodes from the start to ``node``."""
    out = [node]
    while (parent := reached[out[-1]].parent) is not None:
        out.append(parent)
    return out[::-1]


def shortest_path(
    a: str, b: str, forward: Neighbours, backward: Neighbours, max_depth: int
) -> list[tuple[str, str, Any]] | None:
    """A shortest chain from ``a`` to ``b`` as steps (from, to, edge), found by
    bidirectional BFS (``forward`` from ``a``, ``backward`` from ``b``, the smaller
    frontier expanded first, whole levels at a time); None when there is none within
    ``max_depth`` steps.  Among chains of equal length the one through the smallest
    meeting node ID is returned."""
    if a == b:
        return []
    fwd: dict[str, tuple[int, str | None, Any]] = {a: (0, None, None)}
    bwd: dict[str, tuple[int, str | None, Any]] = {b: (0, None, None)}
    f_front, b_front = [a], [b]
    f_depth = b_depth = 0
    while f_front and b_front and f_depth + b_depth < max_depth:
        if len(f_front) <= len(b_front):
            f_depth += 1
            f_front = _expand(f_front, forward, fwd, f_depth)
        else:
            b_depth += 1
            b_front = _expand(b_front, backward, bwd, b_depth)
        meeting = fwd.keys() & bwd.keys()
        if meeting:
            best = min(meeting, key=lambda n: (fwd[n][0] + bwd[n][0], n))
            steps: list[tuple[str, str, Any]] = []
            node = best
            while fwd[node][1] is not None:
                _, parent, edge = fwd[node]
                steps.append((parent, node, edge))  # type: ignore[arg-type]
                node = parent  # type: ignore[assignment]
            steps.reverse()
            node = best
            while bwd[node][1] is not None:
                _, child, edge = bwd[node]
                steps.append((node, child, edge))  # type: ignore[arg-type]
                node = child  # type: ignore[assignment]
            return steps
    return None


def _expand(
    frontier: list[str], neighbours: Neighbours, seen: dict[str, tuple[int, str | None, Any]], depth: int
) -> list[str]:
    adjacency = neighbours(frontier)
    nxt = []
    for u in frontier:
        for v, edge in adjacency.get(u, ()):
            if v not in seen:
                seen[v] = (depth, u, edge)
                nxt.append(v)
    return nxt


# --- adjacency from the database -------------------------------------------------------


def _outgoing(conn: Connection) -> Neighbours:
    def fetch(frontier: Sequence[str]) -> Mapping[str, list[tuple[str, Row]]]:
        out: dict[str, list[tuple[str, Row]]] = defaultdict(list)
        for e in store.out_edges(conn, frontier):
            out[e.citing_id].append((e.target_id, e))
        return out

    return fetch


def _incoming(conn: Connection) -> Neighbours:
    def fetch(frontier: Sequence[str]) -> Mapping[str, list[tuple[str, Row]]]:
        out: dict[str, list[tuple[str, Row]]] = defaultdict(list)
        for e in store.in_edges(conn, frontier):
            out[e.target_id].append((e.citing_id, e))
        return out

    return fetch


def _both(conn: Connection) -> Neighbours:
    """Undirected adjacency: cited cables first (REF order), then citing ones (oldest first)."""
    outgoing, incoming = _outgoing(conn), _incoming(conn)

    def fetch(frontier: Sequence[str]) -> Mapping[str, list[tuple[str, Row]]]:
        out: dict[str, list[tuple[str, Row]]] = defaultdict(list)
        for adjacency in (outgoing(frontier), incoming(frontier)):
            for node, pairs in adjacency.items():
                out[node].extend(pairs)
        return out

    return fetch


def _depth(depth: int | None) -> int:
    if depth is None:
        return MAX_DEPTH
    if depth < 1:
        raise UsageError("--depth must be 1 or more")
    return min(depth, MAX_DEPTH)


def _iso(d: datetime | None) -> str | None:
    return d.isoformat(sep=" ", timespec="minutes") if d else None


# --- use cases -------------------------------------------------------------------------


def refs_deep(engine: Engine, written: str, depth: int) -> list[dict]:
    """The stored cables a cable cites, directly (depth 1) and through the cables it
    cites (depth 2...), each once, with the link that first reached it and the path."""
    with read_tx(engine) as conn:
        start = find_cable(conn, written)
        reached = bfs(start, _outgoing(conn), _depth(depth))
        hits = [r for r in reached.values() if r.depth > 0]
        facts = store.cable_facts(conn, [r.node for r in hits])
        mentions = store.mentions_of_items(conn, [(r.edge.citing_id, r.edge.ordinal) for r in hits])
        rows = []
        for r in hits:
            e, c = r.edge, facts.get(r.node)
            rows.append(
                {
                    "citing_id": e.citing_id,
                    "ordinal": e.ordinal,
                    "letter": e.letter,
                    "raw": e.raw,
                    "kind": e.kind,
                    "cited_id": e.cited_id,
                    "status": e.status,
                    "method": e.method,
                    "confidence": round(e.confidence, 4),
                    "target_id": e.target_id,
                    "mentions": [
                        {
                            "text": m.text,
                            "paragraph": m.paragraph,
                            "start": m.start_offset,
                            "end": m.end_offset,
                            "letter": m.letter,
                            "form": m.form,
                        }
                        for m in mentions.get((e.citing_id, e.ordinal), [])
                    ],
                    "depth": r.depth,
                    "path": path_to(reached, r.node),
                    "target_date": _iso(c.date) if c else None,
                    "target_origin": c.origin if c else None,
                    "target_classification": c.classification if c else None,
                    "target_subject": c.subject if c else None,
                }
            )
        return rows


def cited_by_deep(engine: Engine, written: str, depth: int) -> list[dict]:
    """The stored cables citing a cable, directly (depth 1) and through cables citing
    those (depth 2...), each once, with the link that first reached it and the path
    (from the asked cable to the citing one)."""
    with read_tx(engine) as conn:
        start = find_cable(conn, written)
        reached = bfs(start, _incoming(conn), _depth(depth))
        hits = [r for r in reached.values() if r.depth > 0]
        facts = store.cable_facts(conn, [r.node for r in hits])
        rows = []
        for r in hits:
            e, c = r.edge, facts.get(r.node)
            rows.append(
                {
                    "citing_id": e.citing_id,
                    "letter": e.letter,
                    "raw": e.raw,
                    "method": e.method,
                    "confidence": round(e.confidence, 4),
                    "citing_date": _iso(c.date) if c else None,
                    "citing_subject": c.subject if c else None,
                    "target_id": e.target_id,
                    "depth": r.depth,
                    "path": path_to(reached, r.node),
                    "citing_origin": c.origin if c else None,
                    "citing_classification": c.classification if c else None,
                }
            )
        # Within a depth, oldest citing cable first (as plain cited-by lists them).
        rows.sort(key=lambda r: (r["depth"], r["citing_date"] is None, r["citing_date"] or "", r["citing_id"]))
        return rows


def thread(engine: Engine, written: str, *, depth: int | None = None, connected: bool = False) -> list[dict]:
    """The chain of cables around one cable, in date order: what it cites
    (transitively, ``relation`` "earlier"), what cites it (transitively, "later"), and
    with ``connected`` every cable linked to those in any direction ("connected").
    ``distance`` is the number of links from the asked cable; ``cites`` and
    ``cited_by`` list the links inside the thread."""
    limit = _depth(depth)
    with read_tx(engine) as conn:
        start = find_cable(conn, written)
        earlier = bfs(start, _outgoing(conn), limit)
        later = bfs(start, _incoming(conn), limit)
        relation: dict[str, tuple[str, int]] = {start: ("self", 0)}
        for reached, name in ((earlier, "earlier"), (later, "later")):
            for r in reached.values():
                if r.node not in relation or r.depth < relation[r.node][1]:
                    relation[r.node] = (name, r.depth)
        if connected:
            for r in bfs(start, _both(conn), limit).values():
                relation.setdefault(r.node, ("connected", r.depth))
        members = set(relation)
        facts = store.cable_facts(conn, members)
        cites: dict[str, list[str]] = defaultdict(list)
        cited_by: dict[str, list[str]] = defaultdict(list)
        for e in store.out_edges(conn, sorted(members)):
            if e.target_id in members and e.target_id not in cites[e.citing_id]:
                cites[e.citing_id].append(e.target_id)
                cited_by[e.target_id].append(e.citing_id)
    rows = []
    for node, (rel, dist) in relation.items():
        c = facts.get(node)
        rows.append(
            {
                "id": node,
                "date": _iso(c.date) if c else None,
                "origin": c.origin if c else None,
                "classification": c.classification if c else None,
                "subject": c.subject if c else None,
                "relation": rel,
                "distance": dist,
                "cites": sorted(cites.get(node, [])),
                "cited_by": sorted(cited_by.get(node, [])),
            }
        )
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["id"]))
    return rows


def path(
    engine: Engine, written_from: str, written_to: str, *, undirected: bool = False, max_depth: int = 20
) -> list[dict]:
    """How one cable leads to another: a shortest chain of citations from the first to
    the second (A cites ... cites B); failing that, from the second to the first; with
    ``undirected``, links in either direction.  Raises NotFound when there is none."""
    limit = _depth(max_depth)
    with read_tx(engine) as conn:
        a = find_cable(conn, written_from)
        b = find_cable(conn, written_to)
        if a == b:
            raise UsageError("give two different cables")
        if undirected:
            steps = shortest_path(a, b, _both(conn), _both(conn), limit)
        else:
            steps = shortest_path(a, b, _outgoing(conn), _incoming(conn), limit)
            if steps is None:
                steps = shortest_path(b, a, _outgoing(conn), _incoming(conn), limit)
        if steps is None:
            raise NotFound(
                f"no chain of citations links {a} and {b} within {limit} steps",
                hint=None if undirected else "--undirected also follows links against their direction",
            )
        facts = store.cable_facts(conn, {n for s in steps for n in s[:2]})
    rows = []
    for i, (frm, to, e) in enumerate(steps, start=1):
        c = facts.get(to)
        rows.append(
            {
                "step": i,
                "from_id": frm,
                "to_id": to,
                "direction": "cites" if e.citing_id == frm else "cited_by",
                "citing_id": e.citing_id,
                "letter": e.letter,
                "raw": e.raw,
                "target_id": e.target_id,
                "method": e.method,
                "confidence": round(e.confidence, 4),
                "to_date": _iso(c.date) if c else None,
                "to_subject": c.subject if c else None,
            }
        )
    return rows


def neighbourhood(conn: Connection, start: str, depth: int) -> set[str]:
    """Stored cables within ``depth`` links of ``start`` in either direction (exports)."""
    return set(bfs(start, _both(conn), _depth(depth)))
