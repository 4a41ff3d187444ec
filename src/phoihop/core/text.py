"""Short forms of long Vietnamese text for titles, notifications and pickers."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """One line of at most about `limit` characters, cut after a whole word with «…»:
    «…dự án cao tốc Đồng Đăng – Trà L» is not a title anyone wrote."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" .,;:!?-–") + "…"


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence: «Nhóm» → «nhóm», «Y tế» → «y tế» (Django's
    catalog and the field list capitalise), while an abbreviation keeps its capitals
    («UBND tỉnh»)."""
    first = name.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()):
        return name[0].lower() + name[1:]
    return name
