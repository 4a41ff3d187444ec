"""Short forms of long Vietnamese text for titles, notifications and pickers."""

from __future__ import annotations

import re

# a sentence ends at «.», «!», «?» or «…» followed by a space
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# a first «sentence» shorter than this is an abbreviation («TP. Lạng Sơn») or a greeting
_SHORTEST_SENTENCE = 20


def shorten(text: str, limit: int) -> str:
    """One line of at most about `limit` characters, cut after a whole word with «…»:
    «…dự án cao tốc Đồng Đăng – Trà L» is not a title anyone wrote."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" .,;:!?-–") + "…"


def title_from(text: str, limit: int) -> str:
    """A title taken from someone's own words: their first sentence, cut after a whole word
    with «…» to at most `limit` characters, «…» included (a column's max length)."""
    text = " ".join(text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) < _SHORTEST_SENTENCE:
        first = text
    return shorten(first.rstrip("."), limit - 1)


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: «Nhóm» → «nhóm», «Y tế» → «y tế» (Django's
    catalog and the field list capitalise), while an abbreviation keeps its capitals
    («UBND tỉnh»)."""
    first = name.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()):
        return name[0].lower() + name[1:]
    return name
