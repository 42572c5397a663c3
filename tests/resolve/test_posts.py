"""match_post: which post a written name stands for, step by step (real post names and
the misspellings the corpus carries: BRASILA, SAN JSE, ISLAMAMBAD, STAE ...)."""

from __future__ import annotations

import pytest

from refdb.resolve.posts import FUZZY_MIN_SCORE, match_post
from refdb.stations import stations

ORIGINS = stations().origins

DECIDED = {
    "exact": ("TOKYO", "TOKYO", "exact"),
    "exact, spaced and lower case": ("New Delhi", "NEWDELHI", "exact"),
    "alias SECSTATE": ("SECSTATE", "STATE", "post_alias"),
    "alias AMEMBASSY prefix": ("AMEMBASSY TOKYO", "TOKYO", "post_alias"),
    "alias with a country code": ("MADRID SP", "MADRID", "post_alias"),
    "former spelling (fuzzy would say ACCRA)": ("DACCA", "DHAKA", "post_alias"),
    "routing indicator": ("RUEHKO", "TOKYO", "routing_indicator"),
    "routing indicator of a mission": ("RUEHNO", "USNATO", "routing_indicator"),
    "zero for O": ("T0KYO", "TOKYO", "repair_o0"),
    "cut short": ("KUALA LUMP", "KUALALUMPUR", "repair_split"),
    "first word lost": ("JOSE", "SANJOSE", "repair_split"),
    "alias form cut short": ("SECSTA", "STATE", "repair_split"),
    "office word glued": ("AMEMBASSYTOKYO", "TOKYO", "repair_split"),
    "dropped letter": ("BRASILA", "BRASILIA", "fuzzy_post"),
    "dropped letter, two words": ("SAN JSE", "SANJOSE", "fuzzy_post"),
    "added letter": ("ISLAMAMBAD", "ISLAMABAD", "fuzzy_post"),
    "swapped letters": ("CARIO", "CAIRO", "fuzzy_post"),
    "typo in an alias form": ("SECSTAET", "STATE", "fuzzy_post"),
    "typo close to a one-cable garble": ("DAMASUS", "DAMASCUS", "fuzzy_post"),
}


@pytest.mark.parametrize(("written", "origin", "method"), DECIDED.values(), ids=DECIDED.keys())
def test_decided(written: str, origin: str, method: str) -> None:
    match = match_post(written, ORIGINS)
    assert match is not None
    assert (match.origin, match.method, match.ambiguous) == (origin, method, False)
    assert 0.0 < match.confidence <= 1.0


AMBIGUOUS = {
    "one typo from two posts": ("ANAMA", ["MANAMA", "PANAMA"]),
    "swapped letters, two posts": ("PRAIS", ["PARIS", "PRAIA"]),
    "a fragment of one post or a typo of another": ("NAIRO", ["CAIRO", "NAIROBI"]),
    "fragment of one, typo of another": ("PRIS", ["PARIS", "PRISTINA"]),
}


@pytest.mark.parametrize(("written", "origins"), AMBIGUOUS.values(), ids=AMBIGUOUS.keys())
def test_ambiguous(written: str, origins: list[str]) -> None:
    match = match_post(written, ORIGINS)
    assert match is not None and match.ambiguous and match.origin is None
    assert [o for o, _ in match.candidates] == origins


NO_MATCH = {
    "a sender that sends no Cablegate cables": "SECDEF",
    "four letters one typo from ROME (and from LOME)": "ROEM",
    "too short to match": "UUN",
    "a word, not a post": "EMBASSY",
    "another sender that sends no Cablegate cables": "USDAFAS",
    "empty": "  ",
}


@pytest.mark.parametrize("written", NO_MATCH.values(), ids=NO_MATCH.keys())
def test_no_match(written: str) -> None:
    assert match_post(written, ORIGINS) is None


def test_year_and_serial_are_never_matched_approximately() -> None:
    """Only the post is matched: the whole ID TOKYO1003 is not a typo of TOKYO1002."""
    assert match_post("TOKYO1002", frozenset({"TOKYO1003"})) is None


def test_fuzzy_scores_are_explicit_osa_similarity() -> None:
    match = match_post("BRASILA", ORIGINS)
    assert match is not None
    assert match.candidates == (("BRASILIA", 87.5),)  # one edit in eight letters
    assert match.evidence == ("fuzzy_post:BRASILIA:88",)
    assert match.candidates[0][1] >= FUZZY_MIN_SCORE


def test_a_small_set_of_known_posts_limits_fuzzy_matching() -> None:
    assert match_post("BRASILA", frozenset({"TOKYO"})) is None
