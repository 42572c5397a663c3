"""Reports: unresolved references ranked and grouped, stats, top."""

from __future__ import annotations

from datetime import datetime

import pytest

from refdb.errors import UsageError
from refdb.service import reports

from .helpers import POSTS, cid, graph_cables, load

# 2 is cited by 1, 3 and 4; 1 by 4.  07STATE500 (never stored) is cited by 1, 3 and 4,
# 06MOSCOW9 by 3.  Sent on days 2 < 1 < 3 < 4 of March 2008.
EDGES = {1: [2], 3: [2], 4: [2, 1]}
MISSING = {1: ["07STATE500"], 3: ["07STATE500", "06MOSCOW9"], 4: ["07STATE500"]}
DAYS = {2: 0, 1: 1, 3: 2, 4: 3}


@pytest.fixture
def db(engine):
    load(engine, graph_cables(EDGES, days=DAYS, missing=MISSING))
    return engine


def test_unresolved_ranked_puts_the_most_cited_missing_cable_first(db):
    rows = reports.unresolved_ranked(db)
    assert [(r["rank"], r["cited_id"], r["cited_by_count"], r["references"]) for r in rows] == [
        (1, "07STATE500", 3, 3),
        (2, "06MOSCOW9", 1, 1),
    ]
    top = rows[0]
    assert top["citing_ids"] == [cid(1), cid(3), cid(4)]
    assert (top["origin"], top["year"]) == ("STATE", 2007)
    assert top["reason"] and top["reasons"] == {top["reason"]: 3}
    assert [i["citing_id"] for i in top["items"]] == [cid(1), cid(3), cid(4)]  # oldest citing cable first
    assert top["first_cited"] < top["last_cited"]
    assert isinstance(top["candidates"], list)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"origin": "state"}, ["07STATE500"]),
        ({"year": 2006}, ["06MOSCOW9"]),
        ({"origin": "TOKYO"}, []),
        ({"limit": 1}, ["07STATE500"]),
        ({"reason": "no_such_reason"}, []),
    ],
    ids=["origin", "year", "nothing-from-there", "limit", "reason"],
)
def test_unresolved_ranked_filters(db, kwargs, expected):
    assert [r["cited_id"] for r in reports.unresolved_ranked(db, **kwargs)] == expected


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("origin", [("STATE", 3, 1, 3), ("MOSCOW", 1, 1, 1)]),
        ("year", [("2007", 3, 1, 3), ("2006", 1, 1, 1)]),
    ],
)
def test_unresolved_groups(db, by, expected):
    rows = reports.unresolved_groups(db, by)
    assert all(r["dimension"] == by for r in rows)
    assert [(r["value"], r["references"], r["missing"], r["citing"]) for r in rows] == expected


def test_unresolved_groups_by_reason_add_up(db):
    rows = reports.unresolved_groups(db, "reason")
    assert sum(r["references"] for r in rows) == 4
    with pytest.raises(UsageError):
        reports.unresolved_groups(db, "colour")


def test_unresolved_summary(db):
    data = reports.unresolved_summary(db)
    assert data["references"] == 4
    assert {r["value"] for r in data["by_origin"]} == {"STATE", "MOSCOW"}
    assert sum(r["references"] for r in data["by_year"]) == 4
    assert reports.unresolved_summary(db, origin="MOSCOW")["references"] == 1


def test_stats(db):
    data = reports.stats(db)
    assert (data["cables"], data["references"]) == (4, 8)
    assert data["references_by_status"] == {"resolved": 4, "unresolved": 4}
    assert data["references_by_kind"] == {"cable": 8}
    assert data["resolution"] == {"cable_items": 8, "resolved": 4, "rate": 0.5}
    assert (data["links"], data["cables_citing"], data["cables_cited"]) == (4, 3, 2)
    assert data["cables_by_year"] == {"2008": 4}
    assert sum(data["cables_by_origin"].values()) == 4
    assert data["cables_by_classification"] == {"CONFIDENTIAL": 4}
    assert data["resolution_by_year"] == [{"year": 2008, "cable_items": 8, "resolved": 4, "rate": 0.5}]
    assert sum(data["unresolved_by_reason"].values()) == 4
    assert data["mentions"] >= data["mentions_attached"] > 0
    rows = reports.stats_rows(data)
    assert {"section": "totals", "key": "cables", "count": 4, "rate": None} in rows


def test_stats_filters_on_the_citing_cable(db):
    data = reports.stats(db, origin=[POSTS[4]])  # cable 4 only
    assert (data["cables"], data["references"], data["links"]) == (1, 3, 2)
    assert reports.stats(db, since="2009")["cables"] == 0


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, [(cid(2), 3), (cid(1), 1)]),
        ({"limit": 1}, [(cid(2), 3)]),
        ({"origin": POSTS[1]}, [(cid(1), 1)]),
        ({"since": "2008-03-02"}, [(cid(1), 1)]),
        ({"until": "2008-03-01"}, [(cid(2), 3)]),
        ({"since": "2009"}, []),
    ],
    ids=["all", "limit", "origin", "since", "until-inclusive", "empty"],
)
def test_top(db, kwargs, expected):
    rows = reports.top(db, **kwargs)
    assert [(r["id"], r["cited_by_count"]) for r in rows] == expected
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2008", "2008", (datetime(2008, 1, 1), datetime(2009, 1, 1))),
        ("2008-02", "2008-12", (datetime(2008, 2, 1), datetime(2009, 1, 1))),
        ("2008-02-28", "2008-02-29", (datetime(2008, 2, 28), datetime(2008, 3, 1))),
        (None, "2007-12-31", (None, datetime(2008, 1, 1))),
    ],
)
def test_period(since, until, expected):
    assert reports.period(since, until) == expected


@pytest.mark.parametrize(("since", "until"), [("2008-13", None), ("08", None), ("2009", "2008"), (None, "2008-02-30")])
def test_period_refuses(since, until):
    with pytest.raises(UsageError):
        reports.period(since, until)
