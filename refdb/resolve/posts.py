"""Which post a written post name stands for: exact, alias, routing indicator, repaired, fuzzy.

Only the post component of a reference is ever matched approximately: ``08TOKYO1002``
and ``08TOKYO1003`` are 91% similar and different cables, so year and serial are
compared exactly elsewhere.  The steps, in order (first that decides wins):

1. ``exact``: the name, normalised (upper case, no spaces), is a known post.
2. ``post_alias``: a well-known writer form (``SECSTATE`` -> STATE, ``AMEMBASSY TOKYO``).
3. ``routing_indicator``: ``RUEHKO`` -> TOKYO, from the routing indicator list.
4. ``repair_o0``: the digit 0 typed or read for the letter O (``T0KYO``).
5. ``repair_split``: a name cut by a line break or glued to its office word: the
   fragment (four letters at least) starts or ends the names of exactly one known post,
   counting the alias list's writer forms (``KUALA LUMP``, ``JOSE``, ``SECSTA`` for
   SECSTATE, ``AMEMBASSYTOKYO``).  When the fragment is also a close fuzzy match of
   another post (``NAIRO``: NAIROBI cut short, or CAIRO mistyped; ``PRIS``: PRISTINA or
   PARIS) the readings are reported together as ambiguous.
6. ``fuzzy_post``: the normalised name (four letters at least) is compared with every
   known post and every writer form of the alias list (``SECSTAET`` -> SECSTATE ->
   STATE), best score per post.  Scorer: rapidfuzz ``OSA.normalized_similarity`` x 100,
   i.e. 100 x (1 - edits / length of the longer name), where an edit is one letter
   deleted, inserted, replaced, or two neighbours swapped: the four typos drafters make.
   The best post must score at least :data:`FUZZY_MIN_SCORE` and beat the runner-up by
   :data:`FUZZY_MARGIN`, else every post within the margin is returned and the caller
   reports ``ambiguous``.

Results are cached per (written name, set of known posts): a full resolve pass sees a
few thousand distinct spellings among ~600k references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from refdb.ids import normalise_origin
from refdb.stations import stations

__all__ = ["FUZZY_MARGIN", "FUZZY_MIN_SCORE", "PostMatch", "match_post"]

# 80 accepts one typo in a five-letter post (TOKIO -> TOKYO), two in a ten-letter one,
# and none in a four-letter post (ROEM -> ROME scores 75), where one typo as often
# lands next to another post (TOME: ROME or LOME).  Checked with
# benchmarks/resolver_precision.py.
FUZZY_MIN_SCORE = 80.0
# ANAMA is one edit from MANAMA and from PANAMA: a near tie is ambiguous, never a guess.
# Eight points is one edit in a post of up to twelve letters.
FUZZY_MARGIN = 8.0
# Fuzzy matching needs this many letters: shorter strings are one edit from many posts.
MIN_FUZZY = 4
# A fragment shorter than this (SAN, PORT) starts too many names to stand for one.
MIN_FRAGMENT = 4

_RI = re.compile(r"^R[A-Z]{3,6}$")
_GLUED_OFFICE = ("AMEMBASSY", "AMCONSUL", "USMISSION", "EMBASSY", "CONSULATE")

# Confidence of each step when it decides (fuzzy scales with its score).
CONFIDENCE = {
    "exact": 1.0,
    "post_alias": 0.99,
    "routing_indicator": 0.97,
    "repair_o0": 0.95,
    "repair_split": 0.9,
}


@dataclass(frozen=True, slots=True)
class PostMatch:
    """The post(s) a written name stands for, with the step that decided.

    One candidate: decided.  Several: a fuzzy near tie, best first (``ambiguous``).
    """

    candidates: tuple[tuple[str, float], ...]  # (origin, score 0-100), best first
    method: str
    confidence: float
    evidence: tuple[str, ...] = ()

    @property
    def origin(self) -> str | None:
        return self.candidates[0][0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _decided(origin: str, method: str, evidence: tuple[str, ...] = ()) -> PostMatch:
    return PostMatch(((origin, 100.0),), method, CONFIDENCE[method], evidence)


@lru_cache(maxsize=8)
def _choices(origins: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names to compare with, the post each stands for): the posts themselves and the
    writer forms of the alias list (``SECSTAET`` is a typo of SECSTATE, not of STATE).

    Sorted so that equal fuzzy scores come out in one order whatever the set's order.
    """
    names = {o: o for o in origins}
    for form, origin in stations().aliases.items():
        if len(form) >= MIN_FUZZY:
            names.setdefault(form, origin)
    ordered = sorted(names)
    return tuple(ordered), tuple(names[n] for n in ordered)


