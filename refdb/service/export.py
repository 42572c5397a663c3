"""Use case: export the citation graph (all of it, or a filtered part) for Gephi,
Graphviz, networkx and spreadsheets.

Formats: GraphML, GEXF 1.2, Graphviz DOT, node-link JSON (networkx's
``json_graph.node_link_graph(data, edges="edges")``) and CSV (an edge list, or with
``nodes=True`` the node table).  Written with the standard library only, streamed
row by row: memory holds the set of node IDs, never the edges.

Nodes are stored cables (``stored`` true) and, with ``include_unresolved``, the
cited IDs of unresolved references (``stored`` false).  Every node has its date,
year, origin, classification and subject; every edge its letter, the REF text,
kind, status, method and confidence.  Edge keys are ``CITING#ordinal``: several
letters of one cable citing the same cable give parallel edges (a multigraph).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from sqlalchemy.engine import Engine

from refdb import __version__
from refdb.errors import UsageError
from refdb.ids import normalise_origin
from refdb.service.graph import neighbourhood
from refdb.service.queries import find_cable
from refdb.service.reports import period
from refdb.store import graph as store
from refdb.store.engine import read_tx

__all__ = ["FORMATS", "ExportReport", "export_graph"]

FORMATS = ("graphml", "gexf", "dot", "json", "csv")

# (name, type) of node and edge attributes, in output order.  Types: string, int,
# double, boolean.
NODE_ATTRS = (
    ("label", "string"),
    ("date", "string"),
    ("year", "int"),
    ("origin", "string"),
    ("classification", "string"),
    ("subject", "string"),
    ("stored", "boolean"),
)
EDGE_ATTRS = (
    ("letter", "string"),
    ("raw", "string"),
    ("kind", "string"),
    ("status", "string"),
    ("method", "string"),
    ("confidence", "double"),
)

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 up, less
# surrogates and U+FFFE/U+FFFF.  Cable texts carry form feeds and worse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text that XML 1.0 can carry: control characters become spaces, lone
    surrogates (undecodable input bytes kept by the reader) U+FFFD."""
    return _NOT_XML.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else " ", text)


# Every format gets the same text, whether it could carry control characters or not.
_clean = _xml


@dataclass
class ExportReport:
    nodes: int = 0
    edges: int = 0
    missing_nodes: int = 0


# --- writers --------------------------------------------------------------------------


class _Writer:
    def __init__(self, out: TextIO, name: str) -> None:
        self.out = out
        self.name = name

    def begin(self) -> None: ...
    def begin_edges(self) -> None: ...
    def node(self, n: dict) -> None: ...
    def edge(self, e: dict) -> None: ...
    def end(self) -> None: ...


_GRAPHML_TYPES = {"string": "string", "int": "int", "double": "double", "boolean": "boolean"}


def _xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _xml(str(value))


