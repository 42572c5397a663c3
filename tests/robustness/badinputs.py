"""Bad inputs for the end-to-end tests, generated at test time (nothing big is committed).

Each case is a file name, a function that writes its bytes, and what refdb must do with
it: ``refuse`` it in one ``Error: <file>[:<record>]: <reason>`` line, or ``read`` it as
well as it can (the cables named are stored; the other records of a multi-cable file
refused one line each).
"""

from __future__ import annotations

import codecs
import gzip
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from refdb.ids import CableId

from .synthetic import Item, Spec


@dataclass(frozen=True)
class Case:
    id: str
    name: str  # file name
    make: Callable[[], bytes]
    stored: tuple[str, ...] = ()  # cable IDs that must be stored from it
    errors: tuple[tuple[str, str], ...] = ()  # (locator or "", words of the reason) per Error line
    big: bool = False  # slow to build or ingest: run in its own test


def telegram(cid: str, *, refs: tuple[str, ...] = (), body: str = "", subject: str = "TEST") -> str:
    c = CableId.parse(cid)
    items = tuple(Item("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 26], CableId.parse(r), f"{CableId.parse(r).origin} {CableId.parse(r).serial}")
                  for i, r in enumerate(refs))
    spec = Spec(c, datetime(c.year, 4, 11, 6, 26), subject, items, (body or "Talks continued (REF A).",))
    return spec.telegram()


# --- generators -----------------------------------------------------------------------------


def _binary() -> bytes:
    return random.Random(1).randbytes(6000)


def _viewer_html(refid: str, text: str) -> str:
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "&#x000A;")
    return (
        f"<html><body><h3>Viewing cable {refid}, TEST</h3><table class='cable'><tr><th>Reference ID</th>"
        "<th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr>"
        f"<tr><td><a href='/cable/2008/04/{refid}.html'>{refid}</a></td><td><a>2008-04-11 06:26</a></td>"
        "<td><a>2010-11-28 18:06</a></td><td><a>CONFIDENTIAL</a></td><td><a>Embassy Tokyo</a></td></tr></table>"
        f"<code><pre>{body}</pre></code></body></html>"
    )


def _truncated_html() -> bytes:
    page = _viewer_html("08TOKYO2001", telegram("08TOKYO2001", refs=("08TOKYO2002",), body="Long talks (REF A). " * 50))
    return page.encode()[: int(len(page) * 0.7)]  # cut inside the body's <pre>


def _csv_row(n: int, refid: str, text: str) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{n}","4/11/2008 6:26","{refid}","Embassy Tokyo","CONFIDENTIAL","","header","{esc}"\n'


