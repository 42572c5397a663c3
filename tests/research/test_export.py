"""Exports: every format loads in networkx (Graphviz renders DOT), with every node and
edge attribute intact, whatever the cable text contains; filters; the corpus graph."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import networkx as nx
import pytest

from refdb.errors import NotFound, UsageError
from refdb.service.export import EDGE_CSV, FORMATS, NODE_CSV, export_graph

from .helpers import POSTS, cid, graph_cables, load

# Subjects with everything that breaks hand-written XML, DOT or CSV.
NASTY = {
    1: 'A <B> & "C" \'D\' \\E {F} [b]bold[/NOTAL] ; -- # % ÄÖ – «»',
    2: "FORM\x0cFEED, BELL\x07, TAB\tAND\nNEWLINE",
    3: "PLAIN",
    4: "ENDS WITH A BACKSLASH \\",
}
# 1 -> 2 -> 3, 1 -> 3, 4 -> 3 (two letters to one cable: parallel edges), 5 alone.
EDGES = {1: [2, 3], 2: [3], 4: [3, 3]}
DAYS = {3: 0, 2: 1, 1: 2, 4: 3, 5: 4}
MISSING = {1: ["07STATE500"], 4: ["06MOSCOW9"]}


def _clean(text: str) -> str:
    """What an export makes of a subject: control characters (not allowed in XML 1.0)
    become spaces."""
    return "".join(" " if (ord(c) < 32 and c not in "\t\n\r") else c for c in text)


@pytest.fixture
def db(engine):
    load(engine, graph_cables(EDGES, nodes=[5], days=DAYS, subjects=NASTY, missing=MISSING))
    return engine


def _export(engine, fmt: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    export_graph(engine, out, fmt, **kwargs)
    return out.getvalue()


def _load(fmt: str, text: str, nodes_csv: str | None = None) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    if fmt == "json":
        return nx.node_link_graph(json.loads(text), edges="edges")
    if fmt == "csv":
        g = nx.MultiDiGraph()
        for row in csv.DictReader(io.StringIO(nodes_csv or "")):
            g.add_node(row.pop("id"), **row)
        for row in csv.DictReader(io.StringIO(text)):
            g.add_edge(row.pop("source"), row.pop("target"), key=row.pop("key"), **row)
        return g
    raise AssertionError(fmt)


def _graph(engine, fmt: str, **kwargs) -> nx.MultiDiGraph:  # type: ignore[no-untyped-def]
    nodes = _export(engine, "csv", nodes=True, **kwargs) if fmt == "csv" else None
    return _load(fmt, _export(engine, fmt, **kwargs), nodes)


LOADABLE = [f for f in FORMATS if f != "dot"]


@pytest.mark.parametrize("fmt", LOADABLE)
def test_whole_graph_loads_in_networkx_with_its_attributes(db, fmt):
    g = _graph(db, fmt)
    assert set(g.nodes) == {cid(n) for n in (1, 2, 3, 4, 5)}
    assert sorted((u, v) for u, v, _ in g.edges(keys=True)) == sorted(
        [(cid(1), cid(2)), (cid(1), cid(3)), (cid(2), cid(3)), (cid(4), cid(3)), (cid(4), cid(3))]
    )
    for n, subject in NASTY.items():
        assert g.nodes[cid(n)]["subject"] == _clean(subject)
    node = g.nodes[cid(1)]
    assert (node["origin"], node["classification"]) == (POSTS[1], "CONFIDENTIAL")
    assert str(node["date"]).startswith("2008-03-03") and str(node["year"]) == "2008"
    assert str(node["stored"]).lower() == "true"
    edge = g.get_edge_data(cid(4), cid(3), key=f"{cid(4)}#1")
    assert (edge["letter"], edge["status"], edge["method"], edge["kind"]) == ("B", "resolved", "exact", "cable")
    assert float(edge["confidence"]) == 1.0 and edge["raw"]


@pytest.mark.parametrize("fmt", LOADABLE)
def test_unresolved_references_become_nodes_not_stored(db, fmt):
    g = _graph(db, fmt, include_unresolved=True)
    assert {"07STATE500", "06MOSCOW9"} <= set(g.nodes)
    assert str(g.nodes["07STATE500"]["stored"]).lower() == "false"
    assert g.nodes["07STATE500"]["origin"] == "STATE"
    (edge,) = g.get_edge_data(cid(1), "07STATE500").values()
    assert edge["status"] == "unresolved" and edge["letter"] == "C"


@pytest.mark.parametrize(
    ("kwargs", "nodes", "edges"),
    [
        ({"around": cid(2), "depth": 1}, {1, 2, 3}, 3),
        ({"around": cid(5), "depth": 3}, {5}, 0),
        ({"origin": [POSTS[1], POSTS[3]]}, {1, 3}, 1),
        ({"since": "2008-03-02", "until": "2008-03-03"}, {1, 2}, 1),
    ],
    ids=["around", "around-alone", "origins", "date-range"],
)
def test_filtered_exports_are_induced_subgraphs(db, kwargs, nodes, edges):
    g = _graph(db, "graphml", **kwargs)
    assert set(g.nodes) == {cid(n) for n in nodes}
    assert g.number_of_edges() == edges


def test_filtered_export_keeps_only_matching_missing_nodes(db):
    g = _graph(db, "json", origin=[POSTS[1], "STATE"], include_unresolved=True)
    assert set(g.nodes) == {cid(1), "07STATE500"}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"fmt": "xml"}, UsageError),
        ({"fmt": "graphml", "nodes": True}, UsageError),
        ({"fmt": "dot", "around": cid(1), "origin": ["TOKYO"]}, UsageError),
        ({"fmt": "dot", "around": "08TOKYO999999"}, NotFound),
        ({"fmt": "dot", "since": "last week"}, UsageError),
    ],
    ids=["format", "nodes-not-csv", "around-and-origin", "around-unknown", "bad-date"],
)
def test_export_refuses(db, kwargs, error):
    kwargs = dict(kwargs)  # the parameter table is shared by both backends
    fmt = kwargs.pop("fmt")
    with pytest.raises(error):
        _export(db, fmt, **kwargs)


def test_csv_tables_have_documented_columns(db):
    assert next(csv.reader(io.StringIO(_export(db, "csv")))) == list(EDGE_CSV)
    assert next(csv.reader(io.StringIO(_export(db, "csv", nodes=True)))) == list(NODE_CSV)


def test_progress_reports_cover_the_work(db):
    totals, steps = [], []
    export_graph(db, io.StringIO(), "json", on_total=totals.append, on_progress=steps.append)
    assert len(totals) == 1 and sum(steps) == totals[0] == 5 + 5  # nodes + resolved edges


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")


@needs_dot
@pytest.mark.parametrize("kwargs", [{}, {"around": cid(2), "depth": 2, "include_unresolved": True}], ids=["all", "around"])
def test_graphviz_renders_the_dot_export(db, tmp_path, kwargs):
    source = _export(db, "dot", **kwargs)
    svg = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True)
    assert svg.stdout.startswith(b"<?xml") and b"</svg>" in svg.stdout
    assert svg.stderr == b""  # no syntax warnings either
    # Graphviz's own reading of the attributes: escaping survived.
    data = json.loads(subprocess.run(["dot", "-Tjson0"], input=source.encode(), capture_output=True, check=True).stdout)
    subjects = {o["name"]: o.get("subject") for o in data["objects"]}
    for n in (1, 2, 4):  # backslashes read back doubled (DOT's escString convention)
        assert subjects[cid(n)] == _clean(NASTY[n]).replace("\\", "\\\\")
    letters = sorted(e.get("letter", "") for e in data.get("edges", []))
    assert "B" in letters


# --- the corpus ---------------------------------------------------------------------------


@pytest.mark.corpus
def test_corpus_graph_export_loads_in_networkx(corpus_db):
    from refdb.service.reports import stats

    data = stats(corpus_db)
    out = io.StringIO()
    report = export_graph(corpus_db, out, "graphml")
    g = nx.read_graphml(io.BytesIO(out.getvalue().encode("utf-8")), force_multigraph=True)
    assert g.number_of_nodes() == report.nodes == data["cables"]
    assert g.number_of_edges() == report.edges == data["references_by_status"]["resolved"]
    nodes = list(g.nodes(data=True))
    assert all(d["stored"] is True and d["origin"] for _, d in nodes)
    # A value the cable does not have (no SUBJECT line, no date) is left out, not invented.
    assert sum("subject" in d for _, d in nodes) > 0.9 * len(nodes)
    assert sum("date" in d for _, d in nodes) > 0.9 * len(nodes)
    assert all(str(d["year"]) == d["date"][:4] for _, d in nodes if "date" in d and "year" in d)


@pytest.mark.corpus
@needs_dot
def test_corpus_around_export_renders(corpus_db):
    from refdb.service.reports import top

    centre = top(corpus_db, limit=1)[0]["id"]
    source = _export(corpus_db, "dot", around=centre, depth=2)
    svg = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True)
    assert centre.encode() in svg.stdout
