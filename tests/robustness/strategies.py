"""Hypothesis strategies for fuzzing the parser: cable-shaped text built from the
pieces real cables are made of (routing header, banner, REF blocks, mentions, debris),
mixed with arbitrary text, then wrapped in the input formats refdb reads and damaged
(truncated, re-encoded, gzipped).  Shared by ``test_fuzz.py`` (a few hundred examples
per run) and ``benchmarks/fuzz_long.py`` (as many as you like)."""

from __future__ import annotations

import codecs
import gzip
import json

from hypothesis import strategies as st

POSTS = ["TOKYO", "SECSTATE", "STATE", "NEW DELHI", "RIO DE JANEIRO", "KUALA LUMP", "BRASILA", "USUN NEW YORK",
         "T0KYO", "SECTATE", "THE HAGUE", "AIT TAIPEI", "Baghdad", "USNATO", "SECDEF", "USDOC", "X" * 40]
MONTHS = ["JAN", "FEB", "APR", "OCT", "DEC", "Oct", "SEPT"]
SEPARATORS = ["\n", "\r\n", " ", "  ", "\\n", "\n\n", "&#x000A;", "\t", ""]
KEYWORDS = ["REF:", "REFS:", "REF(S):", "REFTEL:", "Ref:", "REF :", "REFS", "REF"]
LETTERS = ["A.", "B.", "C)", "(D)", "E.)", "A. (A)", "F", "", "Z.", "AA.", "a."]
QUALIFIERS = ["(NOTAL)", "AND PREVIOUS", "(EXDIS)", "(C)", "(S/NF)", "AND", "/", ",", "-", "'", "(08)"]
NON_CABLES = ["HANKINS JUNE 18 E-MAIL", "IIR 6 809 0120 09", "SECDEF R162245Z OCT 08", "UNSCR 1737", "TELCON",
              "SECTO 003 DTG 070102Z JUN 08", "http://www.example.org/x?y=1", "OSC EUP20080101", "FBIS"]
MENTIONS = ["(REF A)", "(Ref B)", "reftel", "reftels", "REFS A AND B", "refs a-c", "ref b para 3", "per ref",
            "septel", "(REF Z)", "REFS A, B, AND C", "ref (a)", "REF(S) A THRU D", "REFTEL(S)", "refs A/B/C"]
DEBRIS = ["[1](#)", "¶", "\ufffd", "XXXXXXXXXXXX", "C O N F I D E N T I A L", ',,""', "[PREL](#)", "<b>", "&amp;",
          "TOKYO 00001002 002 OF 002", "SECTION 01 OF 02", "SIPDIS", "[/NOTAL]", "\x00", "\u202e", "\ud800"]

# IDs as people and cables write them, and things close to them.
id_texts = st.one_of(
    st.from_regex(r"\A\s?\d{1,4}\s?[A-Za-z][A-Za-z .'-]{0,20}\s?0*\d{1,9}\s?\Z"),
    st.from_regex(r"\A[A-Z ]{1,20} 0*\d{1,8}\Z"),
    st.from_regex(r"\A\d{2}(SECTION|SCTION|EFTO|NOFORN)?\d{0,2}(OF)?\d{0,2}[A-Z]{2,14}\d{1,7}(TOSEC\d{1,6}|ZFR\d{1,4})?\Z"),
    st.text(max_size=40),
)
dtg_texts = st.one_of(
    st.from_regex(r"\A[ROPZ]?\s?\d{2}\s?\d{4}\s?Z\s?(JAN|FEB|OCT|Oct|SEPT)[A-Z]*\.?\s?'?\d{2,4}\Z"),
    st.text(max_size=40),
)


numbers = st.integers(0, 10**8).map(str) | st.sampled_from(["001002", "0O1", "1261/1263/1264", "2543 AND 2544", "O7"])
years = st.sampled_from(["", "07 ", "2007 ", "'08 ", "(08) ", "/08", "-91", "O8 ", "1966 ", "99 "])


@st.composite
def ref_items(draw) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(NON_CABLES))
    parts = [draw(years), draw(st.sampled_from(POSTS)), " ", draw(numbers)]
    if draw(st.booleans()):
        parts.append(" " + draw(st.sampled_from(QUALIFIERS)))
    return "".join(parts)


@st.composite
def ref_blocks(draw) -> str:
    lines = [draw(st.sampled_from(KEYWORDS))]
    for _ in range(draw(st.integers(0, 12))):
        lines.append(draw(st.sampled_from(LETTERS)) + " " + draw(ref_items()))
    return draw(st.sampled_from(SEPARATORS)).join(lines)