def _truncated_csv() -> bytes:
    rows = [_csv_row(i + 1, f"08TOKYO{3001 + i}", telegram(f"08TOKYO{3001 + i}")) for i in range(3)]
    data = "".join(rows).encode()
    return data[: len(data) - len(rows[-1]) // 2]  # the last row cut inside its content


def _csv_wrong_columns() -> bytes:
    rows = [
        _csv_row(1, "08TOKYO3101", telegram("08TOKYO3101")),
        '"2","4/11/2008 6:26","08TOKYO3102","Embassy Tokyo","CONFIDENTIAL"\n',  # 5 columns, not 8
        _csv_row(3, "08TOKYO3103", telegram("08TOKYO3103")),
    ]
    return "".join(rows).encode()


def _mongo_line(refid: str, text: str) -> str:
    import json

    return json.dumps({"_id": refid, "origin": "Embassy Tokyo", "date_time": "2008-04-11 06:26",
                       "classification": "CONFIDENTIAL", "body": text}) + "\n"


def _json_not_json() -> bytes:
    return (
        _mongo_line("08TOKYO3201", telegram("08TOKYO3201"))
        + 'this line is not JSON at all ]]]\n'
        + _mongo_line("08TOKYO3203", telegram("08TOKYO3203"))
        + '{ "_id" : "08TOKYO3204", "origin" : "Embassy Tokyo", "body" : "cut off here\n'
        + _mongo_line("08TOKYO3205", telegram("08TOKYO3205"))
    ).encode()


def _mongo_glued_lines() -> bytes:
    """A record as in the first mongo export of the release (corpus: None-later
    wikileaks-11-28-10.json): the body's line breaks lost, header fields glued together."""
    body = (
        "C O N F I D E N T I A L SECTION 01 OF 03 ANKARA 001730SIPDISE.O. 12958: DECL: 03/19/2015TAGS: "
        "PREL PGOV PINS MARR TUSUBJECT: TURKEY ADRIFTREF: A. ANKARA 1074\u00b6B. ANKARA 1231 (U) Classified by "
        "CDA Robert Deutsch; E.O. 12958, reasons 1.4 (b) and (d).\u00b61. (C) Summary: Turkey is stuck (REF A)."
    )
    return (
        '{ "_id" : "05ANKARA1730", "origin" : "Embassy Ankara", "date_time" : "2005-03-25 09:09", '
        f'"classification" : "CONFIDENTIAL", "body" : "{body}" }}\n'
    ).encode()


def _html_id_too_long() -> bytes:
    """A cable-viewer page whose Reference ID cell holds 123 characters: no cable ID is
    that long (the key column holds 80)."""
    return _viewer_html("08" + "X" * 120 + "1", telegram("08TOKYO5001")).encode()


def _latin1() -> bytes:
    return telegram("08TOKYO3301", body="¶1. (C) The minister's café meeting (REF A).", refs=("08TOKYO3302",)).encode("latin-1")


def _cp1252() -> bytes:
    return telegram("08TOKYO3401", body="\u201cQuoted\u201d \u2013 talks (REF A).", refs=("08TOKYO3402",)).encode("cp1252")


def _utf16() -> bytes:
    return codecs.BOM_UTF16_LE + telegram("08TOKYO3501", body="Gr\u00fc\u00dfe (REF A).", refs=("08TOKYO3502",)).encode("utf-16-le")


def _deep_html() -> bytes:
    depth = 200_000
    inner = _viewer_html("08TOKYO3601", telegram("08TOKYO3601"))
    return ("<div>" * depth + inner + "</div>" * depth).encode()


def _malformed_html() -> bytes:
    page = _viewer_html("08TOKYO3701", telegram("08TOKYO3701", refs=("08TOKYO3702",)))
    page = page.replace("</td>", "<td <<>>", 3).replace("</table>", "</pre></code></table><pre><b><i>")
    return (page + "</html></html><!-- unclosed comment <![CDATA[ &#xFFFFFFFF; &#0; &bogus;").encode()


def _ref_block_10000() -> bytes:
    refs = tuple(f"08TOKYO{n}" for n in range(1, 10_001))
    return telegram("08TOKYO20000", refs=refs, body="See (REF A) and reftels.").encode()


def _pathological() -> bytes:
    """Text aimed at the mention and REF regexes: long runs that a backtracking pattern
    would try in exponentially many ways."""
    body = "\n".join(
        [
            "REFS " + "A, " * 30_000 + "!",
            "(REF " + " " * 50_000 + "A",
            "ref" * 50_000,
            "REF A AND " * 20_000,
            "REFS A-" + "-" * 50_000,
            "1. " * 30_000,
            ("reftel(s) " * 10_000) + "para " + "1, " * 10_000,
            "\\" * 50_000,
            "REF: " + "A. TOKYO " * 20_000,
        ]
    )
    return telegram("08TOKYO3801", refs=("08TOKYO3802",), body=body).encode()


def _long_line() -> bytes:
    line = ("The talks went on " * 600_000)[: 10 << 20]  # one 10 MB line
    return telegram("08TOKYO3901", refs=("08TOKYO3902",), body=f"Talks (REF A). {line}").encode()


def _big_cable() -> bytes:
    """A 50 MB cable: 1 MB blocks of varied tokens, like a data dump pasted into a body
    (150,000 distinct words and numbers: a worst case for full-text indexes too)."""
    rng = random.Random(50)
    letters = "abcdefghijklmnopqrstuvwxyz"
    tokens = [
        str(rng.randint(0, 10**7)) if i % 3 == 0 else "".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
        for i in range(150_000)
    ]
    block = "\n".join(" ".join(tokens[i : i + 100]) for i in range(0, len(tokens), 100))
    blocks = [f"{n}. (C) Record dump {n} (REF A):\n{block}" for n in range(1, 2 + (50 << 20) // len(block))]
    return telegram("08TOKYO4001", refs=("08TOKYO4002",), body="\n\n".join(blocks)).encode()


def _gzip_truncated() -> bytes:
    data = gzip.compress(telegram("08TOKYO4101", body="Talks (REF A). " * 400, refs=("08TOKYO4102",)).encode(), mtime=0)
    return data[: len(data) // 2]


CASES = [
    Case("empty", "empty.txt", lambda: b"", errors=(("", "empty input"),)),
    Case("whitespace", "blank.txt", lambda: b"  \n\n\t\n", errors=(("", "whitespace"),)),
    Case("binary", "random.bin", _binary, errors=(("", "binary data"),)),
    Case("png", "image.txt", lambda: b"\x89PNG\r\n\x1a\n" + _binary(), errors=(("", "PNG image"),)),
    Case("pdf", "cable.pdf", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", errors=(("", "PDF"),)),
    Case("utf16-no-bom", "nobom.txt", lambda: telegram("08TOKYO4201").encode("utf-16-le"), errors=(("", "binary data"),)),
    Case("truncated-html", "truncated.html", _truncated_html, stored=("08TOKYO2001",)),
    # The cut row is kept (with a warning: "row cut off ... text may be incomplete").
    Case("truncated-csv", "truncated.csv", _truncated_csv, stored=("08TOKYO3001", "08TOKYO3002", "08TOKYO3003")),
    Case("csv-wrong-columns", "columns.csv", _csv_wrong_columns, stored=("08TOKYO3101", "08TOKYO3103"), errors=(("row=2", "column"),)),
    # The junk line is read as a continuation of record 1 (mongo exports hold raw newlines
    # in strings) and dropped with a warning on it; the truncated record 3 is refused.
    Case("json-not-json", "records.json", _json_not_json, stored=("08TOKYO3201", "08TOKYO3203", "08TOKYO3205"),
         errors=(("line=4", "not JSON"),)),
    Case("mongo-glued-lines", "export.json", _mongo_glued_lines, stored=("05ANKARA1730",)),
    # A published ID over 64 characters is debris, in every format: the cable is stored
    # under the ID its banner gives, with a warning naming the debris.
    Case("html-id-too-long", "longid.html", _html_id_too_long, stored=("08TOKYO5001",)),
    Case("latin-1", "latin1.txt", _latin1, stored=("08TOKYO3301",)),
    Case("windows-1252", "cp1252.txt", _cp1252, stored=("08TOKYO3401",)),
    Case("utf16-bom", "utf16.txt", _utf16, stored=("08TOKYO3501",)),
    Case("deep-html", "deep.html", _deep_html, stored=("08TOKYO3601",)),
    Case("malformed-html", "malformed.html", _malformed_html, stored=("08TOKYO3701",)),
    # What the truncated gzip held is read; the cable carries the warning "gzip data is truncated".
    Case("gzip-truncated", "cut.txt.gz", _gzip_truncated, stored=("08TOKYO4101",)),
    Case("ref-block-10000", "refs10000.txt", _ref_block_10000, stored=("08TOKYO20000",)),
    Case("regex-backtracking", "pathological.txt", _pathological, stored=("08TOKYO3801",)),
    Case("line-10mb", "longline.txt", _long_line, stored=("08TOKYO3901",), big=True),
    Case("cable-50mb", "big.txt", _big_cable, stored=("08TOKYO4001",), big=True),
]
