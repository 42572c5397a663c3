"""resolve_item: one row per method and per triage reason, on real cables.

Citing cables, cited cables, their dates and DTGs come from the corpus
(tests/fixtures/resolve/stored.csv); the raw REF texts are the ones those cables carry
where they exist (``SAN JSE 1955``, ``DELHI 1482``, ``TAIPEI 02800`` ...).  Items are
built the way the parser builds them: the post as written, the ID read literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from refdb.ids import CableId, InvalidCableId
from refdb.model import RefItem, RefKind, Status, YearSource
from refdb.resolve.lookup import MemoryLookup, StoredCable
from refdb.resolve.pipeline import Citing, resolve_item, timeline_keys, wait_key

EXPLICIT, CITING_YEAR = YearSource.EXPLICIT, YearSource.CITING_YEAR


def cable(raw: str, written: str, serial: int, year: int, source: YearSource = EXPLICIT) -> RefItem:
    """A cable item as the parser reads it: post as written, ID read literally."""
    try:
        cited: CableId | None = CableId.of(year, written, serial)
    except InvalidCableId:
        cited = None
    return RefItem(0, "A", raw, cited=cited, origin_written=written, serial=serial, year=year, year_source=source)


def dtg_item(raw: str, sender: str, dtg: str) -> RefItem:
    return RefItem(0, "A", raw, kind=RefKind.DTG_MESSAGE, dtg_sender=sender, dtg=dtg)


@dataclass(frozen=True)
class Row:
    citing: str  # a stored cable's ID, or "ID@YYYY-MM-DD" for a citing cable not stored
    item: RefItem
    status: Status
    method: str | None
    target: str | None = None
    resolved: str | None = None
    reason: str | None = None
    evidence: str | None = None  # one code that must be among the evidence


ROWS = {
    # --- methods ---
    "exact": Row("04NEWDELHI7026", cable("NEW DELHI 6980", "NEW DELHI", 6980, 2004, CITING_YEAR),
                 Status.RESOLVED, "exact", "04NEWDELHI6980", "04NEWDELHI6980"),
    "published_id: stored under a garbled ID": Row(
        "09SANJOSE591", cable("SAN JOSE 525", "SAN JOSE", 525, 2009, CITING_YEAR),
        Status.RESOLVED, "published_id", "09SECTION01OF03SANJOSE525", "09SANJOSE525",
        evidence="stored_as:09SECTION01OF03SANJOSE525"),
    "post_alias: SECSTATE is STATE": Row(
        "08TOKYO1002", cable("07 SECSTATE 18563", "SECSTATE", 18563, 2007),
        Status.RESOLVED, "post_alias", "07STATE18563", "07STATE18563", evidence="post_alias:SECSTATE->STATE"),
    "post_alias: KIEV renamed KYIV in 2006": Row(
        "08TOKYO1002", cable("KIEV 13", "KIEV", 13, 2008, CITING_YEAR),
        Status.UNRESOLVED, "post_alias", None, "08KYIV13", "in_catalogue_not_loaded", "post_rename:KIEV->KYIV"),
    "routing_indicator": Row(
        "09BRASILIA391", cable("08 RUEHKO 1002", "RUEHKO", 1002, 2008),
        Status.RESOLVED, "routing_indicator", "08TOKYO1002", "08TOKYO1002", evidence="routing_indicator:RUEHKO->TOKYO"),
    "repair_o0: zero in the post": Row(
        "09BRASILIA391", cable("08 T0KYO 1002", "T0KYO", 1002, 2008),
        Status.RESOLVED, "repair_o0", "08TOKYO1002", "08TOKYO1002", evidence="repair_o0:T0KYO->TOKYO"),
    "repair_o0: letter O in the serial": Row(
        "09BRASILIA391", RefItem(0, "A", "A. 08 TOKYO 1OO2", origin_written="TOKYO"),
        Status.RESOLVED, "repair_o0", "08TOKYO1002", "08TOKYO1002", evidence="repair_o0:1OO2->1002"),
    "repair_split: DELHI for NEW DELHI": Row(
        "05NEWDELHI1615", cable("DELHI 1482", "DELHI", 1482, 2005, CITING_YEAR),
        Status.RESOLVED, "repair_split", "05NEWDELHI1482", "05NEWDELHI1482", evidence="repair_split:DELHI->NEWDELHI"),
    "repair_split: KUALA LUMP, not in the catalogue": Row(
        "05NEWDELHI9434@2005-12-15", cable("KUALA LUMP 4317", "KUALA LUMP", 4317, 2005, CITING_YEAR),
        Status.UNRESOLVED, "repair_split", None, "05KUALALUMPUR4317", "not_in_catalogue",
        "repair_split:KUALALUMP->KUALALUMPUR"),
    "garbled_id: EFTO fused in": Row(
        "10KABUL700@2010-03-01", cable("10EFTOKABUL668", "EFTOKABUL", 668, 2010),
        Status.UNRESOLVED, "garbled_id", None, "10KABUL668", "in_catalogue_not_loaded",
        "garbled_id:caveat_fused:10EFTOKABUL668->10KABUL668"),
    "fuzzy_post": Row(
        "06SANJOSE2734", cable("SAN JSE 1955", "SAN JSE", 1955, 2006, CITING_YEAR),
        Status.RESOLVED, "fuzzy_post", "06SANJOSE1955", "06SANJOSE1955", evidence="fuzzy_post:SANJOSE:86"),
    "city_group: TAIPEI shares AITTAIPEI's serials": Row(
        "06TAIPEI2921", cable("TAIPEI 02800", "TAIPEI", 2800, 2006, CITING_YEAR),
        Status.UNRESOLVED, "city_group", None, "06AITTAIPEI2800", "in_catalogue_not_loaded",
        "city_group:TAIPEI->AITTAIPEI"),
    "year_inferred: from dates (January, MADRID 3095)": Row(
        "07HAVANA5", cable("MADRID 3095", "MADRID", 3095, 2007, CITING_YEAR),
        Status.RESOLVED, "year_inferred", "06MADRID3095", "06MADRID3095", evidence="year_inferred_from_date"),
    "year_inferred: above the citing cable's own serial": Row(
        "09BRASILIA391", cable("BRASILIA 1252", "BRASILIA", 1252, 2009, CITING_YEAR),
        Status.RESOLVED, "year_inferred", "08BRASILIA1252", "08BRASILIA1252",
        evidence="year_inferred_from_serial_order"),
    "year_inferred: above every known serial of the year": Row(
        "08BAGHDAD159", cable("BASRAH 000115", "BASRAH", 115, 2008, CITING_YEAR),
        Status.UNRESOLVED, "year_inferred", None, "07BASRAH115", "in_catalogue_not_loaded",
        "year_inferred_from_serial"),
    "dtg": Row(
        "08TOKYO1002", dtg_item("SECSTATE 141937Z FEB 07", "SECSTATE", "141937Z FEB 07"),
        Status.RESOLVED, "dtg", "07STATE18563", "07STATE18563", evidence="dtg:STATE:141937Z FEB 07"),
    "kind: an e-mail": Row(
        "04NEWDELHI6980", RefItem(0, "A", "10/23 CAMP-PYATT E-MAIL", kind=RefKind.EMAIL),
        Status.NOT_A_CABLE, "kind", reason="not_a_cable", evidence="kind:email"),
    # --- triage reasons and near misses ---
    "near miss: TOKYO 1003 is not the stored TOKYO 1002": Row(
        "09BRASILIA391", cable("08 TOKYO 1003", "TOKYO", 1003, 2008),
        Status.UNRESOLVED, None, None, "08TOKYO1003", "in_catalogue_not_loaded"),
    "not_in_catalogue": Row(
        "09BRASILIA391", cable("08 TOKYO 1100", "TOKYO", 1100, 2008),
        Status.UNRESOLVED, None, None, "08TOKYO1100", "not_in_catalogue"),
    "not_in_catalogue: sibling post numbers its own cables": Row(
        "09BRASILIA391", cable("08 BRUSSELS 9", "BRUSSELS", 9, 2008),
        Status.UNRESOLVED, None, None, "08BRUSSELS9", "not_in_catalogue",
        "city_sibling_separate_serials:08USNATO9"),
    "not_in_catalogue: a DTG sender that sends no Cablegate cables": Row(
        "09BRASILIA391", dtg_item("SECDEF R162245Z OCT 08", "SECDEF", "R162245Z OCT 08"),
        Status.UNRESOLVED, None, reason="not_in_catalogue", evidence="dtg_sender_unknown:SECDEF"),
    "not_stored: a DTG no stored cable has": Row(
        "09BRASILIA391", dtg_item("SECSTATE 010101Z JAN 07", "SECSTATE", "010101Z JAN 07"),
        Status.UNRESOLVED, None, reason="not_stored", evidence="dtg:STATE:010101Z JAN 07"),
    "malformed": Row(
        "09BRASILIA391", RefItem(0, "A", "SEE PREVIOUS CABLES"),
        Status.UNRESOLVED, None, reason="malformed", evidence="no_cable_id"),
    "ambiguous: ANAMA is one typo from MANAMA and from PANAMA": Row(
        "09BRASILIA391", cable("ANAMA 84", "ANAMA", 84, 2009, CITING_YEAR),
        Status.AMBIGUOUS, "fuzzy_post", reason="ambiguous", evidence="fuzzy_post_ambiguous:ANAMA:MANAMA:83,PANAMA:83"),
    "ambiguous: NAIRO is NAIROBI cut short or CAIRO mistyped": Row(
        "09CAIRO1305@2009-07-01", cable("08 NAIRO 2122", "NAIRO", 2122, 2008),
        Status.AMBIGUOUS, "fuzzy_post", reason="ambiguous", evidence="split_or_typo_ambiguous:NAIRO:CAIRO:80,NAIROBI:71"),
    "contradiction_date: the cited cable is newer": Row(
        "04NEWDELHI6980", cable("04 NEW DELHI 7026", "NEW DELHI", 7026, 2004),
        Status.UNRESOLVED, None, None, "04NEWDELHI7026", "contradiction_date",
        "cited_after_citing:04NEWDELHI7026:2004-11-04"),
    "self_citation": Row(
        "09TRIPOLI268", cable("TRIPOLI 00000268", "TRIPOLI", 268, 2009, CITING_YEAR),
        Status.UNRESOLVED, None, None, "09TRIPOLI268", "self_citation", "self_citation"),
}  # fmt: skip


def citing_for(spec: str, by_id: dict[str, StoredCable]) -> Citing:
    if "@" in spec:
        published, day = spec.split("@")
        return Citing(CableId.parse(published), published, datetime.fromisoformat(day))
    stored = by_id[spec]
    return Citing(stored.real, stored.id, stored.date)


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_resolve_item(row: Row, lookup: MemoryLookup, by_id: dict[str, StoredCable]) -> None:
    res = resolve_item(citing_for(row.citing, by_id), row.item, lookup)
    assert (res.status, res.method, res.target_id, res.reason) == (row.status, row.method, row.target, row.reason)
    if row.resolved is not None:
        assert res.resolved_id == row.resolved
    if row.evidence is not None:
        assert row.evidence in res.evidence
    assert 0.0 <= res.confidence <= 1.0
    if res.status is Status.RESOLVED:
        assert res.confidence > 0 and not res.candidates


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_same_answer_whatever_the_lookup_input_order(
    row: Row, lookup: MemoryLookup, lookup_reversed: MemoryLookup, by_id: dict[str, StoredCable]
) -> None:
    citing = citing_for(row.citing, by_id)
    assert resolve_item(citing, row.item, lookup) == resolve_item(citing, row.item, lookup_reversed)


AMBIGUOUS_CANDIDATES = {
    # Both readings exist in the catalogue: ranked by score, then ID.
    "ANAMA": (ROWS["ambiguous: ANAMA is one typo from MANAMA and from PANAMA"], ["09MANAMA84", "09PANAMA84"]),
    # CAIRO 2122 exists, NAIROBI 2122 does not: the existing reading ranks first.
    "NAIRO": (ROWS["ambiguous: NAIRO is NAIROBI cut short or CAIRO mistyped"], ["08CAIRO2122", "08NAIROBI2122"]),
}


@pytest.mark.parametrize(("row", "expected"), AMBIGUOUS_CANDIDATES.values(), ids=AMBIGUOUS_CANDIDATES.keys())
def test_ambiguous_items_rank_their_candidates(
    row: Row, expected: list[str], lookup: MemoryLookup, by_id: dict[str, StoredCable]
) -> None:
    res = resolve_item(citing_for(row.citing, by_id), row.item, lookup)
    assert [c.target_id for c in res.candidates] == expected


WAITS = {
    "in_catalogue_not_loaded waits for the repaired ID": ("garbled_id: EFTO fused in", "10KABUL668"),
    "not_in_catalogue waits for the ID it names": ("not_in_catalogue", "08TOKYO1100"),
    "resolved waits for nothing": ("exact", None),
    "contradiction_date waits for nothing": ("contradiction_date: the cited cable is newer", None),
    "self_citation waits for nothing": ("self_citation", None),
    "ambiguous waits for nothing": ("ambiguous: ANAMA is one typo from MANAMA and from PANAMA", None),
    "malformed waits for nothing": ("malformed", None),
    "a DTG-only message waits for nothing": ("not_stored: a DTG no stored cable has", None),
    "not_a_cable waits for nothing": ("kind: an e-mail", None),
}


@pytest.mark.parametrize(("row_name", "expected"), WAITS.values(), ids=WAITS.keys())
def test_wait_key(row_name: str, expected: str | None, lookup: MemoryLookup, by_id: dict[str, StoredCable]) -> None:
    row = ROWS[row_name]
    res = resolve_item(citing_for(row.citing, by_id), row.item, lookup)
    assert wait_key(row.item, res) == expected


def test_a_waiting_item_resolves_once_its_cable_is_stored(stored_cables: list[StoredCable]) -> None:
    """What storage does with wait_key: when the awaited cable arrives, resolve again."""
    row = ROWS["near miss: TOKYO 1003 is not the stored TOKYO 1002"]
    citing = Citing(CableId.parse("09BRASILIA391"), "09BRASILIA391", datetime(2009, 3, 28))
    before = MemoryLookup(stored_cables, [CableId.parse("08TOKYO1003")])
    waiting = wait_key(row.item, resolve_item(citing, row.item, before))
    arrived = StoredCable("08TOKYO1003", CableId.parse("08TOKYO1003"), datetime(2008, 4, 11, 8, 0), None, "TOKYO")
    after = MemoryLookup([*stored_cables, arrived], [CableId.parse("08TOKYO1003")])
    res = resolve_item(citing, row.item, after)
    assert waiting == "08TOKYO1003"
    assert (res.status, res.method, res.target_id) == (Status.RESOLVED, "exact", "08TOKYO1003")


def test_an_exact_item_from_an_empty_lookup_is_not_in_catalogue() -> None:
    """No catalogue, nothing stored: every cable item is triaged, none linked."""
    item = cable("TOKYO 1002", "TOKYO", 1002, 2008, CITING_YEAR)
    res = resolve_item(Citing(None, "08STATE1", datetime(2008, 5, 1)), item, MemoryLookup())
    assert (res.status, res.reason, res.resolved_id) == (Status.UNRESOLVED, "not_in_catalogue", "08TOKYO1002")


TIMELINES = {
    "a year-less item, unresolved": ("repair_split: KUALA LUMP, not in the catalogue",
                                     (("KUALALUMPUR", 2005), ("KUALALUMPUR", 2004))),
    "a year-less item linked by inference": ("year_inferred: from dates (January, MADRID 3095)",
                                             (("MADRID", 2007), ("MADRID", 2006))),
    "a year-less item linked as written": ("exact", ()),
    "an item with its year written": ("not_in_catalogue", ()),
    "not a cable": ("kind: an e-mail", ()),
}  # fmt: skip


@pytest.mark.parametrize(("row_name", "expected"), TIMELINES.values(), ids=TIMELINES.keys())
def test_timeline_keys(
    row_name: str, expected: tuple[tuple[str, int], ...], lookup: MemoryLookup, by_id: dict[str, StoredCable]
) -> None:
    row = ROWS[row_name]
    res = resolve_item(citing_for(row.citing, by_id), row.item, lookup)
    assert timeline_keys(row.item, res) == expected


def test_a_later_cable_of_the_post_lets_the_year_be_inferred(stored_cables: list[StoredCable]) -> None:
    """Why storage re-resolves by timeline_keys: MADRID 3095 cited in January 2007 is
    last year's only once MADRID cables dated after it, with lower serials, are known."""
    row = ROWS["year_inferred: from dates (January, MADRID 3095)"]
    citing = Citing(CableId.parse("07HAVANA5"), "07HAVANA5", datetime(2007, 1, 3, 18, 6))
    early = [c for c in stored_cables if not c.id.startswith("07MADRID")]
    before = resolve_item(citing, row.item, MemoryLookup(early))
    after = resolve_item(citing, row.item, MemoryLookup(stored_cables))
    assert (before.status, before.resolved_id) == (Status.UNRESOLVED, "07MADRID3095")
    assert ("MADRID", 2007) in timeline_keys(row.item, before)
    assert (after.status, after.target_id) == (Status.RESOLVED, "06MADRID3095")


