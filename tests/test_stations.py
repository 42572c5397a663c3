"""Stations: known posts, writer forms, routing indicators, posts sharing a city."""

from __future__ import annotations

import pytest

from refdb.stations import Rename, load_stations, stations

ST = stations()

KNOWN = {
    "a post": ("TOKYO", True),
    "the Department": ("STATE", True),
    "a mission": ("USUNNEWYORK", True),
    "seen only in garbled IDs": ("BRUSSQLS", False),
    "a fused caveat": ("EFTOKABUL", False),
    "a writer form, not an origin": ("SECSTATE", False),
}


@pytest.mark.parametrize(("origin", "known"), KNOWN.values(), ids=KNOWN.keys())
def test_is_known(origin: str, known: bool) -> None:
    assert ST.is_known(origin) is known


def test_origins_are_the_real_posts_of_the_origin_list() -> None:
    assert len(ST.origins) == 282  # 363 origins in Cablegate IDs, 81 only inside garbled ones
    assert len(ST.garbled_origins) == 81
    assert not ST.origins & ST.garbled_origins


ALIASES = {
    "SECSTATE": ("SECSTATE", "STATE"),
    "SECSTATE WASHDC": ("SECSTATE WASHDC", "STATE"),
    "cables.csv origin column": ("Secretary of State", "STATE"),
    "DEPTEL": ("DEPTEL", "STATE"),
    "USUN": ("USUN", "USUNNEWYORK"),
    "USMISSION USUN NEW YORK": ("USMISSION USUN NEW YORK", "USUNNEWYORK"),
    "with the state code": ("USMISSION USUN NEW YORK NY", "USUNNEWYORK"),
    "AMEMBASSY": ("AMEMBASSY TOKYO", "TOKYO"),
    "AMCONSUL": ("AMCONSUL DUBAI", "DUBAI"),
    "Embassy, mixed case": ("Embassy New Delhi", "NEWDELHI"),
    "CITY dropped": ("AMEMBASSY VATICAN CITY", "VATICAN"),
    "mission and its city": ("US MISSION USNATO BRUSSELS BE", "USNATO"),
    "former spelling": ("DACCA", "DHAKA"),
    "a post is not an alias": ("TOKYO", None),
    "a misspelling is not an alias": ("KUALA LUMP", None),
    "a sender outside Cablegate": ("SECDEF", None),
    "office word alone": ("AMEMBASSY", None),
}


@pytest.mark.parametrize(("written", "origin"), ALIASES.values(), ids=ALIASES.keys())
def test_alias(written: str, origin: str | None) -> None:
    assert ST.alias(written) == origin


@pytest.mark.parametrize(("written", "origin"), [("Tokyo", "TOKYO"), ("SECSTATE", "STATE"), ("T0KYO", None)])
def test_canonical_accepts_posts_and_aliases(written: str, origin: str | None) -> None:
    assert ST.canonical(written) == origin


ROUTING = {
    "an embassy": ("RUEHKO", "AMEMBASSY TOKYO", "TOKYO"),
    "the Department": ("RUEHC", "DEPT OF STATE WASHINGTON DC", "STATE"),
    "a mission named with its city": ("RUEHNO", "US MISSION USNATO BRUSSELS BE", "USNATO"),
    "OSCE mission": ("RUEHVEN", "USMISSION USOSCE VIENNA AU", "USOSCE"),
    "AIT is part of the origin": ("RUEHIN", "AIT TAIPEI", "AITTAIPEI"),
    "two-word city": ("RUEHKL", "AMEMBASSY KUALA LUMPUR", "KUALALUMPUR"),
    "a mission with no Cablegate origin": ("RUEHFRO", "USMISSION OECD PARIS", None),
    "inside an X THRU Y range": ("RUEAWJB", "DEPT OF JUSTICE WASHINGTON DC", None),
    "listed with two names": ("RCCEOTT", "CDLS LONDON UK", None),
    "unknown": ("RUEHZZZ", None, None),
}


@pytest.mark.parametrize(("ri", "name", "origin"), ROUTING.values(), ids=ROUTING.keys())
def test_routing_indicators(ri: str, name: str | None, origin: str | None) -> None:
    assert ST.routing_indicator_name(ri) == name
    assert ST.origin_for_ri(ri) == origin


def test_city_groups_are_derived_from_the_data() -> None:
    """The groups docs/cable-format.md names, found from the origin list and routing
    indicator names, and no others."""
    assert set(ST.groups.values()) == {
        ("AITTAIPEI", "TAIPEI"),
        ("BRUSSELS", "USEUBRUSSELS", "USNATO"),
        ("UNVIEVIENNA", "USOSCE", "VIENNA"),
        ("DUBAI", "IRANRPODUBAI", "RPODUBAI"),
        ("PARIS", "PARISFR", "UNESCOPARIS", "UNESCOPARISFR"),
        ("CDGENEVA", "GENEVA", "USTRGENEVA"),
        ("ROME", "UNROME"),
    }


@pytest.mark.parametrize(
    ("origin", "group"),
    [("USNATO", ("BRUSSELS", "USEUBRUSSELS", "USNATO")), ("TAIPEI", ("AITTAIPEI", "TAIPEI")), ("TOKYO", ("TOKYO",))],
)
def test_city_group(origin: str, group: tuple[str, ...]) -> None:
    assert ST.city_group(origin) == group


def test_renames() -> None:
    assert ST.renamed("KYIV") == (Rename("KIEV", "KYIV", 2006),)
    assert ST.renamed("KIEV") == ST.renamed("KYIV")
    assert ST.renamed("TOKYO") == ()


def test_stations_are_loaded_once_and_immutable() -> None:
    assert stations() is ST
    assert load_stations() == ST
    with pytest.raises(TypeError):
        ST.aliases["NEW"] = "TOKYO"  # type: ignore[index]
    with pytest.raises(AttributeError):
        ST.origins = frozenset()  # type: ignore[misc]
