"""Changes to agencies, memberships and configuration: atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, hooks, policy
from phoihop.core.models import Agency, Membership, RoutingEntry, User


@transaction.atomic
def agency_merge(
    *, agency: Agency, into: Agency, by: User | None, on: dt.date | None = None
) -> Agency:
    """Merge or rename: `agency` stops, `into` carries its open work and its people.

    Closed work keeps the old agency and the name it had; each app moves its own open work
    to the successor through `hooks.agency_merged` (cases: open assignments become new
    assignments linked to the old ones, so the trail stays readable; programme: open tasks).
    `by` is None only for data migrations and the demo loader.
    """
    if by is not None:
        policy.require(by, "core.agency_manage")
    if agency.pk == into.pk:
        raise ValidationError({"successor": _("Không thể sáp nhập một cơ quan vào chính nó.")})
    if not into.is_active:
        raise ValidationError({"successor": _("Cơ quan kế nhiệm phải đang hoạt động.")})
    if into.current.pk == agency.pk:
        raise ValidationError({"successor": _("Cơ quan kế nhiệm tạo thành vòng lặp.")})
    if not agency.is_active:
        raise ValidationError({"agency": _("Cơ quan này đã ngừng hoạt động.")})

    # Every app above core moves its own open work (cases: assignments; programme: tasks).
    moved: dict[str, Any] = {}
    for hook in hooks.agency_merged:
        moved.update(hook(agency, into, by))

    RoutingEntry.objects.filter(agency=agency).update(agency=into)
    for membership in Membership.objects.filter(agency=agency, is_active=True):
        Membership.objects.get_or_create(
            user=membership.user,
            agency=into,
            role=membership.role,
            defaults={"is_active": True},
        )
        membership.is_active = False
        membership.save(update_fields=["is_active"])

    agency.successor = into
    agency.is_active = False
    agency.active_until = on or timezone.localdate()
    agency.save(update_fields=["successor", "is_active", "active_until"])
    audit.record(
        actor=by,
        action="agency.merge",
        target=agency,
        scope=f"agency:{agency.pk}",
        after={"successor": into.name},
        **moved,
    )
    return into


@transaction.atomic
def membership_grant(*, user: User, agency: Agency, role: str, by: User | None) -> Membership:
    if by is not None:
        policy.require(by, "core.agency_manage")
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    membership, created = Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit.record(
        actor=by,
        action="membership.grant",
        target=membership,
        scope=f"agency:{agency.pk}",
        role=role,
        user=user.username,
    )
    policy.forget(user)
    return membership
