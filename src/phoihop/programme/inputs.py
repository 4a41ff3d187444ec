"""Input checks shared by the programme's services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.core.models import Agency, User
from phoihop.core.policy import agency_ids
from phoihop.programme import permissions
from phoihop.triage.normalize import normalize_text


def text(value: str | None) -> str:
    return normalize_text(value or "")


def required(value: str | None, field: str, message: str) -> str:
    cleaned = text(value)
    if not cleaned:
        raise ValidationError({field: message})
    return cleaned


def own_agency(by: User, agency: Agency) -> None:
    """A proposal is made only on behalf of one of the user's own agencies."""
    if agency.pk not in agency_ids(by, *permissions.STAFF_ROLES):
        raise ValidationError({"proposing_agency": _("Chỉ đề xuất thay mặt cơ quan của mình.")})
