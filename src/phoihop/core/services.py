"""Changes to agencies, memberships and configuration: atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import Agency, Membership, RoutingEntry, User


@transaction.atomic
def agency_merge(
    *, agency: Agency, into: Agency, by: User | None, on: dt.date | None = None
) -> Agency:
    """Merge or rename: `agency` stops, `into` carries its open work and its people.

    Closed work keeps the old agency and the name it had; open assignments move to the
    successor as new assignments linked to the old ones, so the trail stays readable.
    `by` is None only for data migrations and the demo loader.
    """
    from phoihop.cases.models import Assignment

    if by is not None:
        policy.require(by, "agency.manage")
    if agency.pk == into.pk:
        raise ValidationError({"successor": _("Không thể sáp nhập một cơ quan vào chính nó.")})
    if not into.is_active:
        raise ValidationError({"successor": _("Cơ quan kế nhiệm phải đang hoạt động.")})
    if into.current.pk == agency.pk:
        raise ValidationError({"successor": _("Cơ quan kế nhiệm tạo thành vòng lặp.")})
    if not agency.is_active:
        raise ValidationError({"agency": _("Cơ quan này đã ngừng hoạt động.")})

    moved = []
    for old in Assignment.objects.select_for_update().filter(
        agency=agency, state__in=Assignment.OPEN_STATES
    ):
        state = old.state
        old.state = Assignment.State.TRANSFERRED
        old.completed_at = timezone.now()
        old.save(update_fields=["state", "completed_at"])
        new = Assignment.objects.create(
            issue=old.issue,
            agency=into,
            agency_name=into.name,
            role=old.role,
            state=state,
            deadline=old.deadline,
            assigned_by=old.assigned_by,
            accepted_at=old.accepted_at,
            transferred_from=old,
        )
        audit.record(
            actor=by,
            action="assignment.transfer",
            target=new,
            scope=f"issue:{old.issue_id}",
            before={"agency": agency.name},
            after={"agency": into.name},
            previous=old.pk,
        )
        moved.append(new.pk)

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
        moved_assignments=moved,
    )
    return into


@transaction.atomic
def membership_grant(*, user: User, agency: Agency, role: str, by: User | None) -> Membership:
    if by is not None:
        policy.require(by, "agency.manage")
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
