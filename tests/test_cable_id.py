"""The cable-ID type: every written form people and cables use, and the garbles
WikiLeaks published (real IDs from the Cablegate catalogue)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refdb.ids import FIRST_YEAR, LAST_YEAR, CableId, InvalidCableId, full_year, normalise_origin, repair_published

ORIGINS = {"TOKYO", "SAOPAULO", "KABUL", "SOFIA", "BEIJING", "HONGKONG", "MINSK", "STATE", "MADRID", "ABUJA",
           "MOGADISHU", "USUNNEWYORK", "NEWDELHI", "HARARE", "DAKAR"}


@pytest.mark.parametrize(
    "written, year, canonical, display",
    [
        ("08TOKYO1002", None, "08TOKYO1002", "TOKYO 001002"),
        ("08 TOKYO 1002", None, "08TOKYO1002", "TOKYO 001002"),
        ("2008 TOKYO 001002", None, "08TOKYO1002", "TOKYO 001002"),
        ("TOKYO 001002", 2008, "08TOKYO1002", "TOKYO 001002"),
        ("tokyo 1002", 2008, "08TOKYO1002", "TOKYO 001002"),
        ("  08tokyo1002 ", None, "08TOKYO1002", "TOKYO 001002"),
        ("66BUENOSAIRES2481", None, "66BUENOSAIRES2481", "BUENOSAIRES 002481"),
        ("07 NEW DELHI 12", None, "07NEWDELHI12", "NEWDELHI 000012"),
        ("09STATE124636", None, "09STATE124636", "STATE 124636"),
        ("10USUNNEWYORK5", None, "10USUNNEWYORK5", "USUNNEWYORK 000005"),
    ],
)
def test_parse_written_forms(written, year, canonical, display):
    cid = CableId.parse(written, year=year)
    assert cid.canonical == canonical
    assert cid.display == display
    assert str(cid) == canonical


@pytest.mark.parametrize(
    "yy, full", [(66, 1966), (99, 1999), (0, 2000), (10, 2010), (65, 2065), (2007, 2007), (1965, 1965)]
)
def test_full_year(yy, full):
    assert full_year(yy) == full


# The year window: a canonical ID writes two digits, so only 1966-2065 read back as written.
@pytest.mark.parametrize(
    "year, canonical",
    [
        pytest.param(1966, "66TOKYO1", id="first-year"),
        pytest.param(1999, "99TOKYO1", id="last-19xx"),
        pytest.param(2000, "00TOKYO1", id="first-20xx"),
        pytest.param(2065, "65TOKYO1", id="last-year"),
    ],
)
def test_years_of_the_window_round_trip(year, canonical):
    cid = CableId(year, "TOKYO", 1)
    assert cid.canonical == canonical
    assert CableId.parse(canonical) == cid
    assert CableId.parse(f"{year} TOKYO 1") == cid
    assert CableId.parse("TOKYO 000001", year=year) == cid


@pytest.mark.parametrize(
    "year",
    [
        pytest.param(1965, id="year-before-the-window"),  # "65TOKYO1" would read back as 2065
        pytest.param(2066, id="year-after-the-window"),  # "66TOKYO1" would read back as 1966
        pytest.param(1900, id="1900"),
        pytest.param(2099, id="2099"),
        pytest.param(10000, id="five-digits"),
    ],
)
def test_years_outside_the_window_are_refused(year):
    with pytest.raises(InvalidCableId, match=f"{FIRST_YEAR}-{LAST_YEAR}"):
        CableId(year, "TOKYO", 1)
    assert CableId.try_parse(f"{year} TOKYO 1") is None
    assert CableId.try_parse("TOKYO 000001", year=year) is None


def test_the_window_is_what_two_digits_can_say():
    assert (FIRST_YEAR, LAST_YEAR) == (1966, 2065)
    assert {full_year(yy) for yy in range(100)} == set(range(FIRST_YEAR, LAST_YEAR + 1))


@pytest.mark.parametrize(
    "bad", ["", "TOKYO", "08TOKYO", "1002", "TOKYO 001002", "08-TOKYO-XYZ", "7575LIBREVILLE1895"]
)
def test_parse_rejects(bad):
    with pytest.raises(InvalidCableId):
        CableId.parse(bad)
    assert CableId.try_parse(bad) is None


def test_display_without_year_says_what_to_write():
    with pytest.raises(InvalidCableId, match="no year"):
        CableId.parse("TOKYO 001002")


def test_near_ids_are_different_cables():
    assert CableId.parse("08TOKYO1002") != CableId.parse("08TOKYO1003")
    assert CableId.parse("08TOKYO1002") < CableId.parse("08TOKYO1003")


@pytest.mark.parametrize(
    "published, real, method",
    [
        ("08SCTION02OF02SAOPAULO335", "08SAOPAULO335", "section_fused"),
        ("06SECTION01O02HONGKONG2311", "06HONGKONG2311", "section_fused"),
        ("07SECTION02OF03EIJING483", "07BEIJING483", "section_fused"),
        ("06SECTIKN01OF03MINSK1223", "06MINSK1223", "section_fused"),
        ("07SECTON03OF04DAKAR269", "07DAKAR269", "section_fused"),
        ("10EFTOKABUL668", "10KABUL668", "caveat_fused"),
        ("08NOFORNMOGADISHU5", "08MOGADISHU5", "caveat_fused"),
        ("07SOIA828", "07SOFIA828", "origin_repaired"),
        ("90STATE255195TOSEC140301", "90STATE255195", "suffix_fused"),
        ("06MADRID002583ZFR2585", "06MADRID2583", "suffix_fused"),
        ("08TOKYO1002", "08TOKYO1002", "canonical"),
    ],
)
def test_repair_published_garbles(published, real, method):
    cid, how = repair_published(published, ORIGINS)
    assert cid is not None and cid.canonical == real
    assert how == method


@pytest.mark.parametrize("published", ["06ASTANA", "7575LIBREVILLE1895", ""])
def test_unreadable_garbles_stay_unread(published):
    assert repair_published(published, ORIGINS) == (None, "unreadable")


def test_normalise_origin():
    assert normalise_origin("New Delhi") == "NEWDELHI"
    assert normalise_origin("USUN NEW YORK") == "USUNNEWYORK"
    assert normalise_origin("St. Petersburg") == "STPETERSBURG"


@given(
    year=st.integers(FIRST_YEAR, LAST_YEAR),
    origin=st.sampled_from(sorted(ORIGINS)),
    serial=st.integers(0, 9_999_999),
)
def test_canonical_and_display_round_trip(year, origin, serial):
    cid = CableId(year, origin, serial)
    assert CableId.parse(cid.canonical) == cid
    assert CableId.parse(cid.display, year=year) == cid
    assert CableId.parse(f"{cid.yy} {origin} {serial}") == cid


@given(st.text(max_size=60))
def test_parse_never_raises_anything_but_invalid(text):
    try:
        CableId.parse(text)
    except InvalidCableId:
        pass
