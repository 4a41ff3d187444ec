"""The province the installation serves: one setting, `PHOIHOP_PROVINCE_CODE`, resolved to its
name through the `vietnam-provinces` gazetteer (the same data that loads its communes,
core/places.py). Official documents, feeds, the public layout and the demo take the province's
name from here; the issuing bodies themselves are Agency rows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from vietnam_provinces import Province as GazetteerProvince
from vietnam_provinces import ProvinceCode, Ward

from phoihop.triage.normalize import fold


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # "Lạng Sơn", "Hà Nội"
    division: str  # "tỉnh" or "thành phố"

    @property
    def title(self) -> str:
        """As a heading or a sentence's start writes it: "Tỉnh Lạng Sơn", "Thành phố Hà Nội"."""
        return f"{self.division.capitalize()} {self.name}"

    @property
    def in_text(self) -> str:
        """Mid-sentence: "tỉnh Lạng Sơn", "thành phố Hà Nội"."""
        return f"{self.division} {self.name}"

    @property
    def party_committee(self) -> str:
        """The province's Party committee: "Tỉnh ủy", "Thành ủy"."""
        return "Thành ủy" if self.division == "thành phố" else "Tỉnh ủy"


@lru_cache(maxsize=8)
def province_of(code: int) -> Province:
    try:
        source = GazetteerProvince.from_code(ProvinceCode(code))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"PHOIHOP_PROVINCE_CODE={code} không phải mã tỉnh, thành phố nào."
        ) from error
    division = "thành phố" if source.name.startswith("Thành phố ") else "tỉnh"
    return Province(
        code=code, name=source.name.removeprefix("Thành phố ").strip(), division=division
    )


def current() -> Province:
    """The configured province (read on each call, so a test may change the setting)."""
    return province_of(int(settings.PHOIHOP_PROVINCE_CODE))


def words() -> dict[str, str]:
    """The configured province's name as demo data and templates of text write it:
    `"… {province}".format_map(words())` → "… tỉnh Lạng Sơn"."""
    where = current()
    return {
        "name": where.name,
        "province": where.in_text,
        "Province": where.title,
        "committee": f"{where.party_committee} {where.name}",
        # as a web address writes it: "langson"
        "slug": fold(where.name).replace(" ", "").replace("đ", "d"),
    }


@lru_cache(maxsize=8)
def _communes(code: int) -> list[tuple[int, str]]:
    return sorted(
        (int(w.code.value), w.name) for w in Ward.iter_all() if int(w.province_code.value) == code
    )


def communes() -> list[tuple[int, str]]:
    """(code, name) of the configured province's communes and wards, by code."""
    return _communes(int(settings.PHOIHOP_PROVINCE_CODE))


def agency_code(code: str) -> str:
    """An agency code as demo data writes it: "xa-#1" is the commune agency of the province's
    commune number 1 (by gazetteer code), so the same data loads in any province."""
    if code.startswith("xa-#"):
        return f"xa-{communes()[int(code[4:])][0]}"
    return code
