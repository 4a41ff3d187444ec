"""Vietnamese text normalisation: NFC, one tone-mark placement, folding for search."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Tone marks as combining characters (NFD): grave, acute, tilde, hook above, dot below.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# "New style" puts the tone on the second vowel of a syllable-final oa/oe/uy (hoà, thuỷ);
# we unify on the traditional placement used in official documents (hòa, thủy).
# "qu" + y keeps its tone on y (quý), since the u there belongs to the consonant.
_OA_OE = re.compile(rf"([oO])([aAeE])([{_TONES}])(?![^\W\d_])")
_UY = re.compile(rf"(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_])")
_SPACES = re.compile(r"\s+")


# NFC fast path: a toned a/e/y right after o/u is the only case the rule can change
_MAYBE_NEW_STYLE = re.compile("[oOuU][àáãảạèéẽẻẹỳýỹỷỵÀÁÃẢẠÈÉẼẺẸỲÝỸỶỴ]")


def unify_tone_marks(text: str) -> str:
    """Move tones of syllable-final oa/oe/uy onto the first vowel: hoà → hòa, thuỷ → thủy."""
    text = unicodedata.normalize("NFC", text)
    if not _MAYBE_NEW_STYLE.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    decomposed = _OA_OE.sub(r"\1\3\2", decomposed)
    decomposed = _UY.sub(r"\1\3\2", decomposed)
    return unicodedata.normalize("NFC", decomposed)


def normalize_text(text: str) -> str:
    """NFC, unified tone marks and single spaces; case and diacritics are kept."""
    text = unicodedata.normalize("NFC", text)
    if _MAYBE_NEW_STYLE.search(text):
        text = unify_tone_marks(text)
    # str.split() and the regex \s both split on exactly the Unicode whitespace characters
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower case without diacritics, for search with or without accents: Đà Lạt → da lat."""
    decomposed = unicodedata.normalize("NFD", normalize_text(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def content_hash(text: str) -> str:
    """A hash that is equal for texts differing only in Unicode form, tone placement or spaces."""
    return hashlib.sha256(normalize_text(text).lower().encode("utf-8")).hexdigest()


# --- matching keys -------------------------------------------------------------------------

# Common administrative abbreviations, keyed by their folded lower-case form (so "HĐND",
# "hđnd" and "HDND" are the same key); expanded to the full accented phrase.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "ủy ban nhân dân",
    "hdnd": "hội đồng nhân dân",
    "tand": "tòa án nhân dân",
    "vksnd": "viện kiểm sát nhân dân",
    "vks": "viện kiểm sát",
    "mttq": "mặt trận tổ quốc",
    "ubmttq": "ủy ban mặt trận tổ quốc",
    "dbqh": "đại biểu quốc hội",
    "qh": "quốc hội",
    "gpmb": "giải phóng mặt bằng",
    "qsdd": "quyền sử dụng đất",
    "gcnqsdd": "giấy chứng nhận quyền sử dụng đất",
    "gcn": "giấy chứng nhận",
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "bhtn": "bảo hiểm thất nghiệp",
    "thpt": "trung học phổ thông",
    "thcs": "trung học cơ sở",
    "atgt": "an toàn giao thông",
    "csgt": "cảnh sát giao thông",
    "ttatxh": "trật tự an toàn xã hội",
    "pccc": "phòng cháy chữa cháy",
    "tthc": "thủ tục hành chính",
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "ctv": "cộng tác viên",
    "hs": "học sinh",
    "gv": "giáo viên",
    "tp": "thành phố",
    "tx": "thị xã",
    "kcn": "khu công nghiệp",
    "ktx": "ký túc xá",
    "ntm": "nông thôn mới",
    "gddt": "giáo dục và đào tạo",
    "bqlda": "ban quản lý dự án",
    "thads": "thi hành án dân sự",
    "ubkt": "ủy ban kiểm tra",
}

_PUNCT = re.compile(r"[^\w\s]+|_")

# Everyday names petitions use beside the official ones, in the matching form (lower case,
# no punctuation): the same matter told both ways then shares its n-grams. Accented
# spellings only: folded, "so do" is also "số đó".
PHRASES: dict[str, str] = {
    "sổ đỏ": "giấy chứng nhận quyền sử dụng đất",
    "sổ hồng": "giấy chứng nhận quyền sử dụng đất",
}
_PHRASE = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, PHRASES)) + r")(?!\w)")
# A road by its number: «ĐT.234», «ĐT 234», «ĐT234» (đường tỉnh), «QL.1A», «QL4B» (quốc
# lộ). Only before a number, where the letters can mean nothing else («GD&ĐT» is đào tạo).
# A road number has one to three digits and perhaps a letter: «ĐT 0912345678» is a phone.
_ROAD = re.compile(r"(?<!\w)(đt|ql) ?(?=\d{1,3}[a-z]?(?!\w))")
_ROAD_NAMES = {"đt": "đường tỉnh ", "ql": "quốc lộ "}
# The roads a text names, read from its folded matching form: «đường tỉnh 234», «tỉnh lộ
# 234», «ĐT234» → ĐT.234; «quốc lộ 1a», «QL.4B» → QL.1A, QL.4B; «đường huyện 12»,
# «huyện lộ 12» → ĐH.12 («ĐH» alone is also đại học, đại hội: not read).
_ROAD_MENTION = re.compile(
    r"(?<!\w)(duong tinh|tinh lo|dt|quoc lo|ql|duong huyen|huyen lo)(?: so| dh)? ?"
    r"(\d{1,3}[a-z]?)(?!\w)"
)
_ROAD_KIND = {
    "duong tinh": "ĐT",
    "tinh lo": "ĐT",
    "dt": "ĐT",
    "quoc lo": "QL",
    "ql": "QL",
    "duong huyen": "ĐH",
    "huyen lo": "ĐH",
}
# One road under two names: Quốc lộ 1A is Quốc lộ 1 since its renaming.
_ROAD_ALIAS = {"QL.1A": "QL.1"}
_NO_ROADS: frozenset[str] = frozenset()


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x2000):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base:
            table[cp] = base
    table[ord("đ")] = "d"
    table[ord("Đ")] = "D"
    return table