class _GraphML(_Writer):
    def begin(self) -> None:
        w = self.out.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w(
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        for scope, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
            for name, kind in attrs:
                w(
                    f'  <key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" '
                    f'attr.type="{_GRAPHML_TYPES[kind]}"/>\n'
                )
        w(f'  <graph id={quoteattr(_xml(self.name))} edgedefault="directed">\n')

    def _data(self, prefix: str, attrs, values: dict) -> str:  # type: ignore[no-untyped-def]
        return "".join(
            f'<data key="{prefix}_{name}">{escape(_xml_value(values[name]))}</data>'
            for name, _ in attrs
            if values.get(name) is not None
        )

    def node(self, n: dict) -> None:
        self.out.write(f"    <node id={quoteattr(_xml(n['id']))}>{self._data('n', NODE_ATTRS, n)}</node>\n")

    def edge(self, e: dict) -> None:
        self.out.write(
            f"    <edge id={quoteattr(_xml(e['key']))} source={quoteattr(_xml(e['source']))} "
            f"target={quoteattr(_xml(e['target']))}>{self._data('e', EDGE_ATTRS, e)}</edge>\n"
        )

    def end(self) -> None:
        self.out.write("  </graph>\n</graphml>\n")


_GEXF_TYPES = {"string": "string", "int": "integer", "double": "double", "boolean": "boolean"}


class _GEXF(_Writer):
    """GEXF 1.2 (Gephi's native format; networkx reads it with ``read_gexf``)."""

    def begin(self) -> None:
        w = self.out.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        w(
            '<gexf xmlns="http://www.gexf.net/1.2draft" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
            'version="1.2">\n'
        )
        w(f"  <meta><creator>refdb {escape(__version__)}</creator>"
          f"<description>{escape(_xml(self.name))}</description></meta>\n")
        w('  <graph mode="static" defaultedgetype="directed">\n')
        for scope, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
            w(f'    <attributes class="{scope}">\n')
            for name, kind in attrs:
                if name == "label":
                    continue  # GEXF nodes have a label of their own
                w(f'      <attribute id="{name}" title="{name}" type="{_GEXF_TYPES[kind]}"/>\n')
            w("    </attributes>\n")
        w("    <nodes>\n")

    def _values(self, attrs, values: dict) -> str:  # type: ignore[no-untyped-def]
        parts = [
            f'<attvalue for="{name}" value={quoteattr(_xml_value(values[name]))}/>'
            for name, _ in attrs
            if name != "label" and values.get(name) is not None
        ]
        return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""

    def node(self, n: dict) -> None:
        self.out.write(
            f"      <node id={quoteattr(_xml(n['id']))} label={quoteattr(_xml(n['label']))}>"
            f"{self._values(NODE_ATTRS, n)}</node>\n"
        )

    def begin_edges(self) -> None:
        self.out.write("    </nodes>\n    <edges>\n")

    def edge(self, e: dict) -> None:
        self.out.write(
            f"      <edge id={quoteattr(_xml(e['key']))} source={quoteattr(_xml(e['source']))} "
            f"target={quoteattr(_xml(e['target']))}>{self._values(EDGE_ATTRS, e)}</edge>\n"
        )

    def end(self) -> None:
        self.out.write("    </edges>\n  </graph>\n</gexf>\n")


def _dot_string(value: Any, *, label: bool = False) -> str:
    """A DOT double-quoted string for ``value``: quotes escaped, backslashes doubled
    (Graphviz reads a doubled backslash as a pair, so no backslash can escape the
    closing quote; in labels, which are escStrings, a pair renders as one backslash;
    in other attributes it reads back doubled).  In labels, newlines become ``\\n``
    (a centred line break); elsewhere they stay as they are."""
    text = _xml(str(value).lower() if isinstance(value, bool) else str(value))
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    if label:
        text = text.replace("\r", "").replace("\n", "\\n")
    return f'"{text}"'


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


class _Dot(_Writer):
    def begin(self) -> None:
        w = self.out.write
        w(f"digraph {_dot_string(self.name)} {{\n")
        w("  graph [rankdir=RL, fontname=\"Helvetica\"];\n")
        w("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n")
        w("  edge [fontname=\"Helvetica\", fontsize=9];\n")

    @staticmethod
    def _attrs(pairs: Iterable[tuple[str, Any]]) -> str:
        return ", ".join(f"{k}={_dot_string(v, label=k == 'label')}" for k, v in pairs if v is not None)

    def node(self, n: dict) -> None:
        label = "\n".join(x for x in (n["id"], (n.get("date") or "")[:10], _short(n.get("subject"), 40)) if x)
        pairs = [("label", label)] + [(k, n.get(k)) for k, _ in NODE_ATTRS if k != "label"]
        if not n.get("stored"):
            pairs.append(("style", "dashed"))
        self.out.write(f"  {_dot_string(n['id'])} [{self._attrs(pairs)}];\n")

    def edge(self, e: dict) -> None:
        pairs = [("label", e.get("letter") or ""), ("key", e["key"])] + [(k, e.get(k)) for k, _ in EDGE_ATTRS]
        if e.get("status") != "resolved":
            pairs.append(("style", "dashed"))
        self.out.write(f"  {_dot_string(e['source'])} -> {_dot_string(e['target'])} [{self._attrs(pairs)}];\n")

    def end(self) -> None:
        self.out.write("}\n")


class _Json(_Writer):
    """networkx node-link JSON, streamed: one node or edge per line."""

    def begin(self) -> None:
        head = {"directed": True, "multigraph": True, "graph": {"name": self.name, "creator": f"refdb {__version__}"}}
        self.out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',\n"nodes": [\n')
        self._first = True

    def _item(self, d: dict) -> None:
        self.out.write(("" if self._first else ",\n") + json.dumps(d, ensure_ascii=False))
        self._first = False

    def node(self, n: dict) -> None:
        self._item({k: v for k, v in n.items() if v is not None})

    def begin_edges(self) -> None:
        self.out.write('\n],\n"edges": [\n')
        self._first = True

    def edge(self, e: dict) -> None:
        self._item({k: v for k, v in e.items() if v is not None})

    def end(self) -> None:
        self.out.write("\n]}\n")


