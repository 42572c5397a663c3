"""Generate a Cablegate-sized ``cables.csv`` with a known citation graph.

    python benchmarks/generate_corpus.py --n 251287 --seed 1 --out benchmarks/out/corpus-251k

Writes, in ``--out``:

- ``cables.csv``: the WikiLeaks full-release layout (8 quoted columns, no header:
  row, created ``12/28/1966 18:48``, refid, origin ``Embassy Tokyo``, classification,
  references, header, content; multi-line fields; ``\\"`` and ``\\'`` escapes).  IDs and
  months are the real Cablegate ones (``shared/reference/cablegate_ids.csv.gz``; for
  N below 251,287 a random sample of them, in release order); bodies are real cable
  texts from ``shared/corpus`` with the banner rewritten to the generated ID and the
  REF block replaced by a generated one citing earlier generated cables.
- ``truth.csv.gz``: every generated REF item, with the stored cable it is meant to
  link to (empty for items that cite a cable outside the corpus, or no cable at all)
  and the damage injected into it.
- ``cables.csv.gz`` is *not* written: refdb reads the plain file (gzip is supported
  by ``refdb ingest`` but costs time that is not refdb's).
- ``ids.csv.gz``: row, published ID, real ID, created; the runner samples query IDs here.
- ``manifest.json``: parameters, counts, achieved rates, size, sha256.

Deterministic for a seed (same Python minor version): one ``random.Random(seed)``
drives everything, in a fixed order.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import hashlib
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import scale_templates as st  # noqa: E402

FULL_N = 251_287
FULL_BYTES = 1_700_000_000  # the real cables.csv is about 1.7 GB

# --- rates (all documented in the manifest) ------------------------------------------


@dataclass(frozen=True)
class Rates:
    has_ref: float = 0.61  # cables with a REF block (corpus: 61%)
    non_cable: float = 0.04  # REF items that are not cables (corpus: about 4%)
    in_corpus: float = 0.45  # cable items citing a generated (stored) cable, when one fits
    list_sibling: float = 0.06  # a cable item followed by a sibling under the same letter
    # damage, per cable item, each as a share of the items it can apply to
    post_typo: float = 0.012  # BRASILA, SECTATE: one letter dropped, swapped or doubled
    ocr_o0: float = 0.008  # T0KYO, 1OO2: letter O for zero or zero for O
    missing_year: float = 0.40  # year left out although the cited cable is from the year before
    #   (applies only where the serial order tells: same post, serial above the citing one)
    line_break: float = 0.01  # a multi-word post broken across a line
    abbreviated: float = 0.02  # a long multi-word post cut short (KUALA LUMP)
    garbled_target: float = 0.004  # cite a cable whose published ID is garbled (by its real form)


# --- reference data -------------------------------------------------------------------

OFFICE_PREFIXES = (
    "US MISSION",
    "USMISSION",
    "USMISSIN",
    "AMEMBASSY",
    "AMEMB",
    "AMCONSUL",
    "AMCONSULATE",
    "AMCONGEN",
    "USINT",
    "USOFFICE",
    "REO",
    "MISSION",
    "EMBASSY",
    "CONSULATE",
)
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
MONTH_NAMES = (
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE",
    "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
)  # fmt: skip
SURNAMES = (
    "HANKINS", "SMITH", "GARCIA", "NGUYEN", "OKAFOR", "MUELLER", "ROSSI", "TANAKA", "KOWALSKI",
    "DUBOIS", "HASSAN", "IVANOV", "SILVA", "JOHNSON", "BROWN", "KHAN", "PETERSEN", "LOPEZ",
)  # fmt: skip
OFFICES = ("EUR/WE", "NEA/IR", "AF/E", "WHA/BSC", "EAP/J", "ISN/RA", "INR", "L/LEI", "DRL", "PM/RSAT", "EEB/TPP")


def norm(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


@dataclass
class Post:
    origin: str
    written: list[str]  # how people write it, first = the banner form
    fm: str  # FM line name
    ri: str  # routing indicator
    name: str  # cables.csv origin column


def load_posts(reference: Path, pool: list[st.Template], origins: frozenset[str]) -> dict[str, Post]:
    from refdb.ids import repair_published

    forms: dict[str, list[str]] = defaultdict(list)
    fm: dict[str, tuple[str, str]] = {}
    with open(reference / "routing_indicators.csv", newline="") as f:
        for row in csv.DictReader(f):
            name = row["name"].strip().upper()
            for prefix in OFFICE_PREFIXES:
                if name.startswith(prefix + " "):
                    rest = name[len(prefix) + 1 :].split()
                    for k in range(len(rest), 0, -1):
                        written = " ".join(rest[:k])
                        o = norm(written)
                        if o in origins:
                            if written not in forms[o]:
                                forms[o].append(written)
                            fm.setdefault(o, (f"{prefix} {written}", row["routing_indicator"]))
                            break
                    break
    names: dict[str, str] = {}
    for t in pool:
        cid, _ = repair_published(t.source_id, origins)
        if cid and t.origin_name:
            names.setdefault(cid.origin, t.origin_name)
    posts: dict[str, Post] = {}
    for o in sorted(origins):
        written = forms.get(o) or [o]
        written.sort(key=lambda w: (norm(w) != o, -w.count(" ")))  # a spaced exact form first
        f, ri = fm.get(o, (f"AMEMBASSY {written[0]}", "RUEH" + o[:3]))
        name = names.get(o) or "Embassy " + written[0].title()
        posts[o] = Post(o, written, f, ri, name)
    posts["STATE"] = Post("STATE", ["STATE", "SECSTATE"], "SECSTATE WASHDC", "RUEHC", "Secretary of State")
    return posts


def load_catalogue(reference: Path) -> list[tuple[str, int]]:
    with gzip.open(reference / "cablegate_ids.csv.gz", "rt", newline="") as f:
        rows = [(r[0].strip(), int(r[1])) for r in csv.reader(f) if r and r[0] != "refid"]
    return rows


# --- the generated corpus ----------------------------------------------------------------


@dataclass
class Gen:
    row: int
    published: str
    real: object  # CableId | None
    created: datetime
    garbled: bool


@dataclass
class Item:
    letter: str | None
    raw: str
    kind: str  # "cable" or a non-cable kind
    cited_real: str = ""
    target: str = ""
    also: tuple[str, ...] = ()
    damage: str = "none"
    year_written: str = ""


@dataclass
class Stats:
    cables: int = 0
    with_ref: int = 0
    items: int = 0
    cable_items: int = 0
    non_cable_items: int = 0
    intended_links: int = 0
    damage: Counter = field(default_factory=Counter)
    damage_applicable: Counter = field(default_factory=Counter)
    bytes: int = 0


def month_span(year: int, month: int) -> tuple[datetime, timedelta]:
    start = datetime(year, month, 1)
    end = datetime(year + (month == 12), month % 12 + 1, 1)
    return start, end - start


def assign_dates(gens_keys: list[tuple[int, int]], rng: random.Random) -> list[datetime]:
    """Monotone timestamps: the k-th of m cables of a month falls at (k + u) / m of it."""
    out: list[datetime] = []
    i = 0
    while i < len(gens_keys):
        j = i
        while j < len(gens_keys) and gens_keys[j] == gens_keys[i]:
            j += 1
        start, span = month_span(*gens_keys[i])
        m = j - i
        for k in range(m):
            frac = (k + 0.1 + 0.8 * rng.random()) / m
            out.append((start + span * frac).replace(second=0, microsecond=0))
        i = j
    return out


def esc(text: str) -> str:
    return text.replace('"', '\\"').replace("'", "\\'")


class Generator:
    def __init__(self, n: int, seed: int, corpus: Path, reference: Path, rates: Rates, target_bytes: int | None):
        from refdb.ids import CableId, full_year, repair_published

        self.rng = random.Random(seed)
        self.rates = rates
        self.origins = st.real_origins(reference)
        self.pool = [t for t in st.load_pool(corpus, self.origins)]
        self.posts = load_posts(reference, self.pool, self.origins)
        catalogue = load_catalogue(reference)
        rng = self.rng
        # Serial ranges per (origin, year) over the whole release: out-of-corpus citations
        # draw plausible serials from them.
        self.max_serial: dict[tuple[str, int], int] = {}
        reals = []
        canonical = re.compile(r"^(\d{2})([A-Z]+?)([1-9]\d*)$")
        for refid, _month in catalogue:
            m = canonical.match(refid)
            if m and m.group(2) in self.origins:  # the common case, without the repair machinery
                cid, how = CableId(full_year(int(m.group(1))), m.group(2), int(m.group(3))), "canonical"
            else:
                cid, how = repair_published(refid, self.origins)
            reals.append((cid, how))
            if cid is not None:
                k = (cid.origin, cid.year)
                if cid.serial > self.max_serial.get(k, 0):
                    self.max_serial[k] = cid.serial
        # Highest serial of each post and year reached by the end of each month (1-12).
        self.serial_by_month: dict[tuple[str, int], list[int]] = {}
        for (cid, _how), (_refid, month) in zip(reals, catalogue):
            if cid is not None:
                by_month = self.serial_by_month.setdefault((cid.origin, cid.year), [0] * 13)
                by_month[month] = max(by_month[month], cid.serial)
        for by_month in self.serial_by_month.values():
            for m in range(1, 13):
                by_month[m] = max(by_month[m], by_month[m - 1])
        if n >= len(catalogue):
            chosen = list(range(len(catalogue)))
        else:
            chosen = sorted(rng.sample(range(len(catalogue)), n))
        keys = []
        for idx in chosen:
            cid = reals[idx][0]
            refid, month = catalogue[idx]
            year = cid.year if cid is not None else _year_of(refid)
            keys.append((year, month))
        dates = assign_dates(keys, rng)
        self.gens = [
            Gen(row + 1, catalogue[idx][0], reals[idx][0], dates[row], reals[idx][1] != "canonical" or reals[idx][0] is None or reals[idx][0].canonical != catalogue[idx][0])
            for row, idx in enumerate(chosen)
        ]
        self.by_real: dict[str, list[str]] = defaultdict(list)
        for g in self.gens:
            if g.real is not None:
                self.by_real[g.real.canonical].append(g.published)
        self.template_cum = self._template_weights(target_bytes / FULL_N if target_bytes else None)

    def _template_weights(self, per_cable: float | None) -> list[float]:
        """Cumulative weights exp(-lambda * size): the mean body size makes the file about
        ``per_cable`` bytes a cable (the real cables.csv: 1.7 GB / 251,287)."""
        sizes = [t.size for t in self.pool]
        if per_cable is None:
            weights = [1.0] * len(sizes)
        else:
            target = per_cable - 560  # header, metadata columns, REF block, escapes
            lo, hi = 0.0, 1e-2
            for _ in range(60):
                lam = (lo + hi) / 2
                w = [math.exp(-lam * s) for s in sizes]
                mean = sum(wi * s for wi, s in zip(w, sizes)) / sum(w)
                lo, hi = (lo, lam) if mean < target else (lam, hi)
            weights = [math.exp(-lo * s) for s in sizes]
        cum, total = [], 0.0
        for w in weights:
            total += w
            cum.append(total)
        return cum

    # --- choosing what a cable cites ---------------------------------------------------

    def _recent(self, lst: list[int], upto: int, mean: float) -> int | None:
        """An entry of ``lst`` (row indices, ascending) before ``upto``, recent ones likelier."""
        end = bisect.bisect_left(lst, upto)
        if end == 0:
            return None
        back = min(end - 1, int(self.rng.expovariate(1.0 / max(1.0, min(mean, end / 3)))))
        return lst[end - 1 - back]

    def generate(self, out: Path) -> dict:
        rng, rates = self.rng, self.rates
        out.mkdir(parents=True, exist_ok=True)
        stats = Stats()
        by_origin: dict[str, list[int]] = defaultdict(list)
        all_rows: list[int] = []
        garbled_rows: list[int] = []
        started = time.perf_counter()
        sha = hashlib.sha256()
        with open(out / "cables.csv", "wb") as fcsv, gzip.open(out / "truth.csv.gz", "wt", newline="") as ftruth, gzip.open(
            out / "ids.csv.gz", "wt", newline=""
        ) as fids:
            truth = csv.writer(ftruth)
            truth.writerow(
                ["citing_id", "item", "letter", "raw", "kind", "cited_real", "target", "also", "damage", "year_written"]
            )
            ids = csv.writer(fids)
            ids.writerow(["row", "published_id", "real_id", "created"])
            for i, g in enumerate(self.gens):
                items = self._ref_items(i, g, by_origin, all_rows, garbled_rows, stats) if rng.random() < rates.has_ref else []
                row = self._row(g, items)
                data = row.encode("utf-8")
                fcsv.write(data)
                sha.update(data)
                stats.bytes += len(data)
                stats.cables += 1
                if items:
                    stats.with_ref += 1
                for k, it in enumerate(items):
                    truth.writerow(
                        [g.published, k, it.letter or "", it.raw, it.kind, it.cited_real, it.target, "|".join(it.also),
                         it.damage, it.year_written]
                    )  # fmt: skip
                    stats.items += 1
                    if it.kind == "cable":
                        stats.cable_items += 1
                        stats.damage[it.damage] += 1
                    else:
                        stats.non_cable_items += 1
                    if it.target:
                        stats.intended_links += 1
                ids.writerow([g.row, g.published, g.real.canonical if g.real else "", g.created.isoformat(" ", "minutes")])
                if g.real is not None:
                    by_origin[g.real.origin].append(i)
                    if g.garbled:
                        garbled_rows.append(i)
                all_rows.append(i)
        return {
            "cables": stats.cables,
            "cables_with_ref_block": stats.with_ref,
            "ref_items": stats.items,
            "cable_items": stats.cable_items,
            "non_cable_items": stats.non_cable_items,
            "intended_links": stats.intended_links,
            "damage": dict(sorted(stats.damage.items())),
            "damage_applicable": dict(sorted(stats.damage_applicable.items())),
            "bytes": stats.bytes,
            "sha256": sha.hexdigest(),
            "seconds": round(time.perf_counter() - started, 1),
        }

    def _n_items(self) -> int:
        rng = self.rng
        if rng.random() < 0.005:
            return rng.randint(8, 26)
        n = 1
        while n < 26 and rng.random() < 0.52:
            n += 1
        return n

    def _ref_items(self, i, g, by_origin, all_rows, garbled_rows, stats) -> list[Item]:  # type: ignore[no-untyped-def]
        rng, rates = self.rng, self.rates
        n = self._n_items()
        items: list[Item] = []
        used: set[str] = set()
        if g.real is not None:
            used.add(g.real.canonical)
        slot = 0
        while slot < n:
            letter_idx = slot
            if rng.random() < rates.non_cable:
                items.append(self._non_cable(g, letter_idx))
                slot += 1
                continue
            target = self._pick_target(i, g, by_origin, all_rows, garbled_rows, used, stats)
            group = [target]
            if rng.random() < rates.list_sibling and target[0] is not None:
                sib = self._sibling(i, g, target, by_origin, used)
                if sib is not None:
                    group.append(sib)
            items.extend(self._write_cable_items(g, letter_idx, group, stats))
            slot += 1
        return self._letter(items, n)

    def _pick_target(self, i, g, by_origin, all_rows, garbled_rows, used, stats):  # type: ignore[no-untyped-def]
        """(real CableId, published target or "") for one cable item."""
        from refdb.ids import CableId

        rng, rates = self.rng, self.rates
        citing = g.real
        c_origin = citing.origin if citing else "STATE"
        c_year = citing.year if citing else g.created.year
        for _attempt in range(6):
            if garbled_rows and rng.random() < rates.garbled_target:
                row = self._recent(garbled_rows, i, 200)
                if row is not None and self.gens[row].real.canonical not in used:
                    stats.damage_applicable["garbled_target"] += 1
                    return self.gens[row].real, self.gens[row].published, "garbled_target"
            r = rng.random()
            if c_origin == "STATE":
                origin = "STATE" if r < 0.5 else None
            else:
                origin = c_origin if r < 0.5 else ("STATE" if r < 0.75 else None)
            if rng.random() < rates.in_corpus:
                if origin is None:
                    row = self._recent(all_rows, i, 3000)
                else:
                    row = self._recent(by_origin.get(origin, []), i, 40)
                if row is not None:
                    t = self.gens[row]
                    if t.real is not None and t.real.canonical not in used and t.real.origin in self.posts:
                        used.add(t.real.canonical)
                        return t.real, t.published, ""
                    continue
            # a cable outside the corpus: same post and year below the citing serial, or
            # a plausible serial at another post
            if origin is None:
                origin = self.rng.choice(self._origins_list())
            year = c_year if rng.random() < 0.8 else max(1966, c_year - rng.randint(1, 3))
            if year == c_year:
                # a same-year citation names a serial the post had already reached
                hi = self.serial_by_month.get((origin, year), [0] * 13)[g.created.month]
                if hi < 2:
                    continue
            else:
                hi = self.max_serial.get((origin, year), 3000)
            if origin == c_origin and year == c_year and citing is not None:
                if citing.serial < 3:
                    continue
                serial = rng.randint(max(1, citing.serial - 2000), citing.serial - 1)
            else:
                serial = rng.randint(1, max(2, hi))
            try:
                cid = CableId(year, origin, serial)
            except ValueError:
                continue
            if cid.canonical in self.by_real or cid.canonical in used:
                continue
            used.add(cid.canonical)
            return cid, "", ""
        return None, "", ""

    def _sibling(self, i, g, target, by_origin, used):  # type: ignore[no-untyped-def]
        """Another cable of the same post and year for a list (``NEW DELHI 1261/1263``)."""
        from refdb.ids import CableId

        cid = target[0]
        rows = by_origin.get(cid.origin, [])
        if target[1] and self.rng.random() < self.rates.in_corpus:
            row = self._recent(rows, i, 10)
            if row is not None:
                t = self.gens[row]
                if t.real.year == cid.year and t.real.canonical not in used:
                    used.add(t.real.canonical)
                    return t.real, t.published, ""
        serial = cid.serial + self.rng.randint(1, 40)
        if g.real is not None and g.real.origin == cid.origin and g.real.year == cid.year and serial >= g.real.serial:
            return None
        sib = CableId(cid.year, cid.origin, serial)
        if sib.canonical in self.by_real or sib.canonical in used:
            return None
        used.add(sib.canonical)
        return sib, "", ""

    _origins_cache: list[str] | None = None

    def _origins_list(self) -> list[str]:
        if self._origins_cache is None:
            self._origins_cache = sorted(o for o in self.posts if o != "STATE")
        return self._origins_cache

    # --- writing REF items -------------------------------------------------------------

    def _write_cable_items(self, g, slot, group, stats) -> list[Item]:  # type: ignore[no-untyped-def]
        rng, rates = self.rng, self.rates
        out: list[Item] = []
        citing = g.real
        c_year = citing.year if citing else g.created.year
        first_cid = group[0][0]
        if first_cid is None:
            return [self._non_cable(g, slot)]
        post = self.posts.get(first_cid.origin)
        written = post.written[0] if post else first_cid.origin
        if post and len(post.written) > 1 and rng.random() < 0.3:
            written = rng.choice(post.written[1:])
        if rng.random() < 0.05:
            written = written.title()
        damage = "none"
        # year: left out for same-year citations (the usual way), written otherwise
        same_year = first_cid.year == c_year
        omit = False
        if same_year:
            # leaving it out is safe only where the serial order does not suggest an
            # earlier year (same post, serial above the citing cable's own)
            safe = not (citing and citing.origin == first_cid.origin and first_cid.serial > citing.serial)
            omit = safe and rng.random() < 0.65
        elif (
            citing
            and citing.origin == first_cid.origin
            and first_cid.serial > citing.serial
            and first_cid.year == c_year - 1
        ):
            stats.damage_applicable["missing_year"] += 1
            if rng.random() < rates.missing_year:
                omit, damage = True, "missing_year"
        if group[0][2]:
            damage = group[0][2]
        # damage to the post (only one damage per item)
        if damage == "none":
            written, damage = self._damage_post(written, stats)
        serial_text = str(first_cid.serial)
        if rng.random() < 0.08:
            serial_text = f"{first_cid.serial:06d}"
        yy = f"{first_cid.year % 100:02d}"
        if damage == "none" and rng.random() < rates.ocr_o0 * 2:
            # applies to items with a 0 in serial or year
            if "0" in serial_text or (not omit and "0" in yy):
                stats.damage_applicable["ocr_o0"] += 1
                if rng.random() < 0.5:
                    if "0" in serial_text:
                        pos = [k for k, ch in enumerate(serial_text) if ch == "0"]
                        k = rng.choice(pos)
                        serial_text = serial_text[:k] + "O" + serial_text[k + 1 :]
                    else:
                        yy = yy.replace("0", "O")
                    damage = "ocr_o0"
        year_written = "omitted" if omit else "explicit"
        if omit:
            raw = f"{written} {serial_text}"
        elif len(group) > 1:
            # a list: the year goes in front ("235/03/236" would read as three serials)
            raw = f"{yy} {written} {serial_text}"
        else:
            raw = self._with_year(written, serial_text, yy, first_cid.year)
        # a list: the sibling carries post and year over
        parts = [raw]
        for sib_cid, _pub, _dmg in group[1:]:
            sep = rng.choice(("/", " AND ", ", "))
            parts.append(sep + str(sib_cid.serial))
        if rng.random() < 0.06:
            parts.append(rng.choice((" (NOTAL)", " AND PREVIOUS", " (EXDIS)", " (NOTAL) (EXDIS)")))
        text = "".join(parts)
        for k, (cid, pub, _d) in enumerate(group):
            out.append(
                Item(
                    letter=None,
                    raw=text if k == 0 else str(cid.serial),  # a list member: its serial
                    kind="cable",
                    cited_real=cid.canonical,
                    target=pub,
                    also=tuple(p for p in self.by_real.get(cid.canonical, ()) if p != pub) if pub else (),
                    damage=damage if k == 0 else "none",
                    year_written=year_written if k == 0 else "carried",
                )
            )
            out[-1].slot = slot  # type: ignore[attr-defined]
        return out

    def _with_year(self, written: str, serial: str, yy: str, year: int) -> str:
        r = self.rng.random()
        if r < 0.40:
            return f"{yy} {written} {serial}"
        if r < 0.52:
            return f"{year} {written} {serial}"
        if r < 0.56:
            return f"'{yy} {written} {serial}"
        if r < 0.60:
            return f"({yy}) {written} {serial}"
        if r < 0.64:
            return f"{written} {serial} ({yy})"
        if r < 0.70:
            return f"{written} {serial}/{yy}"
        if r < 0.73:
            return f"{written} {serial}-{yy}"
        if r < 0.88 and " " not in written and written.isupper() and serial.isdigit():
            return f"{yy}{written}{int(serial)}"
        return f"{yy} {written} {serial}"

    def _damage_post(self, written: str, stats: Stats) -> tuple[str, str]:
        rng, rates = self.rng, self.rates
        letters = norm(written)
        if len(letters) >= 5:
            stats.damage_applicable["post_typo"] += 1
            if rng.random() < rates.post_typo:
                for _ in range(5):
                    typo = _typo(written, rng)
                    if norm(typo) not in self.origins and norm(typo) not in ("SECSTATE",):
                        return typo, "post_typo"
        if "O" in written.upper():
            stats.damage_applicable["ocr_o0"] += 1
            if rng.random() < rates.ocr_o0:
                pos = [k for k, ch in enumerate(written) if ch in "Oo"]
                k = rng.choice(pos)
                return written[:k] + "0" + written[k + 1 :], "ocr_o0"
        if " " in written:
            stats.damage_applicable["line_break"] += 1
            if rng.random() < rates.line_break:
                k = rng.choice([k for k, ch in enumerate(written) if ch == " "])
                return written[:k] + "\n     " + written[k + 1 :], "line_break"
            words = written.split()
            if len(letters) >= 10 and len(words[-1]) >= 6:
                stats.damage_applicable["abbreviated"] += 1
                if rng.random() < rates.abbreviated:
                    return " ".join(words[:-1] + [words[-1][:4]]), "abbreviated"
        return written, "none"

    def _non_cable(self, g, slot) -> Item:  # type: ignore[no-untyped-def]
        rng = self.rng
        d = g.created - timedelta(days=rng.randint(1, 60))
        mon, day, yy = MONTH_NAMES[d.month - 1], d.day, f"{d.year % 100:02d}"
        name, name2 = rng.choice(SURNAMES), rng.choice(SURNAMES)
        kind, raw = rng.choice(
            (
                ("email", f"{name} {mon} {day} E-MAIL"),
                ("email", f"E-MAIL FROM {name} ({rng.choice(OFFICES)}) TO {name2}, {d.month}/{day}/{yy}"),
                ("email", f"{name}-{name2} EMAIL OF {mon[:3]} {day}"),
                ("telcon", f"{mon} {day} TELCON {name}/{name2}"),
                ("telcon", f"TELCON WITH {rng.choice(OFFICES)} {d.month}/{day}"),
                ("letter", f"LETTER FROM MINISTER {name} DATED {mon} {day}, {d.year}"),
                ("letter", f"DIPLOMATIC NOTE {rng.randint(1, 999)}/{d.year}"),
                ("letter", f"MEMCON {mon} {day}, {d.year}"),
                ("intel_report", f"IIR 6 {rng.randint(800, 899)} {rng.randint(1, 999):04d} {yy}"),
                ("dtg_message", f"{rng.choice(('SECDEF', 'CJCS', 'USCINCCENT', 'CDRUSEUCOM'))} "
                                f"{rng.choice('ROP')}{day:02d}{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}Z "
                                f"{MONTHS[d.month - 1]} {yy}"),
                ("un_document", f"UNSCR {rng.randint(1200, 1900)}"),
                ("press_report", f"OSC REPORT GMP{d.year}{d.month:02d}{day:02d}{rng.randint(100000, 999999)}"),
                ("web_page", f"WWW.{rng.choice(('WHO.INT', 'IMF.ORG', 'UN.ORG', 'STATE.GOV'))}"),
            )
        )  # fmt: skip
        it = Item(letter=None, raw=raw, kind=kind, damage="")
        it.slot = slot  # type: ignore[attr-defined]
        return it

    def _letter(self, items: list[Item], n_slots: int) -> list[Item]:
        rng = self.rng
        if n_slots == 1 and rng.random() < 0.65:
            return items  # a single item without a letter
        for it in items:
            it.letter = chr(ord("A") + it.slot) if it.slot < 26 else None  # type: ignore[attr-defined]
        return items

    # --- a CSV row ------------------------------------------------------------------------

    def _ref_block(self, items: list[Item]) -> str:
        rng = self.rng
        if not items:
            return ""
        slots: dict[int, list[Item]] = defaultdict(list)
        for it in items:
            slots[it.slot].append(it)  # type: ignore[attr-defined]
        lettered = items[0].letter is not None
        if not lettered:
            keyword = rng.choice(("REF:", "REF:", "REF:", "Ref:", "REFTEL:"))
            return f"{keyword} {slots[0][0].raw}"
        keyword = rng.choice(("REF:", "REF:", "REF:", "REFS:", "Ref:", "REF(S):")) if len(slots) > 1 else "REF:"
        style = rng.choice(("{}.", "{}.", "{}.", "{}.", "{})", "({})", "{}.)"))
        layout = rng.random()
        lines = []
        for s in sorted(slots):
            it = slots[s][0]
            lines.append(style.format(it.letter) + " " + it.raw)
        if layout < 0.6:
            return f"{keyword} " + "\n     ".join(lines)
        if layout < 0.9:
            return f"{keyword}\n" + "\n".join(lines)
        return f"{keyword} " + " ".join(lines)

    def _row(self, g: Gen, items: list[Item]) -> str:
        rng = self.rng
        k = bisect.bisect_left(self.template_cum, rng.random() * self.template_cum[-1])
        t = self.pool[min(k, len(self.pool) - 1)]
        real = g.real
        post = self.posts.get(real.origin) if real is not None else None
        banner_origin = post.written[0] if post else (real.origin if real else g.published)
        block = self._ref_block(items)
        body_parts = []
        for seg in t.segments:
            if seg == st.REF:
                body_parts.append(block)
            elif seg.startswith("\x00OWN"):
                width = int(seg[4:-1])
                if real is not None:
                    body_parts.append(f"{banner_origin} {real.serial:0{width}d}")
                else:
                    body_parts.append(g.published)
            else:
                body_parts.append(seg)
        body = "".join(body_parts)
        header = self._header(g, t, post)
        created = f"{g.created.month}/{g.created.day}/{g.created.year} {g.created.hour}:{g.created.minute:02d}"
        refs_col = self._wikileaks_refs(g, items)
        name = post.name if post else t.origin_name
        cols = (str(g.row), created, g.published, name, t.classification, refs_col, header, body)
        return ",".join(f'"{esc(c)}"' for c in cols) + "\n"

    def _wikileaks_refs(self, g: Gen, items: list[Item]) -> str:
        """Column 6 as WikiLeaks made it: unreliable on purpose (self-citations, only the
        first item, odd case).  refdb must not take it as truth."""
        rng = self.rng
        ids = [it.cited_real for it in items if it.cited_real]
        r = rng.random()
        if r < 0.05 and ids:
            ids = ids[:1]
        elif r < 0.08:
            ids = ids + [g.published]
        if rng.random() < 0.03:
            ids = [i[:2] + i[2:].title() for i in ids]
        return "|".join(ids)

    def _header(self, g: Gen, t: st.Template, post: Post | None) -> str:
        rng = self.rng
        d = g.created
        prec = rng.choice("RRRPPO")
        dtg = f"{d.day:02d}{d.hour:02d}{d.minute:02d}Z {MONTHS[d.month - 1]} {d.year % 100:02d}"
        fm = post.fm if post else "AMEMBASSY"
        ri = post.ri if post else "RUEH"
        cls = t.classification.upper()
        zcode = "ZNR UUUUU ZZH" if cls.startswith("UNCLAS") else ("ZNY SSSSS ZZH" if cls.startswith("SECRET") else "ZNY CCCCC ZZH")
        lines = []
        if d.year >= 2004:
            serial = g.real.serial if g.real is not None else 0
            julian = d.timetuple().tm_yday
            lines += [
                f"VZCZCXRO{rng.randint(1000, 9999)}",
                f"{prec}{prec} {ri}",
                f"DE {ri} #{serial % 10000:04d}/01 {julian:03d}{d.hour:02d}{d.minute:02d}",
                zcode,
            ]
        lines.append(f"{prec} {dtg}")
        lines.append(f"FM {fm}")
        if fm.startswith("SECSTATE"):
            lines.append(f"TO {rng.choice(('ALL DIPLOMATIC AND CONSULAR POSTS', 'RUEHKO/AMEMBASSY TOKYO', 'RUEHLO/AMEMBASSY LONDON'))}")
        else:
            lines.append(f"TO RUEHC/SECSTATE WASHDC {rng.choice(('PRIORITY', 'IMMEDIATE', 'ROUTINE'))} {rng.randint(1, 9999):04d}")
        # keep the template's INFO lines: real addressee lists
        info = [ln for ln in t.header.splitlines() if ln.startswith(("INFO", "RUE", "RUC", "RHE", "RHM"))][:8]
        lines += info
        return "\n".join(lines)


def _year_of(refid: str) -> int:
    from refdb.ids import full_year

    digits = refid[:2]
    return full_year(int(digits)) if digits.isdigit() else 2000


def _typo(written: str, rng: random.Random) -> str:
    idx = [k for k, ch in enumerate(written) if ch.isalpha()]
    inner = idx[1:-1] or idx
    k = rng.choice(inner)
    r = rng.random()
    if r < 0.5:
        return written[:k] + written[k + 1 :]  # dropped letter: BRASILA
    if r < 0.75 and k + 1 < len(written) and written[k + 1].isalpha() and written[k] != written[k + 1]:
        return written[:k] + written[k + 1] + written[k] + written[k + 2 :]  # swapped: SECTATE <- SECSTATE
    return written[:k] + written[k] + written[k:]  # doubled letter


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=FULL_N, help="number of cables (default: all 251,287)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, default=None, help="output folder (default benchmarks/out/corpus-N-sSEED)")
    p.add_argument("--corpus", type=Path, default=st.DEFAULT_CORPUS)
    p.add_argument("--reference", type=Path, default=st.DEFAULT_REFERENCE)
    p.add_argument("--in-corpus", type=float, default=Rates.in_corpus, help="share of cable items citing a stored cable")
    p.add_argument(
        "--no-size-calibration", action="store_true", help="pick bodies uniformly instead of aiming at 1.7 GB at full N"
    )
    a = p.parse_args(argv)
    out = a.out or HERE / "out" / f"corpus-{a.n}-s{a.seed}"
    rates = Rates(in_corpus=a.in_corpus)
    started = time.perf_counter()
    gen = Generator(a.n, a.seed, a.corpus, a.reference, rates, None if a.no_size_calibration else FULL_BYTES)
    summary = gen.generate(out)
    manifest = {
        "n": a.n,
        "seed": a.seed,
        "python": sys.version.split()[0],
        "rates": rates.__dict__,
        "templates": len(gen.pool),
        **summary,
        "mb": round(summary["bytes"] / 1e6, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
