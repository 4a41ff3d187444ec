"""Routing a signal to the competent agency: field defaults refined by rules, with reasons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .classify import load_fields
from .normalize import match_key
from .places import Place

COURT_MARKERS = (
    "bản án",
    "xét xử",
    "phiên tòa",
    "tòa án",
    "thụ lý vụ án",
    "vụ án dân sự",
    "kháng cáo",
    "giám đốc thẩm",
    "tái thẩm",
    "sơ thẩm",
    "phúc thẩm",
    "án phí",
    "bị cáo",
    "hòa giải tại tòa",
    "quyết định của tòa",
)
PROCURACY_MARKERS = (
    "khởi tố",
    "truy tố",
    "tạm giam",
    "tạm giữ",
    "viện kiểm sát",
    "kiểm sát viên",
    "kiểm sát",
    "phê chuẩn",
    "kháng nghị",
    "không khởi tố",
    "đình chỉ điều tra",
    "cáo trạng",
    "bắt giam",
)
COUNCIL_MARKERS = (
    "nghị quyết hội đồng nhân dân",
    "hội đồng nhân dân",
    "chất vấn",
    "kỳ họp",
    "đại biểu hội đồng nhân dân",
    "tiếp xúc cử tri",
    "cử tri kiến nghị",
    "giám sát của hội đồng",
    "thường trực hội đồng nhân dân",
    "nghị quyết của tỉnh",
)
# civil judgment enforcement is executive (a central vertical agency), not the court
ENFORCEMENT_MARKERS = ("thi hành án dân sự", "chi cục thi hành án", "cơ quan thi hành án")
CENTRAL_MARKERS = (
    "quốc hội",
    "chính phủ",
    "thủ tướng",
    "nghị định",
    "thông tư",
    "bộ trưởng",
    "trung ương",
    "chính sách trung ương",
    "sửa đổi luật",
    "sửa luật",
    "dự thảo luật",
    "ban hành luật",
    "luật đất đai",
    "luật bảo hiểm",
    "luật giáo dục",
    "luật hình sự",
    "bộ luật",
    "cả nước",
    "toàn quốc",
    "bộ y tế",
    "bộ giáo dục",
    "bộ tài chính",
    "bộ công an",
    "ngân hàng nhà nước",
)
PROVINCIAL_MARKERS = (
    "quốc lộ",
    "tỉnh lộ",
    "đường tỉnh",
    "cấp tỉnh",
    "ủy ban nhân dân tỉnh",
    "bệnh viện đa khoa tỉnh",
    "toàn tỉnh",
    "liên xã",
    "nhiều xã",
    "sở ",
)
DEFAULT_COMMUNE_FIELDS = frozenset(
    {
        "dat_dai",
        "moi_truong",
        "nong_nghiep",
        "xay_dung_giao_thong",
        "lao_dong_an_sinh",
        "noi_vu_hanh_chinh",
        "van_hoa_thong_tin",
        "khac",
    }
)


# A trie of characters: each key's characters as nested dicts, "" marking a key's end.
_Trie = dict[str, "_Trie"]


def _trie_pattern(keys: Sequence[str]) -> str:
    """One regular expression for a set of literal strings, factored as a trie: it matches
    what their alternation (longest first) matches, but tests each character once."""
    trie: _Trie = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class _Markers:
    """Folded-phrase matcher that reports the canonical (accented) marker."""

    def __init__(self, markers: Sequence[str]) -> None:
        self.canonical = {match_key(m): m.strip() for m in markers if match_key(m)}
        keys = sorted(self.canonical, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![a-z0-9])(?:" + _trie_pattern(keys) + r")(?![a-z0-9])")

    def findall(self, key: str) -> list[str]:
        return [self.canonical[m] for m in dict.fromkeys(self.pattern.findall(key))]


def _pattern(markers: Sequence[str]) -> _Markers:
    return _Markers(markers)


@dataclass
class RoutingConfig:
    """Agencies and rule vocabularies for one province."""

    field_agency: dict[str, str] = field(
        default_factory=lambda: {f.code: f.agency for f in load_fields()}
    )
    default_agency: str = "ubnd"
    court: str = "tand"
    procuracy: str = "vksnd"
    council: str = "hdnd"
    enforcement: str | None = None  # civil judgment enforcement agency; None → field agency
    province_code: int | None = 20
    commune_agency: dict[int, str] = field(default_factory=dict)  # ward code → agency code
    commune_fields: frozenset[str] = DEFAULT_COMMUNE_FIELDS
    court_markers: tuple[str, ...] = COURT_MARKERS
    procuracy_markers: tuple[str, ...] = PROCURACY_MARKERS
    council_markers: tuple[str, ...] = COUNCIL_MARKERS
    enforcement_markers: tuple[str, ...] = ENFORCEMENT_MARKERS
    central_markers: tuple[str, ...] = CENTRAL_MARKERS
    provincial_markers: tuple[str, ...] = PROVINCIAL_MARKERS

    def commune_agency_for(self, ward_code: int) -> str:
        return self.commune_agency.get(ward_code, str(ward_code))


@dataclass(frozen=True)
class Route:
    agency: str
    # "court", "procuracy", "council", "enforcement", "commune", "field", "default", or
    # "source" (the agency the source names, ``named_by_source``)
    rule: str
    reason: str  # Vietnamese sentence for staff
    matched_terms: tuple[str, ...]
    central_level: bool  # competence may lie with central bodies: staff should check
    central_terms: tuple[str, ...]
    field: str | None
    commune_code: int | None = None


class Router:
    def __init__(self, config: RoutingConfig | None = None) -> None:
        self.config = config or RoutingConfig()
        c = self.config
        self._court = _pattern(c.court_markers)
        self._procuracy = _pattern(c.procuracy_markers)
        self._council = _pattern(c.council_markers)
        self._enforcement = _pattern(c.enforcement_markers)
        self._central = _pattern(c.central_markers)
        self._provincial = _pattern(c.provincial_markers)
        # one scan tells whether any court/procuracy/council/enforcement marker occurs at all
        # (most signals have none): each rule's own scan then runs only when one does
        legal = (self._court, self._procuracy, self._council, self._enforcement)
        self._legal = re.compile(
            r"(?<![a-z0-9])(?:"
            + _trie_pattern([k for m in legal for k in m.canonical])
            + r")(?![a-z0-9])"
        )

    def route(self, key: str, field_code: str | None, places: Sequence[Place] = ()) -> Route:
        """Route a signal given its folded key (``match_key``), field and places."""
        c = self.config
        central = tuple(dict.fromkeys(self._central.findall(key)))
        central_note = (
            f" Lưu ý: có dấu hiệu thuộc thẩm quyền trung ương ({', '.join(central)}), "
            "cần xem xét chuyển hoặc kiến nghị lên cơ quan trung ương."
            if central
            else ""
        )

        def make(
            agency: str,
            rule: str,
            reason: str,
            terms: Sequence[str] = (),
            commune: int | None = None,
        ) -> Route:
            return Route(
                agency,
                rule,
                reason + central_note,
                tuple(terms),
                bool(central),
                central,
                field_code,
                commune,
            )

        legal = self._legal.search(key) is not None
        enforcement = tuple(dict.fromkeys(self._enforcement.findall(key))) if legal else ()
        procuracy = tuple(dict.fromkeys(self._procuracy.findall(key))) if legal else ()
        court = tuple(dict.fromkeys(self._court.findall(key))) if legal else ()
        if enforcement and not procuracy:
            agency = c.enforcement or c.field_agency.get("tu_phap", c.default_agency)
            return make(
                agency,
                "enforcement",
                f"Nội dung về thi hành án dân sự ({', '.join(enforcement)}) thuộc cơ quan thi hành "
                "án dân sự, không phải tòa án; chuyển cơ quan tư pháp/thi hành án.",
                enforcement,
            )
        if procuracy and len(procuracy) >= len(court):
            return make(
                c.procuracy,
                "procuracy",
                f"Nội dung liên quan đến tố tụng hình sự ({', '.join(procuracy)}) thuộc thẩm quyền "
                "kiểm sát của Viện kiểm sát nhân dân.",
                procuracy,
            )
        if court:
            return make(
                c.court,
                "court",
                f"Nội dung liên quan đến hoạt động xét xử ({', '.join(court)}) thuộc thẩm quyền "
                "của Tòa án nhân dân.",
                court,
            )
        council = tuple(dict.fromkeys(self._council.findall(key))) if legal else ()
        if council:
            return make(
                c.council,
                "council",
                f"Nội dung về nghị quyết, chất vấn hoặc hoạt động của Hội đồng nhân dân "
                f"({', '.join(council)}) chuyển Thường trực Hội đồng nhân dân.",
                council,
            )
        wards = {
            p.code
            for p in places
            if p.kind == "ward" and (c.province_code is None or p.province_code == c.province_code)
        }
        provincial = tuple(dict.fromkeys(m.strip() for m in self._provincial.findall(key)))
        if len(wards) == 1 and field_code in c.commune_fields and not provincial and not central:
            ward = next(iter(wards))
            name = next(p.name for p in places if p.kind == "ward" and p.code == ward)
            name = name[0].lower() + name[1:]
            return make(
                c.commune_agency_for(ward),
                "commune",
                f"Vụ việc xảy ra trong phạm vi {name} và thuộc lĩnh vực do cấp xã giải quyết; "
                f"chuyển Ủy ban nhân dân {name}.",
                (name,),
                ward,
            )
        if field_code is not None and field_code in c.field_agency:
            agency = c.field_agency[field_code]
            extra = ""
            if len(wards) > 1:
                extra = " Vụ việc liên quan nhiều xã, phường nên giao cơ quan cấp tỉnh."
            elif provincial:
                extra = f" Có yếu tố cấp tỉnh ({', '.join(provincial)})."
            return make(
                agency,
                "field",
                f"Theo lĩnh vực '{field_code}', cơ quan chủ trì mặc định là {agency}.{extra}",
            )
        return make(
            c.default_agency,
            "default",
            "Không xác định được lĩnh vực hay quy tắc riêng; "
            "chuyển Ủy ban nhân dân tỉnh phân công.",
        )


def named_by_source(route: Route, agency: str, name: str, source: str) -> Route:
    """The competent agency the source itself names (a petition file's «Cơ quan giải
    quyết» column) in place of the rules' choice, which the reason keeps for staff."""
    if agency == route.agency:
        reason = f"{source} ghi cơ quan giải quyết «{name}», trùng với đề xuất theo nội dung: "
        reason += route.reason
    else:
        reason = (
            f"{source} ghi cơ quan giải quyết «{name}»: đề xuất theo {source.lower()}. "
            f"(Theo nội dung, hệ thống đề xuất {route.agency}: {route.reason})"
        )
    return replace(route, agency=agency, rule="source", reason=reason)
