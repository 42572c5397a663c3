"""Read the shared corpus into what the resolver benchmark needs.

- every cable of ``manifest.csv`` as a :class:`StoredCable` (ID, real ID, date, DTG);
- for every cable whose text the readers give with its ID, its REF items.

REF items come from the project's parser: ``refdb.parse.parse_path`` when it works,
else the format readers (``refdb.parse.formats.read_path``) plus
``refdb.parse.refblock.parse_refs``, else a minimal extraction of this module (viewer
HTML pages only, REF items of the plain ``[YY] POST SERIAL`` shape).  The parser is
written at the same time as this benchmark; the first path that imports is used and
named in the report.
"""

from __future__ import annotations

import csv
import gzip
import html
import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from refdb.ids import CableId, normalise_dtg, repair_published
from refdb.model import RefItem, YearSource
from refdb.resolve.lookup import StoredCable
from refdb.stations import stations

# (published ID, date, DTG, REF items) of one cable, as each reader yields it.
Read = tuple[str, datetime | None, str | None, tuple[RefItem, ...]]
Reader = Callable[[Path, list[str]], Iterator[Read]]

__all__ = ["CorpusCable", "Corpus", "read_corpus"]

# "O 111244Z APR 08" on its own line in the routing header: the cable's DTG.
_DTG_LINE = re.compile(r"(?m)^[OPRZ]{1,2}[ \t]+(\d{6}Z[ \t]+[A-Z]{3}[ \t]+\d{2})[ \t]*$")
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class CorpusCable:
    stored: StoredCable
    refs: tuple[RefItem, ...]


@dataclass(frozen=True, slots=True)
class Corpus:
    stored: tuple[StoredCable, ...]  # every manifest ID
    with_refs: tuple[CorpusCable, ...]  # cables whose text was read
    parser: str  # which parser path produced the REF items


def _date(text: str | None) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime((text or "").strip(), fmt)
        except ValueError:
            continue
    return None


def _real(published: str) -> CableId | None:
    return repair_published(published, stations().origins)[0]


def _via_parse_path(corpus_dir: Path, files: list[str]) -> Iterator[Read]:
    parse_path = importlib.import_module("refdb.parse").parse_path
    for name in files:
        for parsed in parse_path(corpus_dir / name):
            if getattr(parsed, "published_id", None):
                yield parsed.published_id, parsed.date, parsed.dtg, tuple(parsed.refs)


def _via_readers(corpus_dir: Path, files: list[str]) -> Iterator[Read]:
    read_path = importlib.import_module("refdb.parse.formats").read_path
    parse_refs = importlib.import_module("refdb.parse.refblock").parse_refs
    for name in files:
        for raw in read_path(corpus_dir / name):
            published = getattr(raw, "meta", {}).get("id")
            if not published:
                continue  # an InputProblem, or a record whose ID the container does not state
            real = _real(published)
            dtg_line = _DTG_LINE.search(raw.text[:4000])
            dtg = normalise_dtg(dtg_line.group(1)) if dtg_line else None
            refs = parse_refs(raw.text, real, citing_origin=real.origin if real else None)
            yield published, _date(raw.meta.get("date")), dtg, tuple(refs)


# --- minimal extraction, used only when the parser does not import ---------------------

_PRE = re.compile(r"<pre>(.*?)</pre>", re.S)
_TAG = re.compile(r"<[^>]+>")
_META = re.compile(r"<a href='/cable/[^']+'>([^<]+)</a>\s*</td>\s*<td>\s*<a href='/date/[^']+'>([^<]+)</a>", re.S)
_REF_KEYWORD = re.compile(r"(?m)^[ \t]*REF(?:S|\(S\)|TELS?)?[ \t]*:", re.I)
_BLOCK_END = re.compile(r"\n[ \t]*\n|Classified By|\u00b6|\n[ \t]*1\.[ \t]", re.I)
_SIMPLE_ITEM = re.compile(r"\b(?:(\d{4}|\d{2})[ \t]+)?([A-Z][A-Z]+(?:[ \t][A-Z]+){0,3}?)[ \t]+0*(\d{1,7})\b")


def _simple_refs(text: str, citing: CableId | None) -> tuple[RefItem, ...]:
    keyword = _REF_KEYWORD.search(text)
    if keyword is None or citing is None:
        return ()
    rest = text[keyword.end() : keyword.end() + 2000]
    end = _BLOCK_END.search(rest)
    block = rest[: end.start()] if end else rest
    items = []
    for m in _SIMPLE_ITEM.finditer(block):
        origin = stations().canonical(m.group(2))
        if origin is None:
            continue
        year = int(m.group(1)) if m.group(1) else citing.year
        source = YearSource.EXPLICIT if m.group(1) else YearSource.CITING_YEAR
        try:
            cited = CableId.of(year, origin, int(m.group(3)))
        except ValueError:
            continue
        items.append(
            RefItem(len(items), None, m.group(0), cited=cited, origin_written=m.group(2), serial=cited.serial,
                    year=cited.year, year_source=source)
        )  # fmt: skip
    return tuple(items)


def _via_own_extraction(corpus_dir: Path, files: list[str]) -> Iterator[Read]:
    for name in files:
        if ".html" not in name:
            continue
        data = (corpus_dir / name).read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        page = data.decode("utf-8", errors="replace")
        meta = _META.search(page)
        if meta is None:
            continue
        text = "\n".join(html.unescape(_TAG.sub("", block.replace("&#x000A;", "\n"))) for block in _PRE.findall(page))
        dtg_line = _DTG_LINE.search(text[:4000])
        published = meta.group(1).strip()
        yield published, _date(meta.group(2)), normalise_dtg(dtg_line.group(1)) if dtg_line else None, _simple_refs(
            text, _real(published)
        )


def _choose_reader() -> tuple[Reader, str]:
    """The first REF-item source that imports (the parser is being written alongside)."""
    try:
        importlib.import_module("refdb.parse").parse_path  # noqa: B018 - probing
        return _via_parse_path, "refdb.parse.parse_path"
    except Exception:  # noqa: BLE001 - any failure to import means: not usable yet
        pass
    try:
        importlib.import_module("refdb.parse.formats").read_path  # noqa: B018
        importlib.import_module("refdb.parse.refblock").parse_refs  # noqa: B018
        return _via_readers, "refdb.parse.formats.read_path + refdb.parse.refblock.parse_refs"
    except Exception:  # noqa: BLE001
        return _via_own_extraction, "minimal extraction (viewer HTML, plain items; the parser did not import)"


def read_corpus(corpus_dir: Path) -> Corpus:
    rows = list(csv.DictReader((corpus_dir / "manifest.csv").open(encoding="utf-8")))
    files = sorted({r["stored_as"] for r in rows})
    reader, parser = _choose_reader()

    read: dict[str, CorpusCable] = {}
    for published, date, dtg, refs in reader(corpus_dir, files):
        if published in read:
            continue  # a second copy of a cable: the first (canonical) one counts
        real = _real(published)
        stored = StoredCable(published, real, date, dtg, real.origin if real else None)
        read[published] = CorpusCable(stored, refs)

    stored = [c.stored for c in read.values()]
    for r in rows:
        if r["refid"] not in read:
            real = _real(r["refid"])
            stored.append(StoredCable(r["refid"], real, None, None, real.origin if real else None))
    return Corpus(tuple(stored), tuple(read.values()), parser)
