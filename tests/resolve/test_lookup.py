"""MemoryLookup and the catalogue: real IDs, including garbled published ones."""

from __future__ import annotations

from datetime import datetime

import pytest

from refdb.ids import CableId
from refdb.resolve.lookup import MemoryLookup, StoredCable, bundled_catalogue, load_catalogue, read_catalogue

ID = CableId.parse

# 08SAOPAULO335 is published garbled; 07SOIA828 is published with a dropped letter.
GARBLED = StoredCable("08SCTION02OF02SAOPAULO335", ID("08SAOPAULO335"), datetime(2008, 6, 26, 9, 9), None, "SAOPAULO")
SOIA = StoredCable("07SOIA828", ID("07SOFIA828"), datetime(2007, 6, 1), None, "SOFIA")
CLEAN = StoredCable("08SAOPAULO335", ID("08SAOPAULO335"), datetime(2008, 6, 26, 9, 9), None, "SAOPAULO")


def test_a_garbled_cable_is_found_under_its_real_id_and_its_published_one() -> None:
    lookup = MemoryLookup([GARBLED])
    assert lookup.stored(ID("08SAOPAULO335")) == (GARBLED,)
    assert lookup.stored(CableId(2008, "SCTION02OF02SAOPAULO", 335)) == (GARBLED,)


def test_a_published_id_with_a_dropped_letter_is_found_as_written() -> None:
    lookup = MemoryLookup([SOIA])
    assert lookup.stored(ID("07SOFIA828")) == (SOIA,)
    assert lookup.stored(CableId(2007, "SOIA", 828)) == (SOIA,)


@pytest.mark.parametrize("order", ["garbled first", "clean first"])
def test_published_equal_comes_first_whatever_the_order(order: str) -> None:
    cables = [GARBLED, CLEAN] if order == "garbled first" else [CLEAN, GARBLED]
    assert MemoryLookup(cables).stored(ID("08SAOPAULO335")) == (CLEAN, GARBLED)


def test_catalogue_origins_and_serial_ranges() -> None:
    catalogue = [ID("08TOKYO960"), ID("08TOKYO1003"), ID("07TOKYO5019")]
    lookup = MemoryLookup([StoredCable("08TOKYO1002", ID("08TOKYO1002"), None, None, "TOKYO")], catalogue)
    assert lookup.in_catalogue(ID("08TOKYO1003"))
    assert not lookup.in_catalogue(ID("08TOKYO1002"))  # stored, but not in this catalogue
    assert lookup.origins() == frozenset({"TOKYO"})
    assert lookup.origins() is lookup.origins()  # one object: a cheap cache key
    assert lookup.serial_range("TOKYO", 2008) == (960, 1003)
    assert lookup.serial_range("TOKYO", 2007) == (5019, 5019)
    assert lookup.serial_range("TOKYO", 2006) is None


DTG_SPELLINGS = {
    "as normalised": "141937Z FEB 07",
    "with precedence": "R 141937Z FEB 07",
    "glued": "141937ZFEB07",
    "four-digit year, lower case": "141937Z Feb 2007",
}


@pytest.mark.parametrize("written", DTG_SPELLINGS.values(), ids=DTG_SPELLINGS.keys())
def test_by_dtg(written: str, stored_cables: list[StoredCable]) -> None:
    lookup = MemoryLookup(stored_cables)
    assert [c.id for c in lookup.by_dtg("STATE", written)] == ["07STATE18563"]
    assert lookup.by_dtg("TOKYO", written) == ()


def test_serial_after_is_the_second_lowest_serial_dated_later(stored_cables: list[StoredCable]) -> None:
    """MADRID 2007 in the fixture: 101 (Jan 18), 116 (Jan 22), 173 (Feb 1)."""
    lookup = MemoryLookup(stored_cables)
    assert lookup.serial_after("MADRID", 2007, datetime(2007, 1, 4)) == 116
    assert lookup.serial_after("MADRID", 2007, datetime(2007, 1, 20)) == 173
    assert lookup.serial_after("MADRID", 2007, datetime(2007, 1, 25)) is None  # one cable left
    assert lookup.serial_after("TOKYO", 2008, datetime(2008, 1, 1)) is None


READ = {
    "well-formed": ("08TOKYO1002", "08TOKYO1002"),
    "caveat fused": ("10EFTOKABUL668", "10KABUL668"),
    "section line fused": ("08SCTION02OF02SAOPAULO335", "08SAOPAULO335"),
    "dropped letter": ("07SOIA828", "07SOFIA828"),
    "post typo, repaired like a REF item": ("09BRUSSQLS1235", "09BRUSSELS1235"),
    "unreadable": ("092OF5", None),
    "serial too long to be one": ("08EFTOKABUL10000000", None),
}


@pytest.mark.parametrize(("published", "real"), READ.values(), ids=READ.keys())
def test_read_catalogue(published: str, real: str | None) -> None:
    load = read_catalogue([published])
    assert [c.canonical for c in load.ids] == ([real] if real else [])
    assert load.skipped == (() if real else (published,))


def test_the_bundled_catalogue_accounts_for_every_published_id() -> None:
    load = bundled_catalogue()
    assert len(load.ids) + len(load.skipped) == 251_287
    assert load.canonical + load.repaired + load.post_matched == len(load.ids)
    assert len(load.skipped) < 25  # a handful of unreadable garbles
    assert ID("10KABUL668") in set(load_catalogue())


def test_one_dtg_sent_by_two_posts_is_found_per_sender() -> None:
    # The DTG index is keyed by the DTG alone; the sender decides when asked.
    tokyo = StoredCable("08TOKYO1002", ID("08TOKYO1002"), datetime(2008, 4, 11, 6, 26), "110626Z APR 08", "TOKYO")
    moscow = StoredCable("08MOSCOW977", ID("08MOSCOW977"), datetime(2008, 4, 11, 6, 26), "110626Z APR 08", "MOSCOW")
    unnamed = StoredCable("08MOSCOW978", ID("08MOSCOW978"), None, "110626Z APR 08", None)  # sender read from its ID
    lookup = MemoryLookup([moscow, tokyo, unnamed])
    assert lookup.by_dtg("TOKYO", "110626Z APR 08") == (tokyo,)
    assert lookup.by_dtg("MOSCOW", "R 110626Z APR 08") == (moscow, unnamed)
    assert lookup.by_dtg("PARIS", "110626Z APR 08") == ()


def test_dates_come_back_exactly_as_given() -> None:
    from datetime import timezone

    naive = StoredCable("08TOKYO1", ID("08TOKYO1"), datetime(2008, 4, 11, 6, 26, 59, 123456), None, "TOKYO")
    aware = StoredCable("08TOKYO2", ID("08TOKYO2"), datetime(2008, 4, 11, 6, 26, tzinfo=timezone.utc), None, "TOKYO")
    undated = StoredCable("08TOKYO3", ID("08TOKYO3"), None, None, "TOKYO")
    lookup = MemoryLookup([naive, aware, undated])
    for c in (naive, aware, undated):
        assert lookup.stored(c.real) == (c,)
        assert lookup.stored(c.real)[0].date == c.date and (c.date is None or lookup.stored(c.real)[0].date.tzinfo == c.date.tzinfo)