def _exact_or_alias(key: str, written: str, origins: frozenset[str]) -> str | None:
    if key in origins:
        return key
    return stations().alias(written)


@lru_cache(maxsize=1 << 16)
def match_post(written: str, origins: frozenset[str]) -> PostMatch | None:
    """Match a written post name against ``origins``; None when nothing is close enough.

    ``origins`` should be the same frozenset object on every call (``Lookup.origins()``
    returns a cached one), which keeps the cache key cheap to hash.
    """
    key = normalise_origin(written)
    if not key:
        return None
    if key in origins:
        return _decided(key, "exact")
    st = stations()
    alias = st.alias(written)
    if alias is not None:
        return _decided(alias, "post_alias", (f"post_alias:{key}->{alias}",))
    if _RI.match(key):
        ri_origin = st.origin_for_ri(key)
        if ri_origin is not None:
            return _decided(ri_origin, "routing_indicator", (f"routing_indicator:{key}->{ri_origin}",))
    letters = key.replace("0", "O")
    if letters != key:
        fixed = _exact_or_alias(letters, letters, origins)
        if fixed is not None:
            return _decided(fixed, "repair_o0", (f"repair_o0:{key}->{fixed}",))
    split = _split_repair(letters, origins)
    fuzzy = _fuzzy(letters, origins)
    if split is None:
        return fuzzy
    rivals = tuple(c for c in (fuzzy.candidates if fuzzy else ()) if c[0] != split)
    if not rivals:
        return _decided(split, "repair_split", (f"repair_split:{key}->{split}",))
    # A fragment of one post and a typo of another: both readings are as likely.
    split_score = round(100.0 * OSA.normalized_similarity(letters, split), 1)
    candidates = tuple(sorted(((split, split_score),) + rivals, key=lambda cs: (-cs[1], cs[0])))
    listed = ",".join(f"{o}:{round(s)}" for o, s in candidates)
    return PostMatch(candidates, "fuzzy_post", 0.0, (f"split_or_typo_ambiguous:{key}:{listed}",))


def _split_repair(key: str, origins: frozenset[str]) -> str | None:
    for office in _GLUED_OFFICE:
        if key.startswith(office) and key[len(office) :] in origins:
            return key[len(office) :]
    if len(key) < MIN_FRAGMENT or not key.isalpha():
        return None
    names, posts = _choices(origins)
    hits = {
        post
        for name, post in zip(names, posts)
        if len(name) > len(key) and (name.startswith(key) or name.endswith(key))
    }
    return hits.pop() if len(hits) == 1 else None


def _fuzzy(key: str, origins: frozenset[str]) -> PostMatch | None:
    if not key.isalpha() or len(key) < MIN_FUZZY:
        return None
    names, posts = _choices(origins)
    # rapidfuzz turns a normalised cutoff into an edit count with float rounding (1 - 1/5
    # misses a cutoff of 0.8): pre-filter loosely, then apply the minimum here.
    found = process.extract(
        key, names, scorer=OSA.normalized_similarity, processor=None, limit=8, score_cutoff=FUZZY_MIN_SCORE / 100 - 0.05
    )
    best_per_post: dict[str, float] = {}
    for _name, similarity, index in found:
        score = round(100.0 * similarity, 1)
        if score >= FUZZY_MIN_SCORE:
            post = posts[index]
            best_per_post[post] = max(best_per_post.get(post, 0.0), score)
    if not best_per_post:
        return None
    ranked = sorted(best_per_post.items(), key=lambda cs: (-cs[1], cs[0]))
    best = ranked[0][1]
    close = tuple((o, s) for o, s in ranked if best - s < FUZZY_MARGIN)
    if len(close) > 1:
        listed = ",".join(f"{o}:{round(s)}" for o, s in close)
        return PostMatch(close, "fuzzy_post", 0.0, (f"fuzzy_post_ambiguous:{key}:{listed}",))
    origin = close[0][0]
    # 80 -> 0.5, 90 -> 0.725, 100 -> 0.95: a fuzzy link is never as sure as a repair.
    confidence = round(0.5 + 0.45 * (best - FUZZY_MIN_SCORE) / (100.0 - FUZZY_MIN_SCORE), 3)
    return PostMatch(((origin, best),), "fuzzy_post", confidence, (f"fuzzy_post:{origin}:{round(best)}",))
