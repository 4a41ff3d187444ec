"""Load provinces and communes from the `vietnam-provinces` gazetteer (two-level, 2025)."""

from __future__ import annotations

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, Ward

from phoihop.core.models import AdministrativeUnit
from phoihop.triage.normalize import fold

LANG_SON = 20


Centre = tuple[float | None, float | None, float | None]


def _centres(province_code: int) -> dict[int | str, Centre]:
    """(latitude, longitude, area km²) by ward code and by folded ward name, from the
    `vietnamadminunits` data set (a few wards carry another code there than in
    `vietnam-provinces`, so the name is the fallback)."""
    import sqlite3
    from importlib.resources import as_file, files

    with as_file(files("vietnamadminunits") / "data" / "dataset.db") as path:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute(
                "SELECT wardCode, ward, wardLat, wardLon, wardAreaKm2 FROM admin_units "
                "WHERE CAST(provinceCode AS INTEGER) = ?",
                (province_code,),
            ).fetchall()
        finally:
            connection.close()
    centres: dict[int | str, Centre] = {}
    for code, name, lat, lon, area in rows:
        if lat is None or lon is None:
            continue
        centre: Centre = (float(lat), float(lon), float(area) if area else None)
        if code:
            centres[int(code)] = centre
        centres[fold(name)] = centre
    return centres


@transaction.atomic
def places_load(*, province_code: int) -> tuple[AdministrativeUnit, int]:
    """Create or update the province and its communes; returns (province, new communes)."""
    source = Province.from_code(ProvinceCode(province_code))
    province, _ = AdministrativeUnit.objects.update_or_create(
        level=AdministrativeUnit.Level.PROVINCE,
        code=province_code,
        defaults={
            "name": source.name,
            "division_type": str(source.division_type.value),
            "search_name": fold(source.name),
        },
    )
    created = 0
    centres = _centres(province_code)
    unknown: Centre = (None, None, None)
    for ward in Ward.iter_all():
        if int(ward.province_code.value) != province_code:
            continue
        lat, lon, area = centres.get(int(ward.code.value)) or centres.get(fold(ward.name), unknown)
        _unit, was_created = AdministrativeUnit.objects.update_or_create(
            level=AdministrativeUnit.Level.COMMUNE,
            code=int(ward.code.value),
            defaults={
                "name": ward.name,
                "division_type": str(ward.division_type.value),
                "parent": province,
                "search_name": fold(ward.name),
                "latitude": lat,
                "longitude": lon,
                "area_km2": area,
            },
        )
        created += int(was_created)
    return province, created


_PREFIXES = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


def in_text(name: str) -> str:
    """A commune's name mid-sentence: «xã Cao Lộc», «phường Đông Kinh» (as the province's
    `Province.in_text`); other names unchanged."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name