EDGE_CSV = ("source", "target", "key") + tuple(n for n, _ in EDGE_ATTRS)
NODE_CSV = ("id",) + tuple(n for n, _ in NODE_ATTRS)


class _Csv(_Writer):
    """An edge list (Gephi's edges table: source, target ...), or the node table."""

    def __init__(self, out: TextIO, name: str, nodes: bool) -> None:
        super().__init__(out, name)
        self.nodes = nodes
        self.writer = csv.writer(out, lineterminator="\n")

    def begin(self) -> None:
        self.writer.writerow(NODE_CSV if self.nodes else EDGE_CSV)

    @staticmethod
    def _cell(v: Any) -> Any:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        return v

    def node(self, n: dict) -> None:
        if self.nodes:
            self.writer.writerow([self._cell(n.get(c)) for c in NODE_CSV])

    def edge(self, e: dict) -> None:
        if not self.nodes:
            self.writer.writerow([self._cell(e.get(c)) for c in EDGE_CSV])


def _writer(fmt: str, out: TextIO, name: str, nodes: bool) -> _Writer:
    if fmt == "graphml":
        return _GraphML(out, name)
    if fmt == "gexf":
        return _GEXF(out, name)
    if fmt == "dot":
        return _Dot(out, name)
    if fmt == "json":
        return _Json(out, name)
    if fmt == "csv":
        return _Csv(out, name, nodes)
    raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")


# --- the use case -----------------------------------------------------------------------


def _node(r) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": _clean(r.id),
        "label": _clean(r.id),
        "date": r.date.isoformat(sep=" ", timespec="minutes") if r.date else None,
        "year": r.year,
        "origin": r.origin,
        "classification": r.classification,
        "subject": _clean(r.subject) if r.subject else None,
        "stored": True,
    }


def _edge(r, target: str) -> dict:  # type: ignore[no-untyped-def]
    return {
        "source": _clean(r.citing_id),
        "target": _clean(target),
        "key": _clean(f"{r.citing_id}#{r.ordinal}"),
        "letter": r.letter,
        "raw": _clean(r.raw),
        "kind": r.kind,
        "status": r.status,
        "method": r.method,
        "confidence": round(float(r.confidence), 4),
    }


def _missing_key(r) -> str | None:  # type: ignore[no-untyped-def]
    return r.resolved_id or r.cited_id


