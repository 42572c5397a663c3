"""resolve_item never raises, whatever the parser hands it (property-based)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refdb.ids import CableId, InvalidCableId
from refdb.model import RefItem, RefKind, Resolution, Status, YearSource
from refdb.resolve.lookup import MemoryLookup
from refdb.resolve.pipeline import Citing, resolve_item, timeline_keys, wait_key

WRITTEN = st.one_of(
    st.sampled_from(["TOKYO", "T0KYO", "SECSTATE", "KUALA LUMP", "ANAMA", "EFTOKABUL", "RUEHKO", "08TOKYO", ""]),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '-.", max_size=30),
)


@st.composite
def items(draw: st.DrawFn) -> RefItem:
    written = draw(WRITTEN)
    serial = draw(st.one_of(st.none(), st.integers(0, 9_999_999)))
    year = draw(st.one_of(st.none(), st.integers(1900, 2099)))
    cited = None
    if written and serial is not None and year is not None and draw(st.booleans()):
        try:
            cited = CableId.of(year, written, serial)
        except InvalidCableId:
            cited = None
    return RefItem(
        0, "A", draw(st.text(max_size=60)), kind=draw(st.sampled_from(list(RefKind))), cited=cited,
        origin_written=written or None, serial=serial, year=year,
        year_source=draw(st.one_of(st.none(), st.sampled_from(list(YearSource)))),
        dtg_sender=draw(st.one_of(st.none(), WRITTEN)), dtg=draw(st.one_of(st.none(), st.text(max_size=25))),
    )  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(item=items(), day=st.one_of(st.none(), st.datetimes(datetime(1966, 1, 1), datetime(2011, 1, 1))))
def test_resolve_item_never_raises(item: RefItem, day: datetime | None, lookup: MemoryLookup) -> None:
    res = resolve_item(Citing(CableId.parse("08TOKYO1002"), "08TOKYO1002", day), item, lookup)
    assert isinstance(res, Resolution)
    assert (res.reason is None) == (res.status is Status.RESOLVED)
    assert (res.target_id is not None) == (res.status is Status.RESOLVED)
    wait_key(item, res)
    timeline_keys(item, res)