def test_no_year_is_inferred_from_a_post_whose_numbering_restarted() -> None:
    """SAN JOSE, 2010: serials 102-114 in January, 3-23 in February (the catalogue shows
    44 posts restarting).  SAN JOSE 110 cited on 5 January is not last year's."""
    def cable_on(serial: int, day: str) -> StoredCable:
        return StoredCable(f"10SANJOSE{serial}", CableId(2010, "SANJOSE", serial), datetime.fromisoformat(day), None,
                           "SANJOSE")  # fmt: skip

    stored = [cable_on(102, "2010-01-04"), cable_on(114, "2010-01-28"), cable_on(3, "2010-02-02"),
              cable_on(19, "2010-02-05"), cable_on(23, "2010-02-08")]  # fmt: skip
    item = cable("SAN JOSE 110", "SAN JOSE", 110, 2010, CITING_YEAR)
    res = resolve_item(Citing(CableId.parse("10STATE900"), "10STATE900", datetime(2010, 1, 5)), item,
                       MemoryLookup(stored))  # fmt: skip
    assert (res.status, res.method, res.resolved_id) == (Status.UNRESOLVED, None, "10SANJOSE110")


# --- the first year a cable ID holds (refdb.ids.FIRST_YEAR) --------------------------------


def _cable_1966(serial: int, day: str) -> StoredCable:
    return StoredCable(f"66TOKYO{serial}", CableId(1966, "TOKYO", serial), datetime.fromisoformat(day), None, "TOKYO")


