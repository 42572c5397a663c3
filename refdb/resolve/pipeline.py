"""Resolve one REF item: which stored cable it cites, or why none.

Pure code over a :class:`~refdb.resolve.lookup.Lookup`; no storage, no I/O.  Every
decision is explained by ``Resolution.method`` (the step that decided), ``evidence``
(reason codes of every step taken) and, for unresolved items, ``reason``.

Order of work: the ID as written is looked up first (one dict look-up when it is
stored: the common case); a post that is not known is then read through aliases,
routing indicators, repairs and fuzzy matching (:mod:`refdb.resolve.posts`); a year-less
item may move to the year before (:mod:`refdb.resolve.years`); a cable found nowhere is
looked for under a renamed post or a post of the same city
(:mod:`refdb.resolve.siblings`); a link is made only if the cable is not the citing one
and not newer than it.

Methods (``Resolution.method``):

- ``exact``: the cited ID is the storage key (published ID) of a stored cable.
- ``published_id``: the cited ID is the real form of a cable stored under a garbled
  published ID (``08SAOPAULO335`` stored as ``08SCTION02OF02SAOPAULO335``); evidence
  ``stored_as:<published ID>``.
- ``post_alias``: the post was written in a well-known other form (``SECSTATE`` ->
  STATE, ``AMEMBASSY TOKYO``, ``USUN``) or under a former name (``KIEV`` -> KYIV,
  evidence ``post_rename:KIEV->KYIV``).
- ``routing_indicator``: the post was written as a routing indicator (``RUEHKO``).
- ``repair_o0``: the digit 0 for the letter O in the post (``T0KYO``), or the letter O
  for 0 in the numbers of an item the parser could not read (``TOKYO 1OO2``).
- ``repair_split``: a post name cut by a line break or truncated (``KUALA LUMP``,
  ``LUMPUR``), glued to its office word (``AMEMBASSYTOKYO``) or to the year (``08TOKYO``).
- ``garbled_id``: a caveat or section line fused into the ID (``10EFTOKABUL668``),
  repaired by :func:`refdb.ids.repair_published`.
- ``fuzzy_post``: the post matched approximately (rapidfuzz OSA similarity x 100 >= 80,
  8 points over the runner-up; evidence ``fuzzy_post:BRASILIA:88``).  Year and serial
  are never matched approximately.
- ``city_group``: the post named has no such cable but a post of the same city that
  shares its serial sequence has (``TAIPEI 1234`` -> ``AITTAIPEI``).
- ``year_inferred``: a year-less item moved to the previous year (evidence
  ``year_inferred_from_date``, ``year_inferred_from_serial`` or
  ``year_inferred_from_serial_order``, see :mod:`refdb.resolve.years`).
- ``dtg``: a message known by sender and date-time group matched a stored cable.
- ``kind``: the parser classified the item as not a cable (status ``not_a_cable``).
- ``manual``: a user's decision (applied by storage, never by this module).

When several steps were needed (a fuzzy post, then an earlier year), ``method`` is the
least certain of them and ``confidence`` the product of their confidences.  For
unresolved and ambiguous items ``confidence`` is that of ``resolved_id``, the reading
the triage is about; ``method`` is None when the item was read as written.

Evidence codes (``Resolution.evidence``):

- ``post_alias:SECSTATE->STATE``, ``post_rename:KIEV->KYIV``,
  ``routing_indicator:RUEHKO->TOKYO``, ``repair_o0:T0KYO->TOKYO``,
  ``repair_o0:1OO2->1002``, ``repair_split:KUALALUMP->KUALALUMPUR``,
  ``repair_split:year_glued:08TOKYO``, ``garbled_id:caveat_fused:10EFTOKABUL668->10KABUL668``,
  ``fuzzy_post:BRASILIA:88`` (post, score 0-100): how the post or ID was read;
- ``fuzzy_post_ambiguous:ANAMA:MANAMA:83,PANAMA:83``,
  ``split_or_typo_ambiguous:NAIRO:CAIRO:80,NAIROBI:71``: the near tie behind an
  ``ambiguous`` outcome;
- ``unknown_post:SECDEF``: the post matches no known post;
- ``city_group:TAIPEI->AITTAIPEI``; ``city_sibling_separate_serials:08USNATO9`` (a post
  of the same city has this serial, but numbers its own cables: not taken);
- ``year_inferred_from_date``, ``year_inferred_from_serial``,
  ``year_inferred_from_serial_order``; ``year_before_first_year:1965`` (a year-less
  serial above the citing cable's own in 1966: last year's, a year no cable ID holds);
- ``stored_as:08SCTION02OF02SAOPAULO335``, ``several_stored_cables``;
- ``self_citation``, ``cited_after_citing:04NEWDELHI7026:2004-11-04``;
- ``dtg:STATE:141937Z FEB 07``, ``dtg_sender_unknown:SECDEF``, ``no_dtg``,
  ``no_dtg_sender``, ``no_cable_id``, ``kind:email``.

Reasons (``Resolution.reason``, for every status but ``resolved``):

- ``in_catalogue_not_loaded``: the cited cable is in the release catalogue, not stored.
- ``not_in_catalogue``: the cited cable is not in the catalogue (the leak is a sample of
  all traffic; also every post that never sends Cablegate cables, such as SECDEF).
- ``not_stored``: a DTG-only message with no stored match (the catalogue has no DTGs).
- ``malformed``: a cable item without a readable ID (no post, serial or year, or a year
  before ``refdb.ids.FIRST_YEAR``).
- ``ambiguous``: several candidates fit equally (``candidates``, best first).
- ``not_a_cable``: e-mails, telcons, intelligence reports ... (status ``not_a_cable``).
- ``contradiction_date``: the stored cited cable is dated after the citing one (by day);
  not linked, evidence kept.
- ``self_citation``: the item names the citing cable itself.
- ``no_ref_item``: (added by storage) a body mention whose letter has no REF item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from refdb.ids import FIRST_YEAR, CableId, InvalidCableId, normalise_dtg, normalise_origin, repair_published
from refdb.model import Candidate, RefItem, RefKind, Resolution, Status, YearSource
from refdb.resolve.lookup import Lookup, StoredCable
from refdb.resolve.posts import PostMatch, match_post
from refdb.resolve.siblings import city_siblings, exists, renamed_forms, shares_serials
from refdb.resolve.years import earlier_year, year_before
from refdb.stations import stations

__all__ = ["Citing", "resolve_item", "timeline_keys", "wait_key"]

# Confidence of the steps that are not post matches (those come from refdb.resolve.posts).
GARBLED_CONFIDENCE = 0.95
RENAME_CONFIDENCE = 0.95
CITY_GROUP_CONFIDENCE = 0.9
YEAR_CONFIDENCE = 0.85
DTG_CONFIDENCE = 0.95
O0_NUMBER_CONFIDENCE = 0.9

_GARBLES = frozenset({"caveat_fused", "section_fused", "suffix_fused"})
_YEAR_GLUED = re.compile(r"^(\d{2})([A-Z]+)$")
_ITEM_LETTER = re.compile(r"^\s*(?:\(?[A-Z]\)?[.)]\s*)+")
_NUMBER_WITH_O = re.compile(r"^'?[0-9O]*[0-9][0-9O]*$|^'?O[0-9O]*$")
# Reasons under which an unresolved item still names one cable it can wait for.
_WAITING = frozenset({"not_in_catalogue", "in_catalogue_not_loaded"})


@dataclass(frozen=True, slots=True)
class Citing:
    """The cable whose REF block is being resolved."""

    id: CableId | None  # its real canonical ID
    published_id: str  # its storage key
    date: datetime | None


# _Step and _Reading are NamedTuples, not frozen dataclasses: they are made for every
# reference on the hot path, and a NamedTuple is immutable too but several times cheaper.
class _Step(NamedTuple):
    method: str
    confidence: float
    evidence: tuple[str, ...] = ()


_EXACT = _Step("exact", 1.0)


class _Reading(NamedTuple):
    """What the item names, after repairs."""

    cid: CableId
    steps: tuple[_Step, ...]
    year_free: bool  # the year was not written: the citing year was assumed
    known_post: bool


def resolve_item(citing: Citing, item: RefItem, lookup: Lookup) -> Resolution:
    """Decide which stored cable ``item`` cites, or why none (see the module doc)."""
    if item.kind is RefKind.CABLE:
        reading = _read(item, lookup)
        if isinstance(reading, Resolution):
            return reading
        if reading is None:
            if item.dtg and item.dtg_sender:
                return _resolve_dtg(citing, item.dtg_sender, item.dtg, lookup)
            return Resolution(Status.UNRESOLVED, evidence=("no_cable_id",), reason="malformed")
        return _decide(citing, reading, lookup)
    if item.kind is RefKind.DTG_MESSAGE:
        return _resolve_dtg(citing, item.dtg_sender, item.dtg or item.raw, lookup)
    return Resolution(
        Status.NOT_A_CABLE, method="kind", confidence=1.0, evidence=(f"kind:{item.kind.value}",), reason="not_a_cable"
    )


def wait_key(item: RefItem, resolution: Resolution) -> str | None:
    """The canonical ID an unresolved item waits for, so storage can re-resolve it when
    that cable is stored; None when nothing could change the outcome by ID alone
    (resolved, not a cable, malformed, a date contradiction, self-citation, DTG-only,
    ambiguous: storage re-resolves those in full passes)."""
    if resolution.status is not Status.UNRESOLVED or resolution.reason not in _WAITING:
        return None
    if resolution.resolved_id:
        return resolution.resolved_id
    return item.cited.canonical if item.cited is not None else None


def timeline_keys(item: RefItem, resolution: Resolution) -> tuple[tuple[str, int], ...]:
    """(post, year) pairs whose newly stored cables can change this item's outcome.

    A year-less item's year is inferred from the dates and serials of its post's cables
    in the citing year (and from the cable of the year before): when cables of those
    posts and years arrive, storage should resolve it again.  Empty for every other item
    (an ID that is stored stays linked; the rest waits by :func:`wait_key`).
    """
    if item.kind is not RefKind.CABLE or item.year_source is not YearSource.CITING_YEAR or item.year is None:
        return ()
    if resolution.status is Status.RESOLVED and resolution.method != "year_inferred":
        return ()
    reading = CableId.try_parse(resolution.resolved_id or "") or item.cited
    if reading is None:
        return ()
    if item.year <= FIRST_YEAR:  # no cable of the year before can arrive
        return ((reading.origin, item.year),)
    return ((reading.origin, item.year), (reading.origin, item.year - 1))


# --- reading the item -------------------------------------------------------------------


@lru_cache(maxsize=8)
def _known_posts(lookup_origins: frozenset[str]) -> frozenset[str]:
    """The lookup's posts and every post of the bundled list: a real post must never be
    "repaired" into another just because a small lookup has none of its cables."""
    return lookup_origins | stations().origins


def _read(item: RefItem, lookup: Lookup) -> _Reading | Resolution | None:
    origins = _known_posts(lookup.origins())
    year_free = item.year_source is YearSource.CITING_YEAR
    steps: tuple[_Step, ...] = ()
    cited = item.cited
    if cited is None:
        rebuilt = _rebuild(item)
        if rebuilt is None:
            return None
        cited, steps = rebuilt
    if cited.origin in origins:
        return _Reading(cited, steps, year_free, True)

    glued = _YEAR_GLUED.match(cited.origin)
    if glued and glued.group(2) in origins:
        fixed = CableId.of(int(glued.group(1)), glued.group(2), cited.serial)
        step = _Step("repair_split", 0.9, (f"repair_split:year_glued:{cited.origin}",))
        return _Reading(fixed, steps + (step,), False, True)

    unfused = _unfused_origin(cited.origin, origins)
    if unfused is not None:
        repaired = cited.with_origin(unfused[0])
        code = f"garbled_id:{unfused[1]}:{cited.canonical}->{repaired.canonical}"
        step = _Step("garbled_id", GARBLED_CONFIDENCE, (code,))
        return _Reading(repaired, steps + (step,), year_free, True)

    written = item.origin_written or cited.origin
    match = match_post(written, origins)
    if match is None and normalise_origin(written) != cited.origin:
        match = match_post(cited.origin, origins)
    if match is None:
        unknown = _Step("unknown_post", 1.0, (f"unknown_post:{cited.origin}",))
        return _Reading(cited, steps + (unknown,), year_free, False)
    if match.ambiguous:
        return _ambiguous_post(cited, match, lookup, steps)
    if match.method == "exact":
        return _Reading(cited.with_origin(match.candidates[0][0]), steps, year_free, True)
    step = _Step(match.method, match.confidence, match.evidence)
    return _Reading(cited.with_origin(match.candidates[0][0]), steps + (step,), year_free, True)


@lru_cache(maxsize=4096)
def _unfused_origin(origin: str, origins: frozenset[str]) -> tuple[str, str] | None:
    """(post, how) when ``origin`` is a post with a caveat or section line fused in
    (``EFTOKABUL`` -> KABUL).  The damage lies in the post part alone, so it is read once
    per spelling, on a stand-in ID (repair_published scans every post: not per item)."""
    try:
        repaired, how = repair_published(f"00{origin}1", origins)
    except InvalidCableId:
        return None
    if repaired is not None and how in _GARBLES and repaired.origin in origins:
        return repaired.origin, how
    return None


def _rebuild(item: RefItem) -> tuple[CableId, tuple[_Step, ...]] | None:
    """An ID for an item the parser could not read, from its parts or its raw text."""
    if item.origin_written and item.serial is not None and item.year is not None:
        try:
            return CableId.of(item.year, item.origin_written, item.serial), ()
        except InvalidCableId:
            pass
    # The letter O typed for a zero in the year or serial: "TOKYO 1OO2", "O8 TOKYO 1002".
    text = _ITEM_LETTER.sub("", item.raw.upper()).strip()
    tokens = text.split()
    fixed = [t.replace("O", "0") if _NUMBER_WITH_O.match(t) and "O" in t else t for t in tokens]
    if fixed == tokens:
        return None
    cid = CableId.try_parse(" ".join(fixed).replace("'", ""), year=item.year)
    if cid is None:
        return None
    changed = ",".join(f"{a}->{b}" for a, b in zip(tokens, fixed) if a != b)
    return cid, (_Step("repair_o0", O0_NUMBER_CONFIDENCE, (f"repair_o0:{changed}",)),)


def _ambiguous_post(cited: CableId, match: PostMatch, lookup: Lookup, steps: tuple[_Step, ...]) -> Resolution:
    ranked = []
    for origin, score in match.candidates:
        cid = cited.with_origin(origin)
        hits = lookup.stored(cid)
        if hits:
            rank, target, state = 0, hits[0].id, "stored"
        elif lookup.in_catalogue(cid):
            rank, target, state = 1, cid.canonical, "in_catalogue_not_loaded"
        else:
            rank, target, state = 2, cid.canonical, "not_in_catalogue"
        why = f"fuzzy_post:{origin}:{round(score)};{state}"
        ranked.append((rank, -score, target, Candidate(target, round(score / 100, 3), why)))
    ranked.sort(key=lambda r: (r[0], r[1], r[2]))
    return Resolution(
        Status.AMBIGUOUS,
        method="fuzzy_post",
        confidence=0.0,
        evidence=_evidence(steps) + match.evidence,
        candidates=tuple(r[3] for r in ranked),
        reason="ambiguous",
    )


# --- deciding ---------------------------------------------------------------------------


def _decide(citing: Citing, reading: _Reading, lookup: Lookup) -> Resolution:
    cid, steps = reading.cid, reading.steps
    if not reading.known_post:
        return _unresolved("not_in_catalogue", cid, steps)
    above_own = _above_own_serial(citing, reading)
    if above_own and year_before(cid) is None:
        # Last year's by serial order, and last year is before FIRST_YEAR: no ID holds
        # it, and the citing year's cable is not it.
        return Resolution(
            Status.UNRESOLVED, evidence=_evidence(steps) + (f"year_before_first_year:{cid.year - 1}",), reason="malformed"
        )
    if not above_own:
        hits = lookup.stored(cid)
        if hits:  # the common case: one look-up, then the plausibility checks
            return _link(citing, reading, hits, lookup)
    if reading.year_free:
        earlier = earlier_year(lookup, cid, citing.id, citing.date)
        if earlier is not None:
            cid, code = earlier
            steps = steps + (_Step("year_inferred", YEAR_CONFIDENCE, (code,)),)
            reading = _Reading(cid, steps, False, True)
            hits = lookup.stored(cid)
            if hits:
                return _link(citing, reading, hits, lookup)
    if lookup.in_catalogue(cid):
        return _catalogued(citing, reading)

    # The cable named is nowhere: the same cable under a renamed post ...
    for other, code in renamed_forms(cid):
        if exists(lookup, other):
            step = _Step("post_alias", RENAME_CONFIDENCE, (code,))
            return _found(citing, _Reading(other, steps + (step,), reading.year_free, True), lookup)
    # ... or from a post of the same city numbering in the same sequence.
    notes: list[str] = []
    shared = []
    for sibling in city_siblings(cid.origin):
        other = cid.with_origin(sibling)
        if not exists(lookup, other):
            continue
        if shares_serials(lookup, cid.origin, sibling):
            shared.append(other)
        else:
            notes.append(f"city_sibling_separate_serials:{other.canonical}")
    if len(shared) == 1:
        step = _Step("city_group", CITY_GROUP_CONFIDENCE, (f"city_group:{cid.origin}->{shared[0].origin}",))
        return _found(citing, _Reading(shared[0], steps + (step,), reading.year_free, True), lookup)
    if len(shared) > 1:
        candidates = tuple(
            Candidate(_target(lookup, other), CITY_GROUP_CONFIDENCE, f"city_group:{cid.origin}->{other.origin}")
            for other in shared
        )
        return Resolution(
            Status.AMBIGUOUS,
            method="city_group",
            confidence=0.0,
            resolved_id=cid.canonical,
            evidence=_evidence(steps),
            candidates=candidates,
            reason="ambiguous",
        )
    # A post renamed before the cited year can only be meant under its new name.
    for rename in stations().renamed(cid.origin):
        if cid.origin == rename.old and cid.year > rename.year:
            cid = cid.with_origin(rename.new)
            steps = steps + (_Step("post_alias", RENAME_CONFIDENCE, (f"post_rename:{rename.old}->{rename.new}",)),)
            break
    return _unresolved("not_in_catalogue", cid, steps, tuple(notes))


def _above_own_serial(citing: Citing, reading: _Reading) -> bool:
    """A year-less serial above the citing cable's own at its own post is last year's (the
    parser usually says so already): the citing-year cable must not be taken."""
    own, cid = citing.id, reading.cid
    return (
        reading.year_free
        and own is not None
        and (own.origin, own.year) == (cid.origin, cid.year)
        and cid.serial > own.serial
    )


def _found(citing: Citing, reading: _Reading, lookup: Lookup) -> Resolution:
    """The reading names a stored or catalogued cable: link it if plausible."""
    hits = lookup.stored(reading.cid)
    return _link(citing, reading, hits, lookup) if hits else _catalogued(citing, reading)


def _catalogued(citing: Citing, reading: _Reading) -> Resolution:
    """In the catalogue, not stored: nothing to link (the catalogue has no dates to check)."""
    return _unresolved("in_catalogue_not_loaded", reading.cid, reading.steps)


def _link(citing: Citing, reading: _Reading, hits: Sequence[StoredCable], lookup: Lookup) -> Resolution:
    """Link to a stored cable unless it is the citing cable itself or newer than it."""
    cid, steps = reading.cid, reading.steps
    key = cid.canonical
    first = hits[0]
    published = first.id.upper()
    if published == key:
        step = _EXACT
    elif len(hits) == 1:
        step = _Step("published_id", 1.0, (f"stored_as:{first.id}",))
    else:
        candidates = tuple(Candidate(h.id, 1.0, f"stored_as:{h.id}") for h in hits)
        return Resolution(
            Status.AMBIGUOUS,
            method="published_id",
            confidence=0.0,
            resolved_id=key,
            evidence=_evidence(steps) + ("several_stored_cables",),
            candidates=candidates,
            reason="ambiguous",
        )
    steps = steps + (step,)

    if published == citing.published_id.upper() or cid == citing.id:
        return _unresolved("self_citation", cid, steps, ("self_citation",))
    late = _newer_than_citing(citing, first)
    if late:
        if reading.year_free:
            prior = year_before(cid)
            if prior is not None and exists(lookup, prior):
                step = _Step("year_inferred", YEAR_CONFIDENCE, ("year_inferred_from_date", late))
                return _found(citing, _Reading(prior, reading.steps + (step,), False, True), lookup)
        return _unresolved("contradiction_date", cid, steps, (late,))
    if step is _EXACT and len(steps) == 1:  # no repair: skip the bookkeeping
        return Resolution(Status.RESOLVED, method="exact", confidence=1.0, target_id=first.id, resolved_id=key)
    return _resolved(first, cid, steps)


def _newer_than_citing(citing: Citing, target: StoredCable) -> str | None:
    # Compared by day: dates come from different clocks (DTG, release metadata).  Serial
    # order is not used for an explicit year: in February 2010 several posts cite
    # higher serials of their own from January (the numbering restarted).
    if citing.date is not None and target.date is not None and target.date.date() > citing.date.date():
        return f"cited_after_citing:{target.id}:{target.date.date().isoformat()}"
    return None


# --- DTG-only messages ------------------------------------------------------------------


def _resolve_dtg(citing: Citing, sender: str | None, text: str | None, lookup: Lookup) -> Resolution:
    dtg = normalise_dtg(text) if text else None
    if dtg is None or not sender:
        missing = "no_dtg" if dtg is None else "no_dtg_sender"
        return Resolution(Status.UNRESOLVED, evidence=(missing,), reason="malformed")
    match = match_post(sender, _known_posts(lookup.origins()))
    if match is None or match.ambiguous:
        code = f"dtg_sender_unknown:{normalise_origin(sender)}"
        return Resolution(Status.UNRESOLVED, evidence=(code, f"dtg:{dtg}"), reason="not_in_catalogue")
    origin = match.candidates[0][0]
    evidence = match.evidence + (f"dtg:{origin}:{dtg}",)
    hits = lookup.by_dtg(origin, dtg)
    if not hits:
        return Resolution(Status.UNRESOLVED, evidence=evidence, reason="not_stored")
    if len(hits) > 1:
        candidates = tuple(Candidate(h.id, DTG_CONFIDENCE, f"dtg:{origin}:{dtg}") for h in hits)
        return Resolution(
            Status.AMBIGUOUS, method="dtg", evidence=evidence, candidates=candidates, reason="ambiguous"
        )
    hit = hits[0]
    real = hit.real or CableId.try_parse(hit.id)
    resolved_id = real.canonical if real is not None else None
    confidence = round(DTG_CONFIDENCE * match.confidence, 3)
    if hit.id.upper() == citing.published_id.upper():
        return Resolution(
            Status.UNRESOLVED, method="dtg", confidence=confidence, resolved_id=resolved_id,
            evidence=evidence + ("self_citation",), reason="self_citation",
        )  # fmt: skip
    late = _newer_than_citing(citing, hit)
    if late:
        return Resolution(
            Status.UNRESOLVED, method="dtg", confidence=confidence, resolved_id=resolved_id,
            evidence=evidence + (late,), reason="contradiction_date",
        )  # fmt: skip
    return Resolution(
        Status.RESOLVED, method="dtg", confidence=confidence, target_id=hit.id, resolved_id=resolved_id,
        evidence=evidence,
    )  # fmt: skip


# --- outcomes ---------------------------------------------------------------------------


def _evidence(steps: Sequence[_Step]) -> tuple[str, ...]:
    return tuple(code for step in steps for code in step.evidence)


def _method(steps: Sequence[_Step]) -> tuple[str | None, float]:
    """The least certain step decided; the confidence is the product."""
    if not steps:
        return None, 1.0
    confidence = 1.0
    for step in steps:
        confidence *= step.confidence
    weakest = min(steps, key=lambda s: s.confidence)  # first of equals: the earlier step
    return weakest.method, round(confidence, 3)


def _resolved(target: StoredCable, cid: CableId, steps: tuple[_Step, ...]) -> Resolution:
    method, confidence = _method(steps)
    return Resolution(
        Status.RESOLVED,
        method=method,
        confidence=confidence,
        target_id=target.id,
        resolved_id=cid.canonical,
        evidence=_evidence(steps),
    )


def _unresolved(reason: str, cid: CableId, steps: tuple[_Step, ...], extra: tuple[str, ...] = ()) -> Resolution:
    shown = tuple(s for s in steps if s.method not in ("exact", "unknown_post"))
    method, confidence = _method(shown)
    return Resolution(
        Status.UNRESOLVED,
        method=method,
        confidence=confidence,
        resolved_id=cid.canonical,
        evidence=_evidence(steps) + extra,
        reason=reason,
    )


def _target(lookup: Lookup, cid: CableId) -> str:
    hits = lookup.stored(cid)
    return hits[0].id if hits else cid.canonical
