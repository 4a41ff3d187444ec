"""Exemplary models (điển hình) proposed by agencies."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import AdministrativeUnit, Agency, Field, User
from phoihop.programme import inputs
from phoihop.programme.models import (
    ExemplaryModel,
)


@transaction.atomic
def exemplary_create(
    *,
    by: User,
    name: str,
    kind: str,
    achievements: str,
    proposing_agency: Agency,
    place: AdministrativeUnit | None = None,
    field: Field | None = None,
    evidence: str = "",
    article_links: str = "",
) -> ExemplaryModel:
    """Register an exemplary model proposed by the user's agency."""
    policy.require(by, "programme.exemplary_create")
    inputs.own_agency(by, proposing_agency)
    name = inputs.required(name, "name", _("Cần nhập tên điển hình."))
    achievements = inputs.required(achievements, "achievements", _("Cần nêu thành tích."))
    if kind not in ExemplaryModel.Kind.values:
        raise ValidationError({"kind": _("Loại điển hình không hợp lệ.")})
    model = ExemplaryModel.objects.create(
        name=name,
        kind=kind,
        place=place,
        field=field,
        achievements=achievements,
        evidence=(evidence or "").strip(),
        article_links=(article_links or "").strip(),
        proposing_agency=proposing_agency,
        created_by=by,
    )
    audit.record(actor=by, action="exemplary.create", target=model, scope="exemplary")
    return model
