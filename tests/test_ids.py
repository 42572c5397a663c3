"""repair_published on real garbles from the Cablegate catalogue that the first repair
patterns left unread (section words garbled or lost, a duplicate-marker suffix, origins
with one letter changed or two swapped)."""

from __future__ import annotations

import pytest

from refdb.ids import repair_published
from refdb.stations import stations


@pytest.mark.parametrize(
    "published, real, method",
    [
        ("08ECTION02OF02ATHENS959", "08ATHENS959", "section_fused"),
        ("09ECTION03OF05MANILA924", "09MANILA924", "section_fused"),
        ("09SECTION0QF05HANOI297", "09HANOI297", "section_fused"),
        ("0901OF02RPODUBAI288", "09RPODUBAI288", "section_fused"),
        ("09SECTION02OF03QRIPOLI583", "09TRIPOLI583", "section_fused"),
        ("08SECTION01GF02BISHIEK21", "08BISHKEK21", "section_fused"),
        ("08ACCRA001382SUSPECTEDDUPLICATE1392", "08ACCRA1382", "suffix_fused"),
        ("06MINSI225", "06MINSK225", "origin_repaired"),
        ("06AITTAIPIE2654", "06AITTAIPEI2654", "origin_repaired"),
        ("08IHARTOUM1126", "08KHARTOUM1126", "origin_repaired"),
        ("09NOUKKCHOTT514", "09NOUAKCHOTT514", "origin_repaired"),
        ("09BRUSSQLS1235", "09BRUSSELS1235", "origin_repaired"),
    ],
)
def test_more_real_garbles_are_repaired(published: str, real: str, method: str) -> None:
    cid, how = repair_published(published, stations().origins)
    assert cid is not None and (cid.canonical, how) == (real, method)


@pytest.mark.parametrize(
    "published, kept",
    [
        ("07BUENOSQRES633", "07BUENOSQRES633"),  # two changes from BUENOSAIRES: not guessed
        ("10AQNA272", "10AQNA272"),  # short and unknown: not guessed
    ],
)
def test_origins_too_far_from_a_post_are_kept_as_published(published: str, kept: str) -> None:
    cid, how = repair_published(published, stations().origins)
    assert cid is not None and (cid.canonical, how) == (kept, "canonical")


@pytest.mark.parametrize("published", ["7575LIBREVILLE1895", "06ASTANA", "092OF5"])
def test_unreadable_stay_unreadable(published: str) -> None:
    assert repair_published(published, stations().origins) == (None, "unreadable")


def test_known_origins_are_never_changed() -> None:
    origins = stations().origins
    for origin in sorted(origins):
        cid, how = repair_published(f"09{origin}123", origins)
        assert cid is not None and (cid.origin, how) == (origin, "canonical")
