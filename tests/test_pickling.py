"""Plain data types cross process boundaries as pickles (parser -> writer, resolve
workers -> parent): they must come back equal, through refdb's plain tuple state."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from refdb.ids import CableId
from refdb.model import Candidate, InputProblem, ParsedCable, RawCable, Resolution, Status
from refdb.parse import parse_cable, read_path
from refdb.pickling import plain_pickle

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _real_cables() -> list[ParsedCable]:
    return [parse_cable(raw) for raw in read_path(str(SEEDS)) if isinstance(raw, RawCable)]


def test_real_parsed_cables_come_back_equal():
    cables = _real_cables()
    assert len(cables) == 19
    assert sum(len(c.refs) for c in cables) > 20 and sum(len(c.mentions) for c in cables) > 5
    back = pickle.loads(pickle.dumps(cables, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == cables
    assert [type(r.kind) for c in back for r in c.refs] == [type(r.kind) for c in cables for r in c.refs]


@pytest.mark.parametrize(
    "value",
    [
        CableId.parse("08TOKYO1002"),
        InputProblem("cables.csv", "row=3", "expected 8 columns, found 7"),
        Resolution(Status.AMBIGUOUS, "fuzzy_post", 0.5, None, None, ("a",), (Candidate("08TOKYO1", 0.5, "post"),), "ambiguous"),
    ],
)
def test_the_state_is_the_tuple_of_field_values(value):
    state = value.__getstate__()
    assert isinstance(state, tuple) and len(state) == len(value.__dataclass_fields__)
    assert pickle.loads(pickle.dumps(value)) == value


def test_a_state_of_another_shape_is_refused():
    cid = CableId.parse("08TOKYO1002")
    with pytest.raises(ValueError):
        cid.__setstate__((2008, "TOKYO"))  # a field missing: never filled in silently


def test_a_class_of_one_field_is_refused():
    from dataclasses import dataclass

    with pytest.raises(TypeError):

        @plain_pickle
        @dataclass(frozen=True, slots=True)
        class One:
            x: int
