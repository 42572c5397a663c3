"""Building ParsedCable values by hand for storage and service tests (the parser has
its own tests on real text; these tests are about what happens after parsing)."""

from __future__ import annotations

from datetime import datetime

from refdb.ids import CableId
from refdb.model import Mention, ParsedCable, RefItem, RefKind, YearSource


def ref(ordinal: int, letter: str | None, cited: str | None, raw: str | None = None, **kw) -> RefItem:
    cid = CableId.parse(cited) if cited else None
    return RefItem(
        ordinal=ordinal,
        letter=letter,
        raw=raw or (f"{cid.yy} {cid.origin} {cid.serial}" if cid else "HANKINS JUNE 18 E-MAIL"),
        kind=kw.pop("kind", RefKind.CABLE if cid else RefKind.EMAIL),
        cited=cid,
        origin_written=cid.origin if cid else None,
        serial=cid.serial if cid else None,
        year=cid.year if cid else None,
        year_source=YearSource.EXPLICIT if cid else None,
        **kw,
    )


def cable(
    published: str,
    date: str,
    refs: tuple[RefItem, ...] = (),
    *,
    text: str | None = None,
    real: str | None = None,
    subject: str = "TEST SUBJECT",
    mentions: tuple[Mention, ...] | None = None,
) -> ParsedCable:
    cid = CableId.parse(real or published)
    body = text if text is not None else f"{cid.display}\nSUBJECT: {subject}\n" + "".join(
        f"{r.letter or ''}. {r.raw}\n" for r in refs
    ) + "1. (C) See (REF A)."
    if mentions is None:
        start = body.find("(REF A)")
        mentions = (
            (Mention("(REF A)", start, start + 7, 1, "A", refs[0].ordinal, "letter"),)
            if refs and refs[0].letter == "A" and start >= 0
            else ()
        )
    return ParsedCable(
        id=cid,
        published_id=published,
        id_source="metadata",
        format="telegram",
        source="test",
        locator="",
        text=body,
        date=datetime.fromisoformat(date),
        origin=cid.origin,
        classification="CONFIDENTIAL",
        subject=subject,
        tags=("PREL",),
        refs=refs,
        mentions=mentions,
    )
