"""Plain data types shared by every layer: what a reader yields, what the parser
produces, what the resolver decides.  Frozen dataclasses, no I/O, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from refdb.ids import CableId
from refdb.pickling import plain_pickle

__all__ = [
    "RawCable",
    "InputProblem",
    "RefKind",
    "YearSource",
    "RefItem",
    "Mention",
    "ParsedCable",
    "Status",
    "Resolution",
    "Candidate",
]


@plain_pickle
@dataclass(frozen=True, slots=True)
class RawCable:
    """One cable as a reader found it, before header parsing.

    ``text`` is the cable's full text (routing header, if any, then body) as refdb
    will store it; every character offset refdb reports points into this string.
    ``meta`` holds what the container format states outright (``id``, ``date``,
    ``origin``, ``classification``, ``references``...), all as strings.
    """

    source: str  # file path (or "-" for stdin)
    locator: str  # "" for a one-cable file, "row=12", "record=3", "line=40" inside multi-cable files
    format: str  # "telegram", "viewer_html", "cables_csv", "mongo_json", "plusd_text", "body_text", "jsonp"
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    # What the reader had to repair or guess (encoding fallback, truncated record ...);
    # the parser carries these into ParsedCable.warnings.
    warnings: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.source}:{self.locator}" if self.locator else self.source


@plain_pickle
@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input (file, row, record) that could not be read, with a one-line reason."""

    source: str
    locator: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.locator}" if self.locator else self.source
        # One line whatever the file is called: a newline in a file name must not split it.
        return _one_line(f"{where}: {self.message}")


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class RefKind(StrEnum):
    CABLE = "cable"
    EMAIL = "email"
    TELCON = "telcon"  # telephone calls and meetings
    LETTER = "letter"  # letters, memos, faxes, diplomatic notes
    DTG_MESSAGE = "dtg_message"  # a message known only by sender + date-time group
    INTEL_REPORT = "intel_report"  # IIR, TD ...
    PRESS_REPORT = "press_report"  # press, OSC, FBIS
    UN_DOCUMENT = "un_document"
    WEB_PAGE = "web_page"
    OTHER = "other"


class YearSource(StrEnum):
    EXPLICIT = "explicit"  # written in the item
    CARRIED = "carried"  # from the previous item in a list (ROME 2543 AND 2544)
    CITING_YEAR = "citing_year"  # none written: the citing cable's year
    SERIAL_ORDER = "serial_order"  # none written; serial above the citing cable's own: an earlier year


@plain_pickle
@dataclass(frozen=True, slots=True)
class RefItem:
    """One item of a REF block, in REF order (``ordinal`` is 0-based and unique per cable).

    Several cables under one letter (``A. TOKYO 960, 961``) give several items sharing
    ``letter``.  ``cited`` is the canonical ID the item names (None for non-cables and
    for cable items too damaged to read); ``origin_written`` is the post as written,
    kept for the resolver's repairs.
    """

    ordinal: int
    letter: str | None
    raw: str
    kind: RefKind = RefKind.CABLE
    cited: CableId | None = None
    origin_written: str | None = None
    serial: int | None = None
    year: int | None = None
    year_source: YearSource | None = None
    qualifiers: tuple[str, ...] = ()
    dtg_sender: str | None = None  # for DTG-only messages: "SECDEF"
    dtg: str | None = None  # "162245Z OCT 08"
    block: int = 0  # which REF block of the cable (most have one)
    note: str | None = None  # why the year/ID was read the way it was


@plain_pickle
@dataclass(frozen=True, slots=True)
class Mention:
    """A place in the body pointing back at a REF item.

    ``REFS A AND B`` yields two mentions with the same span.  ``ref_ordinal`` is the
    REF item the mention attaches to; None when its letter has no REF item (kept,
    never attached to a neighbour).
    """

    text: str
    start: int
    end: int
    paragraph: int | None
    letter: str | None
    ref_ordinal: int | None
    form: str  # "letter" (REF A), "reftel", "reftels"


@plain_pickle
@dataclass(frozen=True, slots=True)
class ParsedCable:
    """Everything refdb read from one cable."""

    id: CableId | None  # the real, canonical ID (None only when nothing could be read)
    published_id: str  # the ID as the source publishes it (garbled or not); storage key
    id_source: str  # "metadata", "banner", "de_line", "derived"
    format: str
    source: str
    locator: str
    text: str
    date: datetime | None = None
    dtg: str | None = None
    precedence: str | None = None
    origin: str | None = None  # as in the ID: "TOKYO"
    origin_name: str | None = None  # "AMEMBASSY TOKYO" / "Embassy Tokyo"
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
    refs: tuple[RefItem, ...] = ()
    mentions: tuple[Mention, ...] = ()
    warnings: tuple[str, ...] = ()


class Status(StrEnum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    AMBIGUOUS = "ambiguous"
    NOT_A_CABLE = "not_a_cable"


@plain_pickle
@dataclass(frozen=True, slots=True)
class Candidate:
    target_id: str
    score: float
    why: str


@plain_pickle
@dataclass(frozen=True, slots=True)
class Resolution:
    """What the resolver decided for one REF item, and why.

    ``method`` names the step that decided (``exact``, ``post_alias``, ``fuzzy_post``,
    ``manual`` ...); ``evidence`` holds reason codes; ``reason`` is the triage reason
    of an unresolved item (``not_stored``, ``not_in_catalogue`` ...).
    """

    status: Status
    method: str | None = None
    confidence: float = 0.0
    target_id: str | None = None
    resolved_id: str | None = None  # canonical ID after repairs (may differ from the cited one)
    evidence: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    reason: str | None = None