FIRST_YEAR_ROWS = {
    # (Each citing cable is dated 3 January of its year.)
    # TOKYO 120, cited by TOKYO 500 on 3 January 1966, is dated after it; no ID holds
    # 1965: the contradiction is reported, never a year outside the window.
    "a year-less item dated after the citing cable": (
        "66TOKYO500", cable("TOKYO 120", "TOKYO", 120, 1966, CITING_YEAR),
        (Status.UNRESOLVED, "contradiction_date", "66TOKYO120", None), (("TOKYO", 1966),)),
    # Above TOKYO 5's own serial: last year's, 1965.  The stored 66TOKYO120 is not it.
    "a year-less item above the citing serial": (
        "66TOKYO5", cable("T0KYO 120", "T0KYO", 120, 1966, CITING_YEAR),
        (Status.UNRESOLVED, "malformed", None, "year_before_first_year:1965"), (("T0KYO", 1966),)),
    # The parser leaves such an item without a year (and says why in its note).
    "a year-less item the parser could not place": (
        "66TOKYO5", RefItem(0, "A", "TOKYO 120", origin_written="TOKYO", serial=120, note="... from 1965 ..."),
        (Status.UNRESOLVED, "malformed", None, "no_cable_id"), ()),
    "a year-less item of 1967 above the citing serial: 1966": (
        "67TOKYO5", cable("TOKYO 120", "TOKYO", 120, 1967, CITING_YEAR),
        (Status.RESOLVED, None, "66TOKYO120", "year_inferred_from_serial_order"), (("TOKYO", 1967), ("TOKYO", 1966))),
}  # fmt: skip


@pytest.mark.parametrize(
    ("citing", "item", "expected", "timeline"), FIRST_YEAR_ROWS.values(), ids=FIRST_YEAR_ROWS.keys()
)
def test_no_year_before_the_first(citing: str, item: RefItem, expected: tuple, timeline: tuple) -> None:
    stored = [_cable_1966(5, "1966-01-02"), _cable_1966(120, "1966-01-20"), _cable_1966(500, "1966-01-02")]
    cid = CableId.parse(citing)
    res = resolve_item(Citing(cid, citing, datetime(cid.year, 1, 3, 10, 0)), item, MemoryLookup(stored))
    status, reason, resolved, evidence = expected
    assert (res.status, res.reason, res.resolved_id) == (status, reason, resolved)
    assert evidence is None or evidence in res.evidence, res.evidence
    assert timeline_keys(item, res) == timeline
