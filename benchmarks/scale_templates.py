"""Body templates for the scale generator: real cable texts from ``shared/corpus`` with
their own ID and their REF block cut out, so that a generated cable can take any ID
and any REF block.

A template is a list of segments: literal text, the cable's own printed ID (banner,
page-break headers; kept with its zero padding) and one place for the REF block.
Templates whose REF block cannot be cut out cleanly (a ``REF:`` keyword would remain)
or whose banner does not carry the ID are left out: a generated cable must contain no
REF item the ground truth does not know about.

Run ``python benchmarks/scale_templates.py`` to print pool statistics.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import io
import pickle
import re
import sys
from dataclasses import astuple, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference"
CACHE_DIR = ROOT / "benchmarks" / "out"
POOL_VERSION = 5  # bump when extraction changes: the cache key includes it

# Placeholders inside a template body.
OWN = "\x00OWN{}\x00"  # own printed ID, {} = zero-padding width of the serial
REF = "\x00REF\x00"

_PRE = re.compile(r"<code><pre>(.*?)</pre></code>", re.S)
_META_TD = re.compile(r"<td>\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</td>", re.S)
_PARA_ANCHOR = re.compile(r"<a [^>]*>\s*¶\s*</a>")
_TAG = re.compile(r"<[^>]+>")
# As broad as refdb's own REF keyword (REF:, REFS:, REF(S):, REFTEL:, REFERENCE(S):, REFREF:).
_REF_KEYWORD = re.compile(
    r"(?i)(?<![A-Za-z])(?:REF)?(?:REF(?:S|\(S\)|TELS?|TEL\(S\))?|REFERENCES?|REFERENCE\(S\))[ \t]*:"
)
_REF_END = re.compile(
    r"\n[ \t]*\n"  # blank line
    r"|(?i:classified\s+by)"
    r"|\n[ \t]*1\s*\.\s"  # first numbered paragraph
    r"|\n[ \t]*\((?:U|C|S|SBU|U//FOUO)\)\s"
    r"|\n[ \t]*(?:SUMMARY|BEGIN SUMMARY)\b"
)
# A lettered REF item line ("B. MOSCOW 1234", "(C) 07 STATE 5"): one right after a cut
# block means the block went on past a blank line.
_LETTERED_ITEM = re.compile(r"(?m)^[ \t]*\(?[A-Z][.)]\)?[ \t]+[^\n]*\d")
_SUBJECT = re.compile(r"(?im)^[ \t]*SUBJ(?:ECT)?\s*:")


@dataclass(frozen=True, slots=True)
class Template:
    source_id: str
    classification: str
    origin_name: str  # "Embassy Tokyo" as the corpus metadata names the post
    header: str  # the routing header block (may be empty)
    segments: tuple[str, ...]  # body: literal text with OWN{width} / REF placeholders
    had_ref: bool

    @property
    def size(self) -> int:
        return sum(len(s) for s in self.segments if not s.startswith("\x00"))


def _decode_pre(fragment: str) -> str:
    text = _PARA_ANCHOR.sub("", fragment)
    text = _TAG.sub("", text)
    return html.unescape(text.replace("&#x000A;", "\n"))


def _read_viewer(path: Path) -> tuple[str, str, str, str] | None:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    page = raw.decode("utf-8", "replace")
    pres = _PRE.findall(page)
    if len(pres) < 2:
        return None
    table = page[page.find("<table class='cable'>") :]
    cells = [html.unescape(_TAG.sub("", c)).strip() for c in _META_TD.findall(table[: table.find("</table>")])]
    classification = cells[3] if len(cells) >= 5 else "UNCLASSIFIED"
    origin_name = cells[4] if len(cells) >= 5 else ""
    return _decode_pre(pres[0]), _decode_pre(pres[1]), classification, origin_name


def _read_cables_csv_rows(path: Path):  # type: ignore[no-untyped-def]
    text = path.read_text("utf-8", "replace")
    if text.startswith('"\n'):
        text = text[2:]  # the stray quote line at the top of the WikiLeaks split file
    for row in csv.reader(io.StringIO(text), escapechar="\\", doublequote=False):
        if len(row) == 8:
            yield row


def own_id_pattern(origin: str, serial: int) -> re.Pattern[str]:
    """The printed form of a cable's own ID: origin letters (spaces allowed between
    them, ``SAO PAULO``), spaces, the serial with any zero padding."""
    letters = r"[ \t]?".join(re.escape(ch) for ch in origin)
    return re.compile(rf"(?<![A-Z0-9]){letters}[ \t]+(0*{serial})(?![0-9])")


def make_template(
    source_id: str, origin: str, serial: int, header: str, body: str, classification: str, origin_name: str
) -> Template | None:
    """Cut the REF block out of ``body`` and mark the own ID; None if that is not clean."""
    body = body.replace("\r\n", "\n").replace("\x00", "")
    if "\\" in body:
        return None  # cables.csv escapes only quotes: keep backslashes out of the way
    had_ref = False
    m = _REF_KEYWORD.search(body)
    if m:
        had_ref = True
        end = _REF_END.search(body, m.end())
        stop = end.start() if end else len(body)
        if stop - m.start() > 1500:
            return None
        if _LETTERED_ITEM.search(body[stop : stop + 600]):
            return None  # the block goes on after a blank line: items would be left behind
        body = body[: m.start()] + REF + body[stop:]
    else:
        s = _SUBJECT.search(body)
        if not s:
            return None
        blank = re.compile(r"\n[ \t]*\n").search(body, s.end())
        if not blank:
            return None
        body = body[: blank.start()] + "\n" + REF + body[blank.start() :]
    if _REF_KEYWORD.search(body):
        return None
    pattern = own_id_pattern(origin, serial)
    first = pattern.search(body)
    if not first or first.start() > 400:
        return None
    body = pattern.sub(lambda mm: OWN.format(len(mm.group(1))), body)
    segments = tuple(s for s in re.split(r"(\x00[A-Z]+\d*\x00)", body) if s)
    if segments.count(REF) != 1:
        return None
    return Template(source_id, classification or "UNCLASSIFIED", origin_name, header.strip("\n"), segments, had_ref)


def _corpus_key(corpus: Path) -> str:
    manifest = corpus / "manifest.csv"
    h = hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]
    return f"v{POOL_VERSION}-{h}"


def build_pool(corpus: Path = DEFAULT_CORPUS, origins: frozenset[str] = frozenset()) -> list[Template]:
    """Every usable template, in manifest order (deterministic)."""
    from refdb.ids import repair_published

    pool: list[Template] = []
    seen: set[str] = set()
    with open(corpus / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    csv_files: set[str] = set()
    for r in rows:
        if r["format"].startswith("cables.csv"):
            csv_files.add(r["stored_as"])
            continue
        if r["format"] != "cable-viewer HTML":
            continue
        cid, _how = repair_published(r["refid"], origins)
        if cid is None or r["refid"] in seen:
            continue
        got = _read_viewer(corpus / r["stored_as"])
        if got is None:
            continue
        header, body, classification, origin_name = got
        t = make_template(r["refid"], cid.origin, cid.serial, header, body, classification, origin_name)
        if t is not None:
            pool.append(t)
            seen.add(r["refid"])
    for rel in sorted(csv_files):
        for row in _read_cables_csv_rows(corpus / rel):
            refid = row[2]
            cid, _how = repair_published(refid, origins)
            if cid is None or refid in seen:
                continue
            t = make_template(refid, cid.origin, cid.serial, row[6], row[7], row[4], row[3])
            if t is not None:
                pool.append(t)
                seen.add(refid)
    return pool


def load_pool(corpus: Path = DEFAULT_CORPUS, origins: frozenset[str] = frozenset(), cache: bool = True) -> list[Template]:
    """The template pool, cached under benchmarks/out/ (keyed by the corpus manifest)."""
    key = _corpus_key(corpus) + "-" + hashlib.sha256("\n".join(sorted(origins)).encode()).hexdigest()[:8]
    path = CACHE_DIR / f"templates-{key}.pickle"
    if cache and path.exists():
        with open(path, "rb") as f:
            return [Template(*fields) for fields in pickle.load(f)]
    pool = build_pool(corpus, origins)
    if cache:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as f:
            # plain tuples: the pickle must not depend on the module's import name
            pickle.dump([astuple(t) for t in pool], f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    return pool


def real_origins(reference: Path = DEFAULT_REFERENCE) -> frozenset[str]:
    with open(reference / "cablegate_origins.csv", newline="") as f:
        return frozenset(r["origin"] for r in csv.DictReader(f) if r["only_in_garbled_ids"] == "no")


if __name__ == "__main__":
    import statistics

    pool = load_pool(origins=real_origins(), cache="--no-cache" not in sys.argv)
    sizes = [t.size for t in pool]
    print(f"{len(pool)} templates; {sum(t.had_ref for t in pool)} had a REF block")
    print(f"body size mean {statistics.mean(sizes):.0f}, median {statistics.median(sizes):.0f}, max {max(sizes)}")
    print(f"header size mean {statistics.mean(len(t.header) for t in pool):.0f}")
