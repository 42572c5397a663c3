"""Synthetic cables for the robustness tests: a connected set of cables citing each
other (and cables outside the set, and non-cables), generated from a seed.

Each cable exists in two shapes: as telegram text (what ``refdb ingest`` reads, written
in the shape of the real seed cable 08TOKYO1002) and as a ``ParsedCable`` (for tests
that go straight to ``ingest_parsed``).  Nothing big is committed: files are written
into the test's tmp_path.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from refdb.ids import CableId
from refdb.model import Mention, ParsedCable, RefItem, RefKind, YearSource

# Posts with their routing indicators (as in ../shared/reference/routing_indicators.csv).
POSTS = {"TOKYO": "RUEHKO", "MOSCOW": "RUEHMO", "BEIJING": "RUEHBJ", "SEOUL": "RUEHUL", "PARIS": "RUEHFR"}
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
NON_CABLES = ("HANKINS JUNE 18 E-MAIL", "IIR 6 809 0120 09", "DEMARCHE TELCON OF MARCH 3")


@dataclass(frozen=True)
class Item:
    letter: str
    cited: CableId | None  # None: a non-cable item
    raw: str


@dataclass(frozen=True)
class Spec:
    id: CableId
    date: datetime
    subject: str
    items: tuple[Item, ...]
    paragraphs: tuple[str, ...]

    # --- as telegram text ------------------------------------------------------------

    def telegram(self) -> str:
        c = self.id
        dtg = f"{self.date:%d%H%M}Z {MONTHS[self.date.month - 1]} {self.date:%y}"
        jday = self.date.timetuple().tm_yday
        ref_lines = []
        for i, item in enumerate(self.items):
            lead = "REF: " if i == 0 else "     "
            ref_lines.append(f"{lead}{item.letter}. {item.raw}")
        body = "\n\n".join(f"{n}. (C) {p}" for n, p in enumerate(self.paragraphs, start=1))
        return (
            f"VZCZCXRO{c.serial % 10000:04d}\n"
            f"OO RUEHC\n"
            f"DE {POSTS[c.origin]} #{c.serial % 10000:04d}/01 {jday:03d}{self.date:%H%M}\n"
            f"ZNY CCCCC ZZH\n"
            f"O {dtg}\n"
            f"FM AMEMBASSY {c.origin}\n"
            f"TO RUEHC/SECSTATE WASHDC IMMEDIATE {c.serial % 9000 + 100}\n"
            f"BT\n"
            f"C O N F I D E N T I A L {c.display}\n\n"
            f"SIPDIS\n\n"
            f"E.O. 12958: DECL: {self.date:%m/%d}/{self.date.year + 10}\n"
            f"TAGS: PREL PGOV\n"
            f"SUBJECT: {self.subject}\n\n"
            + ("\n".join(ref_lines) + "\n\n" if ref_lines else "")
            + "Classified By: Ambassador J. Doe for reasons 1.4 (b) and (d)\n\n"
            + body
            + "\n\nDOE\n"
        )

    def filename(self) -> str:
        return f"{self.id.canonical}.txt"

    # --- as what the parser would read -------------------------------------------------

    def parsed(self, source: str = "synthetic") -> ParsedCable:
        text = self.telegram()
        refs = tuple(
            RefItem(
                ordinal=i,
                letter=item.letter,
                raw=item.raw,
                kind=RefKind.CABLE if item.cited else RefKind.EMAIL,
                cited=item.cited,
                origin_written=item.cited.origin if item.cited else None,
                serial=item.cited.serial if item.cited else None,
                year=item.cited.year if item.cited else None,
                year_source=YearSource.EXPLICIT if item.cited else None,
            )
            for i, item in enumerate(self.items)
        )
        mentions = []
        ordinal_of = {item.letter: i for i, item in enumerate(self.items)}
        for letter in "ABCDEFGHZ":
            needle = f"(REF {letter})"
            start = text.find(needle)
            while start >= 0:
                mentions.append(
                    Mention(needle, start, start + len(needle), None, letter, ordinal_of.get(letter), "letter")
                )
                start = text.find(needle, start + 1)
        mentions.sort(key=lambda m: (m.start, m.letter))
        return ParsedCable(
            id=self.id,
            published_id=self.id.canonical,
            id_source="banner",
            format="telegram",
            source=f"{source}/{self.filename()}",
            locator="",
            text=text,
            date=self.date,
            dtg=f"{self.date:%d%H%M}Z {MONTHS[self.date.month - 1]} {self.date:%y}",
            origin=self.id.origin,
            origin_name=f"AMEMBASSY {self.id.origin}",
            classification="CONFIDENTIAL",
            tags=("PREL", "PGOV"),
            subject=self.subject,
            refs=refs,
            mentions=tuple(mentions),
        )


def corpus(n: int, seed: int = 7, *, outside: float = 0.3) -> list[Spec]:
    """``n`` cables in date order; each cites up to four earlier ones (a share ``outside``
    of the citations name cables not in the set), sometimes a non-cable item, and its
    body mentions the items as ``(REF A)``, plus one ``(REF Z)`` with no item."""
    rng = random.Random(seed)
    start = datetime(2007, 10, 8, 9, 0)
    serial = {p: rng.randint(100, 900) for p in POSTS}
    specs: list[Spec] = []
    for k in range(n):
        post = rng.choice(sorted(POSTS))
        serial[post] += rng.randint(1, 40)
        date = start + timedelta(hours=13 * k + rng.randint(0, 11), minutes=rng.randint(0, 59))
        cid = CableId(date.year, post, serial[post])
        items: list[Item] = []
        for _ in range(rng.choice((0, 1, 2, 2, 3, 4))):
            letter = "ABCDEFGH"[len(items)]
            if specs and rng.random() > outside:
                cited = rng.choice(specs[-60:]).id
            else:
                cited = CableId(rng.choice((2006, 2007)), rng.choice(sorted(POSTS)), rng.randint(1, 99999))
            if cited in {i.cited for i in items} or cited == cid:
                continue
            raw = f"{cited.yy} {cited.origin} {cited.serial}" if cited.year != date.year else f"{cited.origin} {cited.serial}"
            items.append(Item(letter, cited, raw))
        if rng.random() < 0.2:
            items.append(Item("ABCDEFGH"[len(items)], None, rng.choice(NON_CABLES)))
        mentions = " ".join(f"As reported (REF {i.letter}), talks continued." for i in items)
        paragraphs = (
            f"Summary. Officials met on {date:%B %d} to discuss item {k}. {mentions} End Summary.",
            "The embassy will follow up (REF Z) with the ministry next week.",
            "Comment. " + " ".join(rng.choice(("Progress", "Delay", "Agreement", "Concern")) for _ in range(12)) + ".",
        )
        specs.append(Spec(cid, date, f"SYNTHETIC CABLE {k}: {post} TALKS", tuple(items), paragraphs))
    return specs


def write_telegrams(specs: list[Spec], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for s in specs:
        p = folder / s.filename()
        p.write_text(s.telegram(), encoding="utf-8")
        paths.append(p)
    return paths