@st.composite
def headers(draw) -> str:
    post = draw(st.sampled_from(POSTS))
    serial = draw(numbers)
    day = draw(st.integers(0, 40))
    pool = [
        "VZCZCXRO9469",
        "OO RUEHFK RUEHKS RUEHNH",
        f"DE RUEHKO #{serial}/01 1020626",
        "ZNY CCCCC ZZH",
        f"O {day:02d}0626Z {draw(st.sampled_from(MONTHS))} {draw(st.integers(0, 99)):02d}",
        f"FM AMEMBASSY {post}",
        "TO RUEHC/SECSTATE WASHDC IMMEDIATE 3388",
        f"C O N F I D E N T I A L SECTION 01 OF 02 {post} {serial}",
        f"UNCLAS {post} {serial}",
        "E.O. 12958: DECL: 04/11/2018",
        "TAGS: [PREL](#) MARR",
        "SUBJECT: " + draw(st.text(max_size=40)),
        "Classified By: Someone. Reasons 1.4 (B) (D)",
    ]
    if draw(st.integers(0, 3)):  # mostly the real order, some lines dropped
        lines = [line for line in pool if draw(st.integers(0, 5))]
    else:
        lines = draw(st.lists(st.sampled_from(pool), max_size=12))
    return "\n".join(lines)


@st.composite
def bodies(draw) -> str:
    pieces = []
    for n in range(draw(st.integers(0, 6))):
        words = draw(st.lists(st.sampled_from(MENTIONS + DEBRIS + ["talks", "the", "1.", "(C)", "\n"]), max_size=15))
        pieces.append(f"{n + 1}. (C) " + " ".join(words))
    return "\n\n".join(pieces)


@st.composite
def cable_texts(draw) -> str:
    """Text shaped like a telegram, with arbitrary text spliced in anywhere."""
    parts = [draw(headers())]
    for _ in range(draw(st.integers(0, 2))):
        parts.append(draw(ref_blocks()))
    parts.append(draw(bodies()))
    if draw(st.booleans()):
        where = draw(st.integers(0, len(parts)))
        parts.insert(where, draw(st.text(max_size=200)))
    return draw(st.sampled_from(SEPARATORS[:3])).join(parts)


def _viewer_html(text: str, refid: str) -> str:
    body = text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "&#x000A;")
    return (
        f"<html><head><title>Cable {refid}</title></head><body><h3>Viewing cable {refid}, SUBJECT</h3>"
        "<table class='cable'><tr><th>Reference ID</th><th>Created</th><th>Released</th><th>Classification</th>"
        f"<th>Origin</th></tr><tr><td><a href='/cable/2008/04/{refid}.html'>{refid}</a></td>"
        "<td><a href='/date/2008-04_0.html'>2008-04-11 12:12</a></td><td><a>2010-11-28 18:06</a></td>"
        "<td><a title='unclassified'>CONFIDENTIAL</a></td><td><a>Embassy Tokyo</a></td></tr></table>"
        f"<code><pre>VZCZCXRO9919&#x000A;DE RUEHKO #1002/01 1021244</pre></code><code><pre>{body}</pre></code>"
        "<script src='/static/js/cables.js'></script></body></html>"
    )


def _cables_csv(text: str, refid: str) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"1","4/11/2008 6:26","{refid}","Embassy Tokyo","CONFIDENTIAL","","header","{esc}"\n'


def _mongo_json(text: str, refid: str) -> str:
    record = {"_id": refid, "origin": "Embassy Tokyo", "date_time": "2008-04-11 06:26",
              "classification": "CONFIDENTIAL", "body": text}
    return json.dumps(record, ensure_ascii=False) + "\n"


def _jsonp(text: str, refid: str) -> str:
    item = {"id": refid, "subject": "S", "date": "2008-04-11 06:26:00", "classification": "CONFIDENTIAL",
            "origin": "Embassy Tokyo", "text": text}
    return "cablegrab(" + json.dumps({"info": {"response": "OK"}, "items": [item]}) + ")"


WRAPPERS = {"plain": lambda t, r: t, "html": _viewer_html, "csv": _cables_csv, "mongo": _mongo_json, "jsonp": _jsonp}
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]


@st.composite
def documents(draw) -> bytes:
    """One input file's bytes: a cable-shaped text in one of the input formats and
    encodings, sometimes truncated, sometimes gzipped; or arbitrary bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2000))
    text = draw(cable_texts())
    refid = draw(
        st.sampled_from(["08TOKYO1002", "08SCTION02OF02SAOPAULO335", "", "x'; DROP TABLE cable;--", "07SOIA828"])
        | id_texts.map(lambda t: t.replace('"', "").replace("<", ""))
    )
    wrapped = WRAPPERS[draw(st.sampled_from(sorted(WRAPPERS)))](text, refid)
    if draw(st.booleans()):
        wrapped = wrapped * draw(st.integers(1, 3))  # several records
    encoding = draw(st.sampled_from(ENCODINGS))
    data = wrapped.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")
    if encoding == "utf-16" and not data.startswith(codecs.BOM_UTF16_LE + b"") and draw(st.booleans()):
        data = codecs.BOM_UTF16_LE + data
    if draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # truncated
    if draw(st.integers(0, 6)) == 0:
        data = gzip.compress(data, mtime=0)
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]  # truncated gzip
    return data


