"""Header fields of one cable, and the decision of its ID.

Pure: a :class:`~refdb.model.RawCable` in, a :class:`Header` out; nothing raises on odd
text (a field that cannot be read is None, with a warning where it matters).  The
routing header is read by :mod:`refdb.parse.routing`, the heading by
:mod:`refdb.parse.heading`; this module decides between what they and the container
metadata say.

The cable ID, in order of preference (``id_source``):

``metadata``
    the container states it (viewer page, cables.csv, JSON ``reference_id``, JSONP);
    a garbled published ID (``85NOFORNMOGADISHU1643``) is repaired with
    :func:`refdb.ids.repair_published`, or else read from the banner.
``banner``
    the classification banner ``C O N F I D E N T I A L SECTION 01 OF 02 TOKYO 001002``
    (or a page-break line ``TOKYO 00001002 002 OF 002``) with a year the cable itself
    states: in the banner (``75 LIBREVILLE 1895``), its DTG, or its date line.
``de_line``
    ``DE RUEHKO #1002/01 1020626``: the post from the routing indicator, the serial
    (four digits only: larger serials are cut, hence last) and the DTG year.
``derived``
    banner post and serial with a year the cable text does not state: the container's
    date (mongo JSON records whose ``_id`` holds references), or for a bare body the
    declassification date read backwards (a guess, with a warning).

Dates: the container's Created date wins (as WikiLeaks published it); else the DTG;
else a newspaper date line.  Every scan is bounded: routing and heading are read from
the first :data:`HEAD_SPAN` characters, the signer from the last few hundred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from refdb.ids import CableId, InvalidCableId, full_year, normalise_origin, repair_published
from refdb.model import RawCable
from refdb.parse import heading as hd
from refdb.parse import routing as rt
from refdb.stations import stations

__all__ = ["Header", "read_header", "HEAD_SPAN"]

HEAD_SPAN = 40_000  # routing header + heading; the longest INFO lists run ~15 KB
_DATE_LINE_SPAN = 300  # a date line sits right above the banner
# Cablegate's last cables are from early 2010.  Declassification was usually set ten
# years ahead, sometimes twenty or twenty-five: the first span that lands the send
# year inside the collection is taken.
_LAST_YEAR = 2010
# Real published IDs are under 40 characters (garbles included); a longer "ID" is debris
# (a table cell that swallowed text), not worth a repair, and not kept as the key.
_LONGEST_PUBLISHED = 64
_DECL_SPANS = (10, 20, 25)
_DECL_YEAR = re.compile(r"\d{1,2}/\d{1,2}/(\d{4}|\d{2})\b|\b(\d{4})/\d{1,2}/\d{1,2}")
_META_ISO = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?")
_META_US = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?")


@dataclass(frozen=True, slots=True)
class Header:
    id: CableId | None
    published_id: str
    id_source: str
    date: datetime | None = None
    dtg: str | None = None
    precedence: str | None = None
    origin: str | None = None
    origin_name: str | None = None
    routing_indicator: str | None = None
    to: tuple[str, ...] = ()
    info: tuple[str, ...] = ()
    classification: str | None = None
    caveats: tuple[str, ...] = ()
    declassify_on: str | None = None
    tags: tuple[str, ...] = ()
    subject: str | None = None
    classified_by: str | None = None
    signer: str | None = None
    warnings: tuple[str, ...] = ()
    reason: str | None = None  # why no ID could be read (when ``id`` is None)


@lru_cache(maxsize=4096)
def post_origin(written: str) -> str:
    """The origin for a post as a banner writes it: a known post or alias, a known tail
    (``SENSITIVE ROME``: a caveat fused in front), else the written form normalised."""
    st = stations()
    origin = st.canonical(written)
    if origin:
        return origin
    words = written.split()
    for cut in range(1, len(words)):
        tail = st.canonical(" ".join(words[cut:]))
        if tail:
            return tail
    return normalise_origin(written)


def _meta_date(value: str) -> datetime | None:
    """``2008-04-11 12:12``, ``2008-11-19 06:06:00``, ``12/28/1966 18:48``."""
    m = _META_ISO.match(value)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _META_US.match(value)
        if not m:
            return None
        mo, d, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    hh, mm = (int(m.group(4)), int(m.group(5))) if m.group(4) else (0, 0)
    try:
        return datetime(y, mo, d, hh, mm)
    except ValueError:
        return None


def _year_from_decl(declassify: str | None) -> int | None:
    m = _DECL_YEAR.search(declassify or "")
    if not m:
        return None
    year = full_year(int(m.group(1) or m.group(2)))
    for span in _DECL_SPANS:
        if year - span <= _LAST_YEAR:
            return year - span
    return None


def _published_id(meta: dict[str, str], cid: CableId | None) -> str:
    """The ID the cable is stored under: as published, or the ID read when none was
    published or the published one is debris."""
    published = meta.get("id", "").strip()
    if published and len(published) <= _LONGEST_PUBLISHED:
        return published
    return cid.canonical if cid else ""


def _make_id(year: int, origin: str, serial: int, warnings: list[str]) -> CableId | None:
    try:
        return CableId(year, origin, serial)
    except InvalidCableId as exc:
        warnings.append(f"no valid ID from {year} {origin} {serial}: {exc}")
        return None


@dataclass(frozen=True, slots=True)
class _Decided:
    id: CableId | None
    source: str
    reason: str | None


def _from_text(
    banner: hd.Banner | None,
    text_year: int | None,
    date: datetime | None,
    declassify: str | None,
    text: str,
    de: rt.DeLine | None,
    warnings: list[str],
) -> _Decided:
    """The ID the cable text gives: banner, page-break header, or DE line."""
    if banner is not None:
        year, source = None, "derived"
        if banner.yy is not None:
            year, source = full_year(banner.yy), "banner"
        elif text_year is not None:
            year, source = text_year, "banner"
        elif date is not None:
            year = date.year
        else:
            year = _year_from_decl(declassify)
            if year is not None:
                warnings.append(f"year {year} guessed from the declassification date {declassify}")
        if year is not None:
            cid = _make_id(year, post_origin(banner.post), banner.serial, warnings)
            if cid is not None:
                return _Decided(cid, source, None)
    page = hd.find_page_break(text, min(len(text), 2 * HEAD_SPAN))
    year = text_year or (date.year if date else None)
    if page is not None and year is not None:
        cid = _make_id(year, post_origin(page[0]), page[1], warnings)
        if cid is not None:
            return _Decided(cid, "banner" if text_year else "derived", None)
    if de is not None and text_year is not None:
        origin = stations().origin_for_ri(de.routing_indicator)
        if origin:
            cid = _make_id(text_year, origin, de.serial, warnings)
            if cid is not None:
                warnings.append("ID read from the DE line (serials there are cut to 4 digits)")
                return _Decided(cid, "de_line", None)
    if banner is None:
        reason = "no cable ID: no metadata ID, no classification banner with post and serial, no usable DE line"
    else:
        reason = f"no cable ID: the banner names {banner.post} {banner.serial:06d} but no year is stated anywhere"
    return _Decided(None, "", reason)


def _decide_id(
    meta: dict[str, str],
    banner: hd.Banner | None,
    text_year: int | None,
    date: datetime | None,
    declassify: str | None,
    text: str,
    de: rt.DeLine | None,
    warnings: list[str],
) -> _Decided:
    published = meta.get("id", "").strip()
    if not published:
        return _from_text(banner, text_year, date, declassify, text, de, warnings)
    debris = len(published) > _LONGEST_PUBLISHED
    cid, method = (None, "unreadable") if debris else repair_published(published, stations().origins)
    if cid is None:
        shown = repr(published[:_LONGEST_PUBLISHED] + "…") + f" ({len(published)} characters)" if debris else repr(published)
        warnings.append(f"published ID {shown} is unreadable; ID read from the text")
        found = _from_text(banner, text_year, date, declassify, text, de, warnings)
        if found.id is None:
            return _Decided(None, "", f"published ID {shown} is unreadable and the text names no post and serial")
        return found
    if method != "canonical":
        # A repaired garble can have lost digits too (08SECTION01GF02BISHIEK21 is
        # BISHKEK 1021): when the text names the same post, its serial wins.
        found = _from_text(banner, text_year, date, declassify, text, de, [])
        if found.id is not None and found.id.origin == cid.origin and found.id.year == cid.year and found.id != cid:
            warnings.append(f"published ID {published} is garbled ({method}); real ID {found.id} read from the {found.source}")
            return _Decided(found.id, "metadata", None)
        warnings.append(f"published ID {published} is garbled ({method}); real ID {cid}")
    elif banner is not None and banner.capitalised:
        if (post_origin(banner.post), banner.serial) != (cid.origin, cid.serial):
            warnings.append(f"banner reads {banner.post} {banner.serial:06d}, the ID is {cid}")
    return _Decided(cid, "metadata", None)


def read_header(raw: RawCable) -> Header:
    text = raw.text
    meta = raw.meta
    warnings: list[str] = list(raw.warnings)
    head_end = min(len(text), HEAD_SPAN)

    banner = hd.find_banner(text, head_end, any_case="id" not in meta)
    routing = text[: banner.start] if banner else text[: min(head_end, hd.HEADING_SPAN)]
    dtg = rt.find_dtg(routing, loose=banner is not None)
    de = rt.find_de(routing)
    fm = rt.find_fm(routing)

    date = _meta_date(meta["date"]) if meta.get("date") else None
    if meta.get("date") and date is None:
        warnings.append(f"unreadable metadata date {meta['date']!r}")
    text_date = dtg.when if dtg else None
    if text_date is None:
        lo = max(0, banner.start - _DATE_LINE_SPAN) if banner else 0
        text_date = hd.date_line(text, lo, banner.start if banner else min(head_end, 2 * _DATE_LINE_SPAN))
    if date is None:
        date = text_date

    heading_start = banner.start if banner else 0
    heading_end = hd.heading_end(text, banner.end if banner else 0)
    heading = text[heading_start:heading_end]
    declassify = hd.declassify_on(heading)

    decided = _decide_id(meta, banner, text_date.year if text_date else None, date, declassify, text, de, warnings)
    cid = decided.id

    origin_name = fm[0] if fm else (meta.get("origin_name") or None)
    origin = cid.origin if cid else (stations().canonical(origin_name) if origin_name else None)
    to, info = rt.addressees(routing, fm[1]) if fm else ((), ())
    precedence = rt.precedence_of(routing, dtg)
    if precedence is None and meta.get("precedence"):
        precedence = rt.PRECEDENCE.get(meta["precedence"][:1].upper())

    if meta.get("classification"):
        classification: str | None = " ".join(meta["classification"].upper().split())
    elif banner is not None:
        classification = banner.classification
    else:
        classification = rt.zny_classification(routing)
    caveat_region = heading[: hd.field_starts(heading)] if banner else ""

    return Header(
        id=cid,
        published_id=_published_id(meta, cid),
        id_source=decided.source,
        date=date,
        dtg=dtg.text if dtg else None,
        precedence=precedence,
        origin=origin,
        origin_name=origin_name,
        routing_indicator=de.routing_indicator if de else None,
        to=to,
        info=info,
        classification=classification,
        caveats=hd.caveats(caveat_region, meta.get("classification", "")),
        declassify_on=declassify,
        tags=hd.tags(heading) or tuple(meta.get("tags", "").upper().split()),
        subject=hd.subject(heading, banner.post if banner else None) or meta.get("subject") or _title_subject(meta.get("title")),
        classified_by=hd.classified_by(text, heading_start, heading_end),
        signer=hd.signer(text),
        warnings=tuple(warnings),
        reason=decided.reason,
    )


def _title_subject(title: str | None) -> str | None:
    """The subject in a viewer page title ``08ANKARA691, IMPLICATIONS OF ...`` (cut short)."""
    if not title or ", " not in title:
        return None
    return title.split(", ", 1)[1].strip() or None
