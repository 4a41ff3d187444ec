"""Place mentions (provinces, communes/wards) from the vietnam-provinces gazetteer (2025)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .normalize import match_keys, strip_diacritics

WARD_PREFIXES = {"xa": "xã", "phuong": "phường", "dac khu": "đặc khu"}
PROVINCE_PREFIXES = ("tinh", "thanh pho", "tp")
PROVINCE_ALIASES = {"hcm": 79, "tphcm": 79, "sai gon": 79, "sg": 79, "hn": 1}


@dataclass(frozen=True)
class GazetteerEntry:
    kind: str  # "province" or "ward"
    code: int
    name: str  # official name, e.g. "Xã Thất Khê", "Lạng Sơn"
    province_code: int
    accented: str  # lower-case accented base name, e.g. "thất khê"


@dataclass(frozen=True)
class Place:
    """A place mentioned in a text, with the evidence of the match."""

    kind: str  # "province" or "ward"
    code: int
    name: str
    province_code: int
    matched: str  # the words of the text that matched (accented as written)
    prefixed: bool  # matched with xã/phường/đặc khu/tỉnh/thành phố before the name
    start: int  # word offset in the normalised text


class Gazetteer:
    """Lookup of province and ward names by folded word sequences."""

    def __init__(self, entries: Sequence[GazetteerEntry]) -> None:
        self.entries = list(entries)
        self.by_prefixed: dict[tuple[str, ...], list[GazetteerEntry]] = {}
        self.by_bare: dict[tuple[str, ...], list[GazetteerEntry]] = {}
        self.provinces: dict[tuple[str, ...], list[GazetteerEntry]] = {}
        self.wards_by_code: dict[int, GazetteerEntry] = {}
        self.province_by_code: dict[int, GazetteerEntry] = {}
        for e in self.entries:
            base = tuple(strip_diacritics(e.accented).split())
            if e.kind == "ward":
                self.wards_by_code[e.code] = e
                prefix = strip_diacritics(e.name.split(" ")[0].lower())
                if e.name.lower().startswith("đặc khu"):
                    prefix = "dac khu"
                self.by_prefixed.setdefault((*prefix.split(), *base), []).append(e)
                self.by_bare.setdefault(base, []).append(e)
            else:
                self.province_by_code[e.code] = e
                self.provinces.setdefault(base, []).append(e)
                for p in PROVINCE_PREFIXES:
                    self.provinces.setdefault((*p.split(), *base), []).append(e)
        for alias, code in PROVINCE_ALIASES.items():
            if code in self.province_by_code:
                for p in ("", *PROVINCE_PREFIXES):
                    key = (*p.split(), *alias.split())
                    self.provinces.setdefault(key, []).append(self.province_by_code[code])
        # first word → longest key starting with it (skips most words at once)
        self.first: dict[str, int] = {}
        for k in [*self.by_prefixed, *self.provinces]:
            self.first[k[0]] = max(self.first.get(k[0], 0), len(k))
        self.max_len = max(self.first.values(), default=1)
        # proper prefixes of the keys: a scan extends a word sequence only while one may match
        self._prefixes: set[tuple[str, ...]] = {
            k[:m] for k in [*self.by_prefixed, *self.provinces] for m in range(1, len(k))
        }
        self._bare_cache: dict[
            frozenset[int],
            tuple[dict[tuple[str, ...], list[GazetteerEntry]], dict[str, tuple[int, ...]]],
        ] = {}
        self._bare_by_province: dict[int, dict[tuple[str, ...], list[GazetteerEntry]]] = {}
        for key, es in self.by_bare.items():
            for e in es:
                self._bare_by_province.setdefault(e.province_code, {}).setdefault(key, []).append(e)

    @classmethod
    def from_vietnam_provinces(cls) -> Gazetteer:
        from vietnam_provinces import Province, Ward

        entries: list[GazetteerEntry] = []
        for p in Province.iter_all():
            name = p.name
            base = name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
            entries.append(
                GazetteerEntry("province", int(p.code.value), name, int(p.code.value), base.lower())
            )
        for w in Ward.iter_all():
            parts = w.name.split(" ")
            base = " ".join(parts[2:] if w.name.startswith("Đặc khu") else parts[1:])
            entries.append(
                GazetteerEntry(
                    "ward", int(w.code.value), w.name, int(w.province_code.value), base.lower()
                )
            )
        return cls(entries)

    def _bare_for(
        self, context: frozenset[int]
    ) -> tuple[dict[tuple[str, ...], list[GazetteerEntry]], dict[str, tuple[int, ...]]]:
        """Bare (unprefixed) ward names of the context provinces, at least two words long."""
        cached = self._bare_cache.get(context)
        if cached is None:
            bare: dict[tuple[str, ...], list[GazetteerEntry]] = {}
            for code in context:
                for key, es in self._bare_by_province.get(code, {}).items():
                    if len(key) >= 2:
                        bare.setdefault(key, []).extend(es)
            first: dict[str, set[int]] = {}
            for key in bare:
                first.setdefault(key[0], set()).add(len(key))
            cached = (bare, {k: tuple(sorted(v, reverse=True)) for k, v in first.items()})
            self._bare_cache[context] = cached
        return cached

    def ward(self, code: int) -> GazetteerEntry | None:
        return self.wards_by_code.get(code)

    def extract(self, text: str, province_code: int | None = None) -> list[Place]:
        accented, folded = match_keys(text)
        return self.extract_keys(accented, folded, province_code)

    def extract_keys(
        self, accented: str, folded: str, province_code: int | None = None
    ) -> list[Place]:
        """Places in a text (given its matching keys).

        Prefixed ward names (xã/phường/đặc khu + name) are matched anywhere, disambiguated by
        the provinces mentioned, then by ``province_code``. Bare ward names are matched only
        within the context province (mentioned, or ``province_code``) when unique there and at
        least two words long. Diacritics, when written, must agree with the official name.
        """
        toks = folded.split()
        atoks = accented.split()
        if len(atoks) != len(toks):  # defensive: folding keeps word boundaries
            atoks = toks
        n = len(toks)
        found_prov: list[Place] = []
        ward_hits: list[tuple[int, int, list[GazetteerEntry], bool]] = []
        first = self.first
        prefixes = self.__dict__.get("_prefixes")
        if prefixes is None:  # an instance pickled before the prefix set existed
            prefixes = {
                k[:m] for k in [*self.by_prefixed, *self.provinces] for m in range(1, len(k))
            }
            self._prefixes = prefixes
        provinces, by_prefixed = self.provinces, self.by_prefixed
        end = 0  # words before this are part of a match
        for i in [i for i, t in enumerate(toks) if t in first]:
            if i < end:
                continue
            # the longest key starting here (prefixed ward names win over provinces)
            key: tuple[str, ...] = (toks[i],)
            j = i + 1
            best_j = 0
            while True:
                if by_prefixed.get(key) or provinces.get(key):
                    best_j = j
                if j >= n or key not in prefixes:
                    break
                key = (*key, toks[j])
                j += 1
            if not best_j:
                continue
            key = tuple(toks[i:best_j])
            pref = by_prefixed.get(key)
            if pref:
                ward_hits.append((i, best_j, pref, True))
            else:
                e = provinces[key][0]
                prefixed = toks[i] in ("tinh", "thanh", "tp")
                found_prov.append(
                    Place(
                        "province", e.code, e.name, e.code, " ".join(atoks[i:best_j]), prefixed, i
                    )
                )
            end = best_j
        context = {p.code for p in found_prov}
        if not context and province_code is not None:
            context = {province_code}
        # bare names only in the context province
        if context:
            covered = [False] * n
            for a, b, _, _ in ward_hits:
                covered[a:b] = [True] * (b - a)
            for p in found_prov:
                covered[p.start : p.start + len(p.matched.split())] = [True] * len(
                    p.matched.split()
                )
            bare, bare_first = self._bare_for(frozenset(context))
            end = 0
            for i in [i for i, t in enumerate(toks) if t in bare_first]:
                if i < end or covered[i]:
                    continue
                for length in bare_first[toks[i]]:
                    j = i + length
                    if j > n or any(covered[i:j]):
                        continue
                    cands = bare.get(tuple(toks[i:j]), [])
                    if len(cands) == 1:
                        ward_hits.append((i, j, cands, False))
                        end = j
                        break
        places: list[Place] = list(found_prov)
        for a, b, cands, prefixed in ward_hits:
            written = " ".join(atoks[a:b])
            name_words = " ".join(atoks[a + (b - a - len(cands[0].accented.split())) : b])
            # diacritics written must agree (accent-free input agrees with everything)
            if name_words != strip_diacritics(name_words):
                agreeing = [e for e in cands if e.accented == name_words]
                cands = agreeing or cands
            if len(cands) > 1 and context:
                in_ctx = [e for e in cands if e.province_code in context]
                cands = in_ctx or cands
            if len(cands) != 1:
                continue
            e = cands[0]
            places.append(Place("ward", e.code, e.name, e.province_code, written, prefixed, a))
        places.sort(key=lambda p: p.start)
        return places
