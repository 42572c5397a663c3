"""Graph queries: refs/cited-by --depth, thread, path; on cycles and diamonds, on
SQLite and PostgreSQL, and property-tested against networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refdb.errors import NotFound, UsageError
from refdb.service import graph

from .helpers import cid, graph_cables, load, wipe

# 1 -> 2 -> 4 and 1 -> 3 -> 4 (a diamond), 4 -> 5 -> 1 (a cycle back), 6 -> 5, 7 alone.
CYCLIC = {1: [2, 3], 2: [4], 3: [4], 4: [5], 5: [1], 6: [5]}
# 12 -> 10 -> 11 <- 13 (13 is a sibling of 10), 14 -> 12: no cycle.
TREE = {10: [11], 12: [10], 13: [11], 14: [12]}


@pytest.fixture
def cyclic(engine):
    load(engine, graph_cables(CYCLIC, nodes=[7]))
    return engine


@pytest.fixture
def tree(engine):
    load(engine, graph_cables(TREE, days={11: 1, 10: 2, 12: 3, 13: 4, 14: 5}))
    return engine


def _ids(*ns: int) -> list[str]:
    return [cid(n) for n in ns]


def _number(cable_id: str) -> int:
    return int(cable_id.lstrip("0123456789").lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


@pytest.mark.parametrize(
    ("start", "depth", "expected"),
    [
        (1, 1, [(2, 1, [1, 2]), (3, 1, [1, 3])]),
        (1, 2, [(2, 1, [1, 2]), (3, 1, [1, 3]), (4, 2, [1, 2, 4])]),
        (1, 3, [(2, 1, [1, 2]), (3, 1, [1, 3]), (4, 2, [1, 2, 4]), (5, 3, [1, 2, 4, 5])]),
        (1, 50, [(2, 1, [1, 2]), (3, 1, [1, 3]), (4, 2, [1, 2, 4]), (5, 3, [1, 2, 4, 5])]),
        (6, 9, [(5, 1, [6, 5]), (1, 2, [6, 5, 1]), (2, 3, [6, 5, 1, 2]), (3, 3, [6, 5, 1, 3]), (4, 4, [6, 5, 1, 2, 4])]),
        (7, 3, []),
    ],
    ids=["direct", "diamond-once", "depth-3", "cycle-stops", "into-cycle", "isolated"],
)
def test_refs_depth(cyclic, start, depth, expected):
    rows = graph.refs_deep(cyclic, cid(start), depth)
    assert [(r["target_id"], r["depth"], r["path"]) for r in rows] == [(cid(n), d, _ids(*p)) for n, d, p in expected]
    for r in rows:  # the link that reached each cable is one of its real REF items
        assert r["citing_id"] == r["path"][-2] and r["status"] == "resolved" and r["cited_id"] == r["target_id"]
        assert r["target_subject"] == f"CABLE NUMBER {_number(r['target_id'])}"


@pytest.mark.parametrize(
    ("start", "depth", "expected"),
    [
        (4, 1, [(2, 1, [4, 2]), (3, 1, [4, 3])]),
        (4, 2, [(2, 1, [4, 2]), (3, 1, [4, 3]), (1, 2, [4, 2, 1])]),
        (4, 9, [(2, 1, [4, 2]), (3, 1, [4, 3]), (1, 2, [4, 2, 1]), (5, 3, [4, 2, 1, 5]), (6, 4, [4, 2, 1, 5, 6])]),
        (6, 5, []),
    ],
    ids=["direct", "diamond-once", "around-the-cycle", "uncited"],
)
def test_cited_by_depth(cyclic, start, depth, expected):
    rows = graph.cited_by_deep(cyclic, cid(start), depth)
    assert [(r["citing_id"], r["depth"], r["path"]) for r in rows] == [(cid(n), d, _ids(*p)) for n, d, p in expected]
    for r in rows:
        assert r["target_id"] == r["path"][-2]


def test_depth_must_be_positive(cyclic):
    with pytest.raises(UsageError):
        graph.refs_deep(cyclic, cid(1), 0)


@pytest.mark.parametrize(
    ("start", "kwargs", "expected"),
    [
        (10, {}, [(11, "earlier", 1), (10, "self", 0), (12, "later", 1), (14, "later", 2)]),
        (10, {"depth": 1}, [(11, "earlier", 1), (10, "self", 0), (12, "later", 1)]),
        (10, {"connected": True}, [(11, "earlier", 1), (10, "self", 0), (12, "later", 1), (13, "connected", 2), (14, "later", 2)]),
        (13, {}, [(11, "earlier", 1), (13, "self", 0)]),
    ],
    ids=["lineage", "depth-1", "connected", "sibling"],
)
def test_thread(tree, start, kwargs, expected):
    rows = graph.thread(tree, cid(start), **kwargs)
    assert [(r["id"], r["relation"], r["distance"]) for r in rows] == [(cid(n), rel, d) for n, rel, d in expected]
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)


def test_thread_lists_links_inside_it(tree):
    rows = {r["id"]: r for r in graph.thread(tree, cid(10), connected=True)}
    assert rows[cid(11)]["cited_by"] == _ids(10, 13)
    assert rows[cid(12)]["cites"] == _ids(10) and rows[cid(12)]["cited_by"] == _ids(14)


def test_thread_on_a_cycle_lists_each_cable_once(cyclic):
    rows = graph.thread(cyclic, cid(4))
    assert sorted(r["id"] for r in rows) == _ids(1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "expected"),
    [
        (1, 5, {}, [1, 2, 4, 5]),
        (5, 1, {}, [5, 1]),
        (4, 6, {}, [6, 5, 1, 2, 4]),  # no chain from 4 to 6: the one from 6 to 4 is shown
        (2, 3, {}, [2, 4, 5, 1, 3]),
        (2, 3, {"undirected": True}, [2, 1, 3]),
        (1, 5, {"max_depth": 3}, [1, 2, 4, 5]),
    ],
    ids=["forward", "one-step", "backward", "long-way-round", "undirected", "just-within-limit"],
)
def test_path(cyclic, a, b, kwargs, expected):
    rows = graph.path(cyclic, cid(a), cid(b), **kwargs)
    chain = [rows[0]["from_id"]] + [r["to_id"] for r in rows]
    assert chain == _ids(*expected)
    for r in rows:
        forward = r["direction"] == "cites"
        assert (r["citing_id"], r["target_id"]) == ((r["from_id"], r["to_id"]) if forward else (r["to_id"], r["from_id"]))


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "error"),
    [
        (7, 1, {}, NotFound),
        (1, 7, {"undirected": True}, NotFound),
        (1, 4, {"max_depth": 1}, NotFound),  # 1 -> 2 -> 4 and 4 -> 5 -> 1 are both two links
        (1, 1, {}, UsageError),
    ],
    ids=["isolated", "isolated-undirected", "beyond-limit", "same-cable"],
)
def test_path_failures(cyclic, a, b, kwargs, error):
    with pytest.raises(error):
        graph.path(cyclic, cid(a), cid(b), **kwargs)


# --- property tests against networkx ---------------------------------------------------

edge_lists = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n),
        st.integers(0, n - 1),
        st.integers(0, n - 1),
        st.integers(1, n + 1),
    )
)


def _adjacency(pairs):  # type: ignore[no-untyped-def]
    out: dict[int, list] = {}
    for i, (u, v) in enumerate(pairs):
        out.setdefault(u, []).append((v, i))
    return lambda frontier: {u: out.get(u, []) for u in frontier}


def _reverse(pairs):  # type: ignore[no-untyped-def]
    return _adjacency([(v, u) for u, v in pairs])


def _nx(n, pairs):  # type: ignore[no-untyped-def]
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(pairs)
    return g


@settings(max_examples=400, deadline=None)
@given(edge_lists)
def test_bfs_matches_networkx(case):
    n, pairs, start, _, depth = case
    g = _nx(n, pairs)
    reached = graph.bfs(start, _adjacency(pairs), depth)
    assert {k: r.depth for k, r in reached.items()} == nx.single_source_shortest_path_length(g, start, cutoff=depth)
    for node in reached:
        p = graph.path_to(reached, node)
        assert p[0] == start and p[-1] == node and len(p) - 1 == reached[node].depth
        assert all(g.has_edge(u, v) for u, v in zip(p, p[1:]))


@settings(max_examples=400, deadline=None)
@given(edge_lists, st.booleans())
def test_shortest_path_matches_networkx(case, undirected):
    n, pairs, a, b, max_depth = case
    g = _nx(n, pairs)
    if undirected:
        both = pairs + [(v, u) for u, v in pairs]
        steps = graph.shortest_path(a, b, _adjacency(both), _reverse(both), max_depth)
        g = g.to_undirected(as_view=True)
    else:
        steps = graph.shortest_path(a, b, _adjacency(pairs), _reverse(pairs), max_depth)
    expected = nx.shortest_path_length(g, a, b) if nx.has_path(g, a, b) else None
    if expected is None or expected > max_depth:
        assert steps is None
        return
    assert steps is not None and len(steps) == expected
    chain = [a] + [to for _, to, _ in steps]
    assert chain[-1] == b and all(frm == chain[i] for i, (frm, _, _) in enumerate(steps))
    assert all(g.has_edge(u, v) for u, v, _ in steps)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edge_lists)
def test_depth_queries_through_the_database_match_networkx(engine, case):
    n, pairs, start, _, depth = case
    wipe(engine)
    edges: dict[int, list[int]] = {}
    for u, v in pairs:
        edges.setdefault(u + 1, []).append(v + 1)
    load(engine, graph_cables(edges, nodes=range(1, n + 1)))
    g = nx.relabel_nodes(_nx(n, [(u, v) for u, v in pairs if u != v]), lambda k: k + 1)  # no self-citations
    for rows, reference, key in (
        (graph.refs_deep(engine, cid(start + 1), depth), g, "target_id"),
        (graph.cited_by_deep(engine, cid(start + 1), depth), g.reverse(copy=False), "citing_id"),
    ):
        want = nx.single_source_shortest_path_length(reference, start + 1, cutoff=depth)
        del want[start + 1]
        assert {r[key]: r["depth"] for r in rows} == {cid(k): d for k, d in want.items()}
        assert len(rows) == len({r[key] for r in rows})  # each cable once
        for r in rows:
            assert r["path"][0] == cid(start + 1) and r["path"][-1] == r[key] and len(r["path"]) == r["depth"] + 1


@pytest.mark.parametrize("incoming", [False, True], ids=["refs", "cited-by"])
@pytest.mark.parametrize("start", [1, 4, 6, 7])
def test_recursive_cte_alternative_agrees_with_the_bfs(cyclic, start, incoming):
    from refdb.store.engine import read_tx
    from refdb.store.graph import reachable_cte

    deep = graph.cited_by_deep if incoming else graph.refs_deep
    key = "citing_id" if incoming else "target_id"
    with read_tx(cyclic) as conn:
        got = reachable_cte(conn, cid(start), incoming=incoming, max_depth=6)
    assert got == {r[key]: r["depth"] for r in deep(cyclic, cid(start), 6)}
