"""Ingest and resolution through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from refdb.errors import AmbiguousId, NotFound
from refdb.service import decisions, queries
from refdb.service.ingest import ingest_parsed
from refdb.service.resolve import resolve_all

from .factory import cable, ref

A = cable("08TOKYO1002", "2008-04-11 06:26", (ref(0, "A", "08TOKYO960"), ref(1, "B", "07TOKYO5019"), ref(2, "C", None)))
B = cable("08TOKYO960", "2008-04-02 09:00", (ref(0, "A", "07TOKYO5019"),))
C = cable("07TOKYO5019", "2007-10-20 10:00")


def _outputs(engine):
    return (
        [queries.refs(engine, i) for i in ("08TOKYO1002", "08TOKYO960", "07TOKYO5019")],
        [queries.cited_by(engine, i) for i in ("08TOKYO1002", "08TOKYO960", "07TOKYO5019")],
        queries.unresolved(engine),
    )


def test_references_link_to_stored_cables(engine):
    report = ingest_parsed(engine, [A, B, C])
    assert report.new == 3
    rows = queries.refs(engine, "08TOKYO1002")
    assert [(r["letter"], r["cited_id"], r["status"], r["target_id"]) for r in rows] == [
        ("A", "08TOKYO960", "resolved", "08TOKYO960"),
        ("B", "07TOKYO5019", "resolved", "07TOKYO5019"),
        ("C", None, "not_a_cable", None),
    ]
    assert rows[0]["method"] == "exact" and rows[0]["confidence"] == 1.0
    assert [m["text"] for m in rows[0]["mentions"]] == ["(REF A)"]
    assert [r["citing_id"] for r in queries.cited_by(engine, "07TOKYO5019")] == ["08TOKYO960", "08TOKYO1002"]


@pytest.mark.parametrize("order", [(A, B, C), (C, B, A), (B, A, C)], ids=["abc", "cba", "bac"])
def test_ingest_order_does_not_matter(engine, order):
    for c in order:  # one ingest per cable: later cables must link references already waiting
        ingest_parsed(engine, [c])
    expected_links = {("08TOKYO1002", "A"): "08TOKYO960", ("08TOKYO1002", "B"): "07TOKYO5019",
                      ("08TOKYO960", "A"): "07TOKYO5019"}
    got = {(r["citing_id"], r["letter"]): r["target_id"] for i in ("08TOKYO1002", "08TOKYO960")
           for r in queries.refs(engine, i) if r["target_id"]}
    assert got == expected_links


def test_same_outputs_whatever_the_order(db_url):
    from refdb.store.engine import create
    from refdb.store.migrate import ensure_schema, downgrade

    eng = create(db_url)
    ensure_schema(eng)
    ingest_parsed(eng, [A])
    ingest_parsed(eng, [B, C])
    first = _outputs(eng)
    downgrade(eng, "base")
    ensure_schema(eng)
    ingest_parsed(eng, [C, B])
    ingest_parsed(eng, [A])
    assert _outputs(eng) == first
    eng.dispose()


def test_reingest_is_idempotent(engine):
    ingest_parsed(engine, [A, B, C])
    before = _outputs(engine)
    again = ingest_parsed(engine, [A, B, C])
    assert (again.new, again.replaced, again.unchanged) == (0, 0, 3)
    assert _outputs(engine) == before


def test_changed_text_replaces_old_version_and_its_references(engine):
    ingest_parsed(engine, [A, B, C])
    A2 = cable("08TOKYO1002", "2008-04-11 06:26", (ref(0, "A", "07TOKYO5019"),), subject="REVISED")
    report = ingest_parsed(engine, [A2])
    assert report.replaced == 1
    rows = queries.refs(engine, "08TOKYO1002")
    assert [(r["letter"], r["target_id"]) for r in rows] == [("A", "07TOKYO5019")]
    assert queries.show(engine, "08TOKYO1002")["subject"] == "REVISED"
    assert queries.cited_by(engine, "08TOKYO960") == []


def test_garbled_and_real_transmissions_are_both_kept(engine):
    garbled = cable("08SCTION02OF02SAOPAULO335", "2008-03-01 10:00", real="08SAOPAULO335", subject="GARBLED COPY")
    real = cable("08SAOPAULO335", "2008-03-01 10:00", subject="REAL COPY")
    citing = cable("08SAOPAULO400", "2008-03-20 10:00", (ref(0, "A", "08SAOPAULO335"),))
    ingest_parsed(engine, [garbled, citing])
    # Only the garbled transmission is stored: the reference links to it by its real ID.
    assert queries.refs(engine, "08SAOPAULO400")[0]["target_id"] == "08SCTION02OF02SAOPAULO335"
    ingest_parsed(engine, [real])
    # Once the real one arrives, the reference to the real ID links to the real one.
    assert queries.refs(engine, "08SAOPAULO400")[0]["target_id"] == "08SAOPAULO335"
    assert queries.show(engine, "08SCTION02OF02SAOPAULO335")["subject"] == "GARBLED COPY"
    assert queries.show(engine, "08SAOPAULO335")["subject"] == "REAL COPY"


@pytest.mark.parametrize("written", ["08TOKYO1002", "08 TOKYO 1002", "TOKYO 001002", "08tokyo1002"])
def test_ids_as_people_write_them(engine, written):
    ingest_parsed(engine, [A, B, C])
    assert queries.show(engine, written)["id"] == "08TOKYO1002"


def test_display_form_fitting_two_cables_lists_candidates(engine):
    ingest_parsed(engine, [A, cable("07TOKYO1002", "2007-04-11 06:26")])
    with pytest.raises(AmbiguousId) as err:
        queries.show(engine, "TOKYO 001002")
    assert err.value.candidates == ["07TOKYO1002", "08TOKYO1002"]


def test_unknown_cable_is_not_found(engine):
    ingest_parsed(engine, [A])
    with pytest.raises(NotFound):
        queries.refs(engine, "08TOKYO1003")


def test_unresolved_filters(engine):
    ingest_parsed(engine, [A])
    rows = queries.unresolved(engine)
    assert {r["cited_id"] for r in rows} == {"08TOKYO960", "07TOKYO5019"}
    assert [r["cited_id"] for r in queries.unresolved(engine, origin="tokyo", year=2007)] == ["07TOKYO5019"]
    assert queries.unresolved(engine, origin="MOSCOW") == []
    assert all(r["reason"] == "in_catalogue_not_loaded" for r in rows)


def test_manual_decisions_survive_reingest_and_resolve(engine):
    other = cable("08TOKYO900", "2008-03-30 09:00")
    ingest_parsed(engine, [A, B, C, other])
    decisions.link(engine, "08TOKYO1002", "A", "08TOKYO900", author="tester")
    decisions.unlink(engine, "08TOKYO1002", "B", author="tester")

    def check():
        rows = {r["letter"]: r for r in queries.refs(engine, "08TOKYO1002")}
        assert (rows["A"]["status"], rows["A"]["method"], rows["A"]["target_id"]) == ("resolved", "manual", "08TOKYO900")
        assert (rows["B"]["status"], rows["B"]["method"], rows["B"]["target_id"]) == ("unresolved", "manual", None)
        assert "by:tester" in rows["A"]["evidence"]

    check()
    A_again = cable("08TOKYO1002", "2008-04-11 06:26", A.refs, text=A.text + "\n")  # changed text: re-stored
    assert ingest_parsed(engine, [A_again]).replaced == 1
    check()
    resolve_all(engine)
    check()
    decisions.forget(engine, "08TOKYO1002", "A")
    assert queries.refs(engine, "08TOKYO1002")[0]["target_id"] == "08TOKYO960"
