"""Load provinces and communes from the `vietnam-provinces` gazetteer (two-level, 2025)."""

from __future__ import annotations

from django.db import transaction
from vietnam_provinces import Province, ProvinceCode, Ward

from phoihop.core.models import AdministrativeUnit
from phoihop.triage.normalize import fold

LANG_SON = 20


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
    for ward in Ward.iter_all():
        if int(ward.province_code.value) != province_code:
            continue
        _unit, was_created = AdministrativeUnit.objects.update_or_create(
            level=AdministrativeUnit.Level.COMMUNE,
            code=int(ward.code.value),
            defaults={
                "name": ward.name,
                "division_type": str(ward.division_type.value),
                "parent": province,
                "search_name": fold(ward.name),
            },
        )
        created += int(was_created)
    return province, created