def export_graph(
    engine: Engine,
    out: TextIO,
    fmt: str,
    *,
    origin: str | list[str] | tuple[str, ...] | None = None,
    since: str | None = None,
    until: str | None = None,
    around: str | None = None,
    depth: int = 1,
    include_unresolved: bool = False,
    nodes: bool = False,
    on_total: Callable[[int], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ExportReport:
    """Write the graph of stored cables (filtered by ``origin``, ``since``/``until``, or
    the cables within ``depth`` links of ``around``) to ``out`` in format ``fmt``.

    An edge is written when both its ends are exported.  With ``include_unresolved``,
    unresolved and ambiguous references are written too, to a node for the ID they
    cite (``stored`` false; with origin or date filters, only when its post and year
    pass them)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if nodes and fmt != "csv":
        raise UsageError("--nodes goes with --format csv (the other formats carry nodes and edges together)")
    if around and (origin or since or until):
        raise UsageError("--around cannot be combined with --origin, --since or --until")
    start, end = period(since, until)
    origins = tuple(sorted({normalise_origin(o) for o in ([origin] if isinstance(origin, str) else origin or ())}))
    report = ExportReport()
    with read_tx(engine) as conn:
        if around:
            centre = find_cable(conn, around)
            scope = store.Scope(ids=frozenset(neighbourhood(conn, centre, depth)))
            name = f"refdb: {centre} and the cables within {depth} link{'s' if depth != 1 else ''}"
        else:
            scope = store.Scope(origins=origins, since=start, until=end)
            name = "refdb citation graph" + _describe(origins, since, until)
        members = store.stored_ids(conn, scope)
        missing: dict[str, dict] = {}
        if include_unresolved:
            missing = _missing_nodes(conn, scope, members)
        if on_total:
            on_total(store.count_nodes(conn, scope) + len(missing) + store.count_edges(conn, scope, with_open=include_unresolved))
        writer = _writer(fmt, out, name, nodes)
        writer.begin()
        done = 0
        for r in store.iter_nodes(conn, scope):
            writer.node(_node(r))
            report.nodes += 1
            done += 1
            if on_progress and done % 500 == 0:
                on_progress(500)
        for key in sorted(missing):
            writer.node(missing[key])
            report.nodes += 1
            report.missing_nodes += 1
        writer.begin_edges()
        for r in store.iter_edges(conn, scope, with_open=include_unresolved):
            done += 1
            if on_progress and done % 500 == 0:
                on_progress(500)
            if r.status == store.RESOLVED:
                target = r.target_id
                if target is None or target not in members:
                    continue
            else:
                target = _missing_key(r)
                if target is None or (target not in missing and target not in members):
                    continue
            writer.edge(_edge(r, target))
            report.edges += 1
        writer.end()
        if on_progress:
            on_progress(done % 500)
    return report


def _describe(origins: tuple[str, ...], since: str | None, until: str | None) -> str:
    parts = []
    if origins:
        parts.append("origin " + ", ".join(origins))
    if since:
        parts.append(f"since {since}")
    if until:
        parts.append(f"until {until}")
    return f" ({'; '.join(parts)})" if parts else ""


def _missing_nodes(conn, scope: store.Scope, members: set[str]) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Nodes for the IDs cited by unresolved references of exported cables."""
    found: dict[str, dict] = {}
    for r in store.iter_edges(conn, scope, with_open=True):
        if r.status == store.RESOLVED:
            continue
        key = _missing_key(r)
        if key is None or key in members or key in found:
            continue
        if scope.ids is None and scope.filtered and not _passes(r, scope):
            continue
        found[key] = {
            "id": _clean(key),
            "label": _clean(key),
            "date": None,
            "year": r.cited_year,
            "origin": r.cited_origin,
            "classification": None,
            "subject": None,
            "stored": False,
        }
    # An ID stored but outside the exported part stays out (the export is induced).
    for stored in store.existing_ids(conn, list(found)):
        del found[stored]
    return found


def _passes(r, scope: store.Scope) -> bool:  # type: ignore[no-untyped-def]
    if scope.origins and r.cited_origin not in scope.origins:
        return False
    if r.cited_year is not None:
        if scope.since is not None and r.cited_year < scope.since.year:
            return False
        if scope.until is not None and datetime(r.cited_year, 1, 1) >= scope.until:
            return False
    return True
