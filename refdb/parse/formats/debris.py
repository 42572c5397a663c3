"""Web-scrape and annotation debris in cable text, turned back into the cable's own text.

- Markdown links left by scraping a viewer page: ``[1](#)`` is a paragraph anchor (the
  page's ``¶`` link) and becomes ``¶``; ``[PREL](#)`` is a TAG link and becomes ``PREL``.
- NER annotations (tathagata TXT): ``[LOC HARARE  ]`` becomes ``HARARE``.
- PlusD PDF text: the pilcrow came out as U+FFFD at the start of a paragraph.

Cleaning happens in the reader, so every offset refdb reports points into the text as
stored, and REF parsing sees ``¶B. 07 TOKYO 5019`` exactly as a viewer page gives it.
"""

from __future__ import annotations

import re

__all__ = ["clean_debris"]

_MD_LINK = re.compile(r"\[([^\[\]\n]{1,80})\]\(#[^()\s]{0,80}\)")
_NER = re.compile(r"\[(?:LOC|ORG|PER|PERSON|MISC|GPE|NORP|DATE) ([^\[\]\n]{0,200})\]")
_FFFD_PILCROW = re.compile(r"(?m)^([ \t]*)\ufffd(?=[ \t]*[0-9A-Za-z(])")


def _md_link(m: re.Match[str]) -> str:
    label = m.group(1)
    return "¶" if label.isdigit() else label


def _ner(m: re.Match[str]) -> str:
    return m.group(1).strip(" ")


def clean_debris(text: str) -> str:
    if "](#" in text:
        text = _MD_LINK.sub(_md_link, text)
    if "[" in text:
        text = _NER.sub(_ner, text)
    if "\ufffd" in text:
        text = _FFFD_PILCROW.sub(r"\1¶", text)
    return text
