"""normalise_dtg: one spelling for date-time groups, shared by parser and lookup."""

from __future__ import annotations

import pytest

from refdb.ids import normalise_dtg

ROWS = {
    "plain": ("162245Z OCT 08", "162245Z OCT 08"),
    "precedence glued, with sender": ("SECDEF R162245Z OCT 08", "162245Z OCT 08"),
    "after DTG": ("SECTO 003 DTG 070102Z JUN 08", "070102Z JUN 08"),
    "routing header line": ("O 111244Z APR 08", "111244Z APR 08"),
    "no spaces": ("162245ZOCT08", "162245Z OCT 08"),
    "day split, four-digit year, lower case": ("16 2245Z Oct 2008", "162245Z OCT 08"),
    "month spelled out": ("R 162245Z SEPT 08", "162245Z SEP 08"),
    "in a REF item": ("REF: DEPT OF TREAS 241534Z MAR 06", "241534Z MAR 06"),
    "day 32": ("322245Z OCT 08", None),
    "minute 60": ("162460Z OCT 08", None),
    "no year": ("162245Z OCT", None),
    "part of a longer number": ("1162245Z OCT 08", None),
    "a cable reference": ("ROME 2543 AND 2544", None),
}


@pytest.mark.parametrize(("text", "expected"), ROWS.values(), ids=ROWS.keys())
def test_normalise_dtg(text: str, expected: str | None) -> None:
    assert normalise_dtg(text) == expected
