"""REF blocks: find them in a cable's heading and read them into :class:`RefItem` values.

A REF block follows the SUBJECT line (sometimes glued to it) and ends before
``Classified By``, the first numbered paragraph or a blank line::

    REF: A. TOKYO 960
    [1](#)B. 07 TOKYO 5019
    [1](#)C. 07 TOKYO 2690

:mod:`refdb.parse.refscan` finds the blocks in the heading and splits them on their
letters; each item is read by :mod:`refdb.parse.refitem`; this module settles years
against the citing cable, numbers the items and says what was left unread.

Texts copied from viewer pages sometimes hold the heading twice (a truncated extract,
then the full cable); a block that repeats an earlier one is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from refdb.ids import FIRST_YEAR, CableId, InvalidCableId
from refdb.model import RefItem, RefKind, YearSource
from refdb.parse.posts_written import cited_origin
from refdb.parse.refitem import ItemReading, Prev, Token, is_connector, read_item
from refdb.parse.refscan import RefBlock, Scan, scan_blocks

__all__ = ["RefBlock", "Leftover", "find_ref_blocks", "parse_refs", "ref_block_leftovers"]

# Words that continue the line before rather than start a new reference.
_CONTINUING_WORDS = frozenset({"NOTAL", "EXDIS", "NODIS", "LIMDIS", "PREVIOUS", "ET"})


@dataclass(frozen=True, slots=True)
class Leftover:
    """Text of a REF block that no rule accounted for, for the corpus report.

    ``category``: ``unread_text`` (left over inside an item that named cables),
    ``unreadable_item`` (an item naming neither a cable nor a known kind of document),
    ``truncated`` (text cut short, ``SECST...``), ``empty_letter`` (a letter with nothing after it).
    ``ordinal`` is the REF item it belongs to (None for an empty letter).
    """

    block: int
    letter: str | None
    ordinal: int | None
    text: str
    category: str


def find_ref_blocks(text: str) -> tuple[RefBlock, ...]:
    """Every REF block in the heading of ``text``, in order (duplicate copies included)."""
    return tuple(scan.block for scan in scan_blocks(text))


def parse_refs(text: str, citing: CableId | None, *, citing_origin: str | None = None) -> tuple[RefItem, ...]:
    """The REF items of a cable, in REF order (``ordinal`` 0, 1, ...).

    ``citing`` gives the year for items that write none, and the post and serial that
    decide when such an item means the year before (see :class:`YearSource`).
    ``citing_origin`` is the citing post as written, used when ``citing`` is unknown.
    """
    return _read(text, citing, citing_origin)[0]


def ref_block_leftovers(
    text: str, citing: CableId | None = None, *, citing_origin: str | None = None
) -> tuple[Leftover, ...]:
    """What :func:`parse_refs` could not account for in the REF blocks of ``text``."""
    return _read(text, citing, citing_origin)[1]


# -- reading blocks into items ----------------------------------------------------------


@dataclass(slots=True)
class _Item:
    """One RefItem before ordinals are given, with what was left unread in it."""

    block: int
    letter: str | None
    raw: str
    kind: RefKind
    origin_written: str | None
    cited_origin: str | None
    serial: int | None
    year: int | None
    year_source: YearSource | None
    qualifiers: tuple[str, ...]
    dtg_sender: str | None
    dtg: str | None
    unread: tuple[str, ...]
    unread_category: str | None
    note: str | None = None


def _read(
    text: str, citing: CableId | None, citing_origin: str | None
) -> tuple[tuple[RefItem, ...], tuple[Leftover, ...]]:
    scans = scan_blocks(text)
    if not scans:
        return (), ()
    blocks: list[list[_Item]] = []
    empties: list[list[str]] = []
    for scan in scans:
        items, empty = _read_block(scan)
        blocks.append(items)
        empties.append(empty)
    keep = _drop_repeated(blocks)
    own_origin = citing.origin if citing is not None else (cited_origin(citing_origin) if citing_origin else None)
    refs: list[RefItem] = []
    leftovers: list[Leftover] = []
    block_no = 0
    for k in keep:
        for letter in empties[k]:
            leftovers.append(Leftover(block_no, letter, None, "", "empty_letter"))
        for item in blocks[k]:
            item.block = block_no
            ref = _finish(item, len(refs), citing, own_origin)
            refs.append(ref)
            for piece in item.unread:
                category = item.unread_category or "unread_text"
                leftovers.append(Leftover(block_no, item.letter, ref.ordinal, piece, category))
        block_no += 1
    return tuple(refs), tuple(leftovers)


def _read_block(scan: Scan) -> tuple[list[_Item], list[str]]:
    content = scan.block.content
    toks = scan.toks
    bounds: list[tuple[str | None, int, int]] = []
    if not scan.markers:
        bounds.append((None, 0, len(toks)))
    else:
        if scan.markers[0].at > 0:
            bounds.append((None, 0, scan.markers[0].at))
        for k, mk in enumerate(scan.markers):
            stop = scan.markers[k + 1].at if k + 1 < len(scan.markers) else len(toks)
            bounds.append((mk.letter, mk.at, stop))
    items: list[_Item] = []
    empty: list[str] = []
    prev: Prev | None = None
    for letter, a, b in bounds:
        part = toks[a:b]
        if not part:
            if letter is not None:
                empty.append(letter)
            continue
        if _is_none_word(content, part):
            continue  # "Ref: None"
        # ";" separates things of different kinds: "ABUJA 207; FEB 24 CARSON-SANDERS TELCON"
        for segment in _segments(content, part, by_line=letter is None):
            if all(is_connector(t) for t in segment):
                continue  # "C) STATE 15111; and D)": the "and" of the list
            reading = read_item(content, segment, prev)
            seg_text = content[segment[0].start : segment[-1].end]
            last = items[-1] if items else None
            if (
                last is not None
                and last.letter == letter
                and not reading.cables
                and reading.unread
                and (last.kind not in (RefKind.CABLE, RefKind.OTHER) or not any(ch.isdigit() for ch in seg_text))
            ):
                # "TELCON: O. MOSS; AF DUTY, CHRIS LAMORA", '07 TRIPOLI 370 - QADHAFI: "REGAN
                # WAS CRAZY; LIBYA NOW ...': the item before goes on
                last.raw = f"{last.raw}; {' '.join(seg_text.split())}"
                continue
            items.extend(_items_of(content, segment, letter, reading))
            for c in reading.cables:
                prev = Prev(c.post_written, c.year)
    return items, empty


def _segments(content: str, part: list[Token], *, by_line: bool) -> list[list[Token]]:
    """Cut an item's tokens at ";" and, in an unlettered block, at line breaks.

    An unlettered block lists one thing per line (``PANAMA 829; BOGOTA 3483`` /
    ``STEPHENSON-BROWNFIELD E-MAILS``); a line that continues the one before (a
    bracket still open, a connector or qualifier first) is not cut.
    """
    out: list[list[Token]] = [[]]
    depth = 0
    for k, t in enumerate(part):
        if t.text == ";":
            out.append([])
            continue
        if (
            by_line
            and out[-1]
            and depth == 0
            and "\n" in content[part[k - 1].end : t.start]
            and not is_connector(t)
            and t.text != "("
            and t.text.upper() not in _CONTINUING_WORDS
        ):
            out.append([])
        if t.text == "(":
            depth += 1
        elif t.text == ")" and depth:
            depth -= 1
        out[-1].append(t)
    return [seg for seg in out if seg]


def _is_none_word(content: str, part: list[Token]) -> bool:
    return len(part) <= 3 and content[part[0].start : part[-1].end].strip(" .").upper() in {"NONE", "N/A", "NA"}


def _items_of(content: str, part: list[Token], letter: str | None, reading: ItemReading) -> list[_Item]:
    unread = tuple(" ".join(content[s:e].split()) for s, e in reading.unread)
    category = None
    if unread:
        last = unread[-1]
        if last.endswith("..") or last.endswith("\u2026"):
            category = "truncated"
        elif not reading.cables:
            category = "unreadable_item"
        else:
            category = "unread_text"
    if not reading.cables:
        raw = " ".join(content[part[0].start : part[-1].end].split())
        kind = reading.kind or RefKind.OTHER
        return [
            _Item(
                block=0, letter=letter, raw=raw, kind=kind, origin_written=None, cited_origin=None,
                serial=None, year=None, year_source=None, qualifiers=tuple(reading.qualifiers),
                dtg_sender=reading.dtg_sender, dtg=reading.dtg, unread=unread, unread_category=category,
            )
        ]
    out: list[_Item] = []
    for k, c in enumerate(reading.cables):
        raw = " ".join(content[c.raw_start : c.raw_end].split())
        written = " ".join(c.post_written.split()) if c.post_written else None
        origin = cited_origin(written) if written else None
        source = None
        if c.year is not None:
            source = YearSource.CARRIED if c.year_carried else YearSource.EXPLICIT
        date_note = "year from the date written after the serial" if c.year_from_date else None
        # unread text belongs to the item as a whole; report it once, on its first cable
        out.append(
            _Item(
                block=0, letter=letter, raw=raw, kind=RefKind.CABLE, origin_written=written, cited_origin=origin,
                serial=c.serial, year=c.year, year_source=source, qualifiers=tuple(c.qualifiers),
                dtg_sender=None, dtg=c.dtg, unread=unread if k == 0 else (),
                unread_category=category if k == 0 else None, note=date_note,
            )
        )
    return out


def _signature(item: _Item) -> tuple[str | None, str]:
    return item.letter, item.raw.upper()


def _drop_repeated(blocks: list[list[_Item]]) -> list[int]:
    """Indexes of the blocks to keep: empty blocks and copies of another block go.

    A block is a copy when its items equal the start of another block's items, the
    last one possibly cut short (``REF: SECST...`` then, later, ``REF: SECSTATE 87254``).
    Of a copy and its original the more complete is kept (more items, then longer
    text); of two equal, the first.  A block holding only text cut short
    (``REF: R...``) goes too when another block is kept.
    """
    keep = [k for k, items in enumerate(blocks) if items]
    dropped: set[int] = set()
    for pos, a in enumerate(keep):
        for b in keep[pos + 1 :]:
            if a in dropped or b in dropped:
                continue
            short, long_ = (a, b) if len(blocks[a]) <= len(blocks[b]) else (b, a)
            if _is_prefix(blocks[short], blocks[long_]):
                dropped.add(b if _completeness(blocks[a]) >= _completeness(blocks[b]) else a)
    kept = [k for k in keep if k not in dropped]
    if len(kept) > 1:
        whole = [k for k in kept if not all(_cut_short(item) for item in blocks[k])]
        kept = whole or kept[:1]
    return kept


def _cut_short(item: _Item) -> bool:
    return item.unread_category == "truncated" and item.kind is not RefKind.CABLE


def _completeness(items: list[_Item]) -> tuple[int, int]:
    return len(items), sum(len(item.raw) for item in items)


def _is_prefix(short: list[_Item], long_: list[_Item]) -> bool:
    for k, item in enumerate(short):
        other = long_[k]
        if _signature(item) == _signature(other):
            continue
        if k == len(short) - 1 and item.letter == other.letter:
            cut = item.raw.rstrip(". \u2026").upper()
            if not cut or other.raw.upper().startswith(cut) or item.unread_category == "truncated":
                return True
        return False
    return True


def _finish(item: _Item, ordinal: int, citing: CableId | None, own_origin: str | None) -> RefItem:
    """Settle the year of a cable item and build the RefItem."""
    if item.kind is not RefKind.CABLE or item.serial is None:
        return RefItem(
            ordinal=ordinal, letter=item.letter, raw=item.raw, kind=item.kind, qualifiers=item.qualifiers,
            dtg_sender=item.dtg_sender, dtg=item.dtg, block=item.block,
            note=_unread_note(item),
        )
    notes: list[str] = [item.note] if item.note else []
    origin = item.cited_origin
    if origin is None:
        origin = own_origin
        notes.append("no post written: read as the citing post")
    year, source = item.year, item.year_source
    if year is None and citing is not None:
        if origin is not None and origin == citing.origin and item.serial > citing.serial:
            if citing.year > FIRST_YEAR:
                year, source = citing.year - 1, YearSource.SERIAL_ORDER
                notes.append(
                    f"no year written; serial {item.serial} is above the citing cable's own "
                    f"{citing.origin} {citing.serial}, so it is from the year before"
                )
            else:  # neither this year (the serial says so) nor one a cable ID can hold
                notes.append(
                    f"no year written; serial {item.serial} is above the citing cable's own "
                    f"{citing.origin} {citing.serial}, so it is from {citing.year - 1}, "
                    f"before the first year a cable ID holds ({FIRST_YEAR}): left unread"
                )
        else:
            year, source = citing.year, YearSource.CITING_YEAR
    elif year is None:
        notes.append("no year written and the citing cable's year is unknown")
    cited: CableId | None = None
    if year is not None and origin:
        try:
            cited = CableId(year, origin, item.serial)
        except InvalidCableId as exc:
            notes.append(f"not a valid cable ID: {exc}")
    if cited is not None and citing is not None and cited == citing:
        notes.append("names the citing cable itself")
    unread = _unread_note(item)
    if unread:
        notes.append(unread)
    return RefItem(
        ordinal=ordinal, letter=item.letter, raw=item.raw, kind=RefKind.CABLE, cited=cited,
        origin_written=item.origin_written, serial=item.serial, year=year, year_source=source,
        qualifiers=item.qualifiers, dtg=item.dtg, block=item.block, note="; ".join(notes) or None,
    )


def _unread_note(item: _Item) -> str | None:
    if not item.unread:
        return None
    return "unread: " + " | ".join(item.unread)
