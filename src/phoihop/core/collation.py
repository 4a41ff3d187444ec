"""Vietnamese alphabetical order: «Bắc Sơn» before «Bình Gia», «Đ» right after «D».

Letters are compared by the Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q
r s t u ư v x y); tone marks only break ties, in the order no tone, huyền, hỏi, ngã, sắc,
nặng. Administrative prefixes («Xã», «Phường», «Thị trấn») are not part of the sort.
"""

from __future__ import annotations

import re
import unicodedata

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {letter: i for i, letter in enumerate(ALPHABET)}
# Tone marks in the Vietnamese dictionary order (no tone first).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_PREFIX = re.compile(r"^(xã|phường|thị trấn|đặc khu)\s+", re.IGNORECASE)


def _letter_and_tone(char: str) -> tuple[str, int]:
    """'ắ' -> ('ă', 4): the base letter with its vowel marks, and the tone apart."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    tone = 0
    kept = []
    for part in decomposed:
        if part in _TONES:
            tone = _TONES[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def sort_key(text: str, *, drop_prefix: bool = True) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A key for `sorted`: letters by the alphabet first, tones only when letters tie."""
    text = (text or "").strip()
    if drop_prefix:
        text = _PREFIX.sub("", text)
    letters: list[int] = []
    tones: list[int] = []
    for char in text:
        letter, tone = _letter_and_tone(char)
        if letter in _RANK:
            letters.append(100 + _RANK[letter])
        elif letter.isspace():
            letters.append(0)  # «Na Sầm» before «Nam…»: a word ends before any letter
        else:
            letters.append(200 + ord(letter[:1] or " "))
        tones.append(tone)
    return tuple(letters), tuple(tones)
