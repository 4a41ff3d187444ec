"""Orientation guidance to the reporter network: drafted, co-signed, issued, acknowledged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.core import audit, policy
from phoihop.core.models import Agency, User
from phoihop.programme import inputs, permissions
from phoihop.programme.models import (
    Guidance,
    GuidanceRecipient,
    NetworkMember,
    Resolution,
)


@transaction.atomic
def guidance_create(
    *,
    by: User,
    title: str,
    key_messages: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    topic: str = "",
    explanation: str = "",
    links: str = "",
    issue: Issue | None = None,
    resolution: Resolution | None = None,
) -> Guidance:
    """Draft orientation guidance (by the Propaganda Department)."""
    policy.require(by, "programme.guidance_create")
    title = inputs.required(title, "title", _("Cần nhập tiêu đề định hướng."))
    key_messages = (key_messages or "").strip()
    if not key_messages:
        raise ValidationError({"key_messages": _("Cần nêu ít nhất một thông điệp chính.")})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(
            {"valid_until": _("Ngày hết hiệu lực không được trước ngày bắt đầu.")}
        )
    agency = permissions.propaganda_agency()
    assert agency is not None  # guaranteed by the permission
    guidance = Guidance.objects.create(
        title=title,
        topic=inputs.text(topic),
        key_messages=key_messages,
        explanation=(explanation or "").strip(),
        links=(links or "").strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        issue=issue,
        resolution=resolution,
        sender_agency=agency,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="guidance.create",
        target=guidance,
        scope=f"guidance:{guidance.pk}",
        resolution=resolution.number if resolution else None,
    )
    return guidance


@transaction.atomic
def guidance_cosign(*, by: User, guidance: Guidance) -> Guidance:
    """The HĐND staff co-sign guidance that explains a council resolution."""
    policy.require(by, "programme.guidance_cosign", guidance)
    if guidance.resolution_id is None:
        raise ValidationError(_("Chỉ định hướng giải thích nghị quyết HĐND mới cần đồng ký."))
    if guidance.state != Guidance.State.DRAFT:
        raise ValidationError(_("Định hướng đã phát hành, không cần đồng ký nữa."))
    if guidance.cosigned_at is not None:
        raise ValidationError(_("Định hướng đã được đồng ký."))
    guidance.cosigned_by = by
    guidance.cosigned_at = timezone.now()
    guidance.save(update_fields=["cosigned_by", "cosigned_at"])
    audit.record(
        actor=by, action="guidance.cosign", target=guidance, scope=f"guidance:{guidance.pk}"
    )
    return guidance


@transaction.atomic
def guidance_issue(
    *, by: User, guidance: Guidance, kinds: Iterable[str] = (), agencies: Iterable[Agency] = ()
) -> Guidance:
    """Send the guidance to the active network members (optionally only some kinds or agencies)."""
    policy.require(by, "programme.guidance_issue", guidance)
    if guidance.state != Guidance.State.DRAFT:
        raise ValidationError(_("Định hướng đã được phát hành."))
    if guidance.needs_cosign:
        raise ValidationError(
            _("Định hướng giải thích nghị quyết cần Thường trực HĐND đồng ký trước khi phát hành.")
        )
    members = NetworkMember.objects.filter(is_active=True)
    kinds = list(kinds)
    agency_list = list(agencies)
    if kinds:
        members = members.filter(kind__in=kinds)
    if agency_list:
        members = members.filter(agency__in=agency_list)
    recipients = [GuidanceRecipient(guidance=guidance, member=m) for m in members]
    if not recipients:
        raise ValidationError(_("Không có thành viên mạng lưới nào để gửi định hướng."))
    GuidanceRecipient.objects.bulk_create(recipients)
    guidance.state = Guidance.State.ISSUED
    guidance.issued_by = by
    guidance.issued_at = timezone.now()
    guidance.save(update_fields=["state", "issued_by", "issued_at"])
    audit.record(
        actor=by,
        action="guidance.issue",
        target=guidance,
        scope=f"guidance:{guidance.pk}",
        before={"state": Guidance.State.DRAFT},
        after={"state": guidance.state},
        recipients=len(recipients),
    )
    return guidance


@transaction.atomic
def guidance_acknowledge(*, by: User, recipient: GuidanceRecipient) -> GuidanceRecipient:
    """The recipient confirms they received the guidance (once; repeating changes nothing)."""
    policy.require(by, "programme.guidance_acknowledge", recipient)
    if recipient.acknowledged_at is not None:
        return recipient
    recipient.acknowledged_at = timezone.now()
    recipient.save(update_fields=["acknowledged_at"])
    audit.record(
        actor=by,
        action="guidance.acknowledge",
        target=recipient.guidance,
        scope=f"guidance:{recipient.guidance_id}",
        member=by.username,
    )
    return recipient
