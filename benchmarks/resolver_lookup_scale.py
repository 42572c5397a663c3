"""Build time, memory and exact-hit speed of MemoryLookup at full Cablegate scale.

Usage::

    python benchmarks/resolver_lookup_scale.py

Every ID of the bundled catalogue (251,287 published, 251,273 readable) becomes a
stored cable (date from its catalogue month, a DTG, its post), as after loading the
whole release; the lookup is built from those and the catalogue, as storage does for
a resolve pass.  Memory is what ``tracemalloc`` sees allocated by the build (the input
StoredCable objects, which storage creates anyway, are not counted).  Then one REF item
per stored cable is resolved (every one an exact hit).
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from refdb.model import RefItem, Status, YearSource  # noqa: E402
from refdb.resolve.lookup import MemoryLookup, StoredCable, bundled_catalogue  # noqa: E402
from refdb.resolve.pipeline import Citing, resolve_item  # noqa: E402

_MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()


def main() -> int:
    started = time.perf_counter()
    catalogue = bundled_catalogue()
    print(f"catalogue read: {time.perf_counter() - started:.2f} s, {len(catalogue.ids)} IDs "
          f"({catalogue.canonical} well-formed, {catalogue.repaired} repaired, "
          f"{catalogue.post_matched} post-matched, {len(catalogue.skipped)} skipped)")

    stored = []
    for n, cid in enumerate(catalogue.ids):
        month = 1 + n % 12
        when = datetime(cid.year, month, 1 + n % 28, n % 24, n % 60)
        dtg = f"{when.day:02d}{when.hour:02d}{when.minute:02d}Z {_MONTHS[month - 1]} {cid.year % 100:02d}"
        stored.append(StoredCable(cid.canonical, cid, when, dtg, cid.origin))

    # Timed without tracemalloc (it slows allocation several-fold), measured with it.
    gc.collect()
    started = time.perf_counter()
    lookup = MemoryLookup(stored, catalogue.ids)
    build_s = time.perf_counter() - started
    del lookup
    gc.collect()
    tracemalloc.start()
    lookup = MemoryLookup(stored, catalogue.ids)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"MemoryLookup build: {build_s:.2f} s for {len(stored)} stored + {len(catalogue.ids)} catalogued; "
          f"memory held {current / 1e6:.0f} MB (peak during build {peak / 1e6:.0f} MB)")

    citing = Citing(None, "10STATE1", datetime(2010, 12, 31))
    items = [
        RefItem(0, "A", cid.display, cited=cid, origin_written=cid.origin, serial=cid.serial, year=cid.year,
                year_source=YearSource.EXPLICIT)
        for cid in catalogue.ids
    ]  # fmt: skip
    started = time.perf_counter()
    resolved = sum(resolve_item(citing, item, lookup).status is Status.RESOLVED for item in items)
    spent = time.perf_counter() - started
    print(f"exact hits: {resolved}/{len(items)} resolved in {spent:.2f} s ({1e6 * spent / len(items):.1f} µs each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