_FOLD_TABLE = _build_fold_table()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics from NFC text (đ → d) without changing case or spacing."""
    return text.translate(_FOLD_TABLE)


def _expand(match: re.Match[str]) -> str:
    word = match.group(0)
    key = strip_diacritics(word).lower()
    return ABBREVIATIONS.get(key, word)


_ABBR_TOKEN = re.compile(
    r"(?<![^\W_])(?:"
    + "|".join(k.replace("d", "[dđ]") for k in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![^\W_])",
)
_ABBR_TOKEN_ANY_CASE = re.compile(_ABBR_TOKEN.pattern, re.IGNORECASE)


def expand_abbreviations(text: str) -> str:
    """Replace known abbreviations (UBND, HĐND, GPMB, QSDĐ, BHYT …) by their full phrase."""
    return _ABBR_TOKEN_ANY_CASE.sub(_expand, text)


def normalize_for_match(text: str) -> str:
    """Normalised, lower-case, punctuation-free text with abbreviations expanded (accents kept)."""
    return match_form(normalize_text(text))


def _abbreviation_tokens() -> dict[str, str]:
    """Every lower-case spelling (d or đ) of each abbreviation → its expansion."""
    out: dict[str, str] = {}
    for key, phrase in ABBREVIATIONS.items():
        spellings = [""]
        for ch in key:
            spellings = [s + c for s in spellings for c in (("d", "đ") if ch == "d" else (ch,))]
        for spelling in spellings:
            out[spelling] = phrase
    return out


_ABBR_TOKENS = _abbreviation_tokens()


def match_form(normalized: str) -> str:
    """`normalize_for_match` of a text already passed through `normalize_text`."""
    text = normalized.lower()
    text = text.replace("/", " ")
    text = _PUNCT.sub(" ", text)
    # only word characters and spaces are left, so a whole-word abbreviation (what
    # _ABBR_TOKEN matches) is exactly a whitespace-separated token
    get = _ABBR_TOKENS.get
    text = " ".join([get(t, t) for t in text.split()])
    if "sổ " in text:
        text = _PHRASE.sub(lambda m: PHRASES[m.group(0)], text)
    if "đt" in text or "ql" in text:
        text = _ROAD.sub(lambda m: _ROAD_NAMES[m.group(1)], text)
    return text


class _FoldedWords(dict[str, str]):
    """word → `strip_diacritics(word)`, filled on first use."""

    def __missing__(self, word: str) -> str:
        if len(self) > 500_000:
            self.clear()
        folded = self[word] = word.translate(_FOLD_TABLE)
        return folded


_FOLDED_WORDS = _FoldedWords()


def _fold_words(text: str) -> str:
    """`strip_diacritics` of a space-separated text, word by word through a cache: a few
    thousand syllables make up nearly all Vietnamese text. (Folding is character-wise, so
    folding the words and joining them equals folding the whole.)"""
    return " ".join(map(_FOLDED_WORDS.__getitem__, text.split(" ")))


def match_key(text: str) -> str:
    """The folded matching key: `normalize_for_match` without diacritics.

    "Giải phóng mặt bằng", "giai phong mat bang" and "GPMB" share the key
    "giai phong mat bang".
    """
    return _fold_words(normalize_for_match(text))


def roads(key: str) -> frozenset[str]:
    """The roads a folded matching form names («ĐT.234», «QL.1»): two texts naming only
    different roads are about different matters however alike their words."""
    if "lo " not in key and "duong " not in key and "dt" not in key and "ql" not in key:
        return _NO_ROADS
    found = {f"{_ROAD_KIND[kind]}.{number.upper()}" for kind, number in _ROAD_MENTION.findall(key)}
    return frozenset(_ROAD_ALIAS.get(r, r) for r in found) if found else _NO_ROADS


def match_keys(text: str) -> tuple[str, str]:
    """(accented, folded) matching forms of one text, computed once."""
    accented = normalize_for_match(text)
    return accented, _fold_words(accented)


def analyse_text(text: str) -> tuple[str, str, str]:
    """(content_hash, accented matching form, folded matching form) with one normalisation."""
    norm = normalize_text(text)
    accented = match_form(norm)
    digest = hashlib.sha256(norm.lower().encode("utf-8")).hexdigest()
    return digest, accented, _fold_words(accented)


# Search boxes: a query longer than this is cut, and only the first words are matched. Each
# word becomes one SQL condition, so an unbounded query is an unbounded expression tree.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 8


def search_terms(query: str, *, max_words: int = SEARCH_MAX_WORDS) -> list[str]:
    """The folded, distinct words of a search query, bounded in length and in number."""
    terms: list[str] = []
    for word in fold(query[:SEARCH_MAX_CHARS]).split():
        if word not in terms:
            terms.append(word)
        if len(terms) >= max_words:
            break
    return terms
