"""Editing and cancelling what the programme records: tasks, meetings, guidance drafts, key
projects, exemplary models and commendation proposals. Each change is audited with the
fields before and after; a cancellation keeps the record with its reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.programme import hooks, plan_services
from phoihop.programme.models import (
    CommendationProposal,
    ExemplaryModel,
    Guidance,
    KeyProject,
    Meeting,
    Task,
)
from phoihop.triage.normalize import normalize_text

TASK_EDITABLE = ("title", "description", "expected_output", "due_on", "lead_agency", "area")
MEETING_EDITABLE = ("title", "held_on", "agenda", "attendee_names")
GUIDANCE_EDITABLE = (
    "title",
    "topic",
    "key_messages",
    "explanation",
    "links",
    "valid_from",
    "valid_until",
    "resolution",
)
EXEMPLARY_EDITABLE = ("name", "kind", "place", "field", "achievements", "evidence", "article_links")
COMMENDATION_EDITABLE = ("nominee", "nominee_kind", "achievements", "evidence", "form", "year")
REQUIRED: dict[str, str] = {
    "title": "Cần nhập tiêu đề.",
    "name": "Cần nhập tên.",
    "key_messages": "Cần nhập thông điệp chính.",
    "achievements": "Cần nêu thành tích.",
    "nominee": "Cần nhập tập thể, cá nhân được đề nghị.",
    "form": "Cần nhập hình thức khen thưởng.",
}


def _value(obj: models.Model, field: str) -> Any:
    value = getattr(obj, field)
    return str(value) if isinstance(value, models.Model) else value


def _snapshot(obj: models.Model, fields: Iterable[str], m2m: Iterable[str]) -> dict[str, Any]:
    data = audit.snapshot(obj, fields)
    for name in m2m:
        data[name] = sorted(str(o) for o in getattr(obj, name).all())
    return data


def _edit(
    *,
    by: User,
    obj: models.Model,
    editable: tuple[str, ...],
    changes: dict[str, Any],
    action: str,
    scope: str,
    m2m: tuple[str, ...] = (),
    check: Callable[[models.Model], None] | None = None,
) -> models.Model:
    unknown = set(changes) - {*editable, *m2m}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    errors: dict[str, str] = {}
    for field, value in changes.items():
        if isinstance(value, str):
            value = value.strip() if "\n" in value else normalize_text(value)
            changes[field] = value
        if field in REQUIRED and not value:
            errors[field] = _(REQUIRED[field])
    if errors:
        raise ValidationError(errors)
    before = _snapshot(obj, editable, m2m)
    for field in editable:
        if field in changes:
            setattr(obj, field, changes[field])
    if check is not None:
        check(obj)
    obj.save()
    for name in m2m:
        if name in changes:
            getattr(obj, name).set(list(changes[name]))
    after = _snapshot(obj, editable, m2m)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        audit.record(
            actor=by,
            action=action,
            target=obj,
            scope=scope,
            before={k: before.get(k) for k in changed},
            after=changed,
        )
    return obj


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do hủy.")})
    return reason


def _cancel(*, by: User, obj: Any, reason: str, action: str, scope: str) -> None:
    if obj.cancelled_at is not None:
        raise ValidationError(_("Đã hủy từ trước."))
    reason = _reason(reason)
    obj.cancelled_at = timezone.now()
    obj.cancel_reason = reason
    obj.save(update_fields=["cancelled_at", "cancel_reason"])
    audit.record(actor=by, action=action, target=obj, scope=scope, reason=obj.cancel_reason)


# --- tasks ------------------------------------------------------------------------------------


@transaction.atomic
def task_update(*, by: User, task: Task, **changes: Any) -> Task:
    """Coordinators correct a task (title, deadline, agencies…) while it is open."""
    policy.require(by, "programme.manage")
    if task.status == Task.Status.CANCELLED:
        raise ValidationError(_("Nhiệm vụ đã dừng thực hiện, không sửa được."))
    _edit(
        by=by,
        obj=task,
        editable=TASK_EDITABLE,
        m2m=("coordinating_agencies",),
        changes=changes,
        action="task.update",
        scope=f"task:{task.pk}",
    )
    return task


def task_cancel(*, by: User, task: Task, reason: str) -> Task:
    return plan_services.task_cancel(by=by, task=task, reason=reason)


# --- meetings ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_update(*, by: User, meeting: Meeting, **changes: Any) -> Meeting:
    policy.require(by, "programme.manage")
    if meeting.cancelled_at is not None:
        raise ValidationError(_("Cuộc họp đã hủy, không sửa được."))
    _edit(
        by=by,
        obj=meeting,
        editable=MEETING_EDITABLE,
        m2m=("attendees",),
        changes=changes,
        action="meeting.update",
        scope=f"meeting:{meeting.pk}",
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, by: User, meeting: Meeting, reason: str) -> Meeting:
    """A meeting that did not take place; tasks already made from its decisions stay."""
    policy.require(by, "programme.manage")
    _cancel(
        by=by, obj=meeting, reason=reason, action="meeting.cancel", scope=f"meeting:{meeting.pk}"
    )
    return meeting


# --- guidance drafts ----------------------------------------------------------------------------


def _guidance_dates(guidance: models.Model) -> None:
    assert isinstance(guidance, Guidance)
    if guidance.valid_until is not None and guidance.valid_until < guidance.valid_from:
        raise ValidationError({"valid_until": _("Ngày hết hiệu lực phải sau ngày bắt đầu.")})


@transaction.atomic
def guidance_update(*, by: User, guidance: Guidance, **changes: Any) -> Guidance:
    """Only a draft is edited; changing the resolution or the text asks for the co-sign again."""
    policy.require(by, "programme.guidance_create")
    if guidance.state != Guidance.State.DRAFT:
        raise ValidationError(_("Chỉ sửa được định hướng còn là dự thảo."))
    _edit(
        by=by,
        obj=guidance,
        editable=GUIDANCE_EDITABLE,
        changes=changes,
        action="guidance.update",
        scope=f"guidance:{guidance.pk}",
        check=_guidance_dates,
    )
    if guidance.cosigned_at is not None and changes:
        guidance.cosigned_at = None
        guidance.cosigned_by = None
        guidance.save(update_fields=["cosigned_at", "cosigned_by"])
    return guidance


@transaction.atomic
def guidance_withdraw(*, by: User, guidance: Guidance, reason: str) -> Guidance:
    """Cancel a draft, or withdraw issued guidance (recipients keep what they acknowledged)."""
    policy.require(by, "programme.guidance_issue")
    if guidance.state == Guidance.State.WITHDRAWN:
        raise ValidationError(_("Định hướng đã được thu hồi."))
    reason = _reason(reason)
    before = guidance.state
    guidance.state = Guidance.State.WITHDRAWN
    guidance.save(update_fields=["state"])
    audit.record(
        actor=by,
        action="guidance.withdraw",
        target=guidance,
        scope=f"guidance:{guidance.pk}",
        before={"state": before},
        after={"state": guidance.state},
        reason=reason,
    )
    return guidance


# --- key projects -------------------------------------------------------------------------------


@transaction.atomic
def project_cancel(*, by: User, project: KeyProject, reason: str) -> KeyProject:
    """Stop watching a project (cancelled or finished); its links and briefs stay."""
    policy.require(by, "programme.manage")
    _cancel(
        by=by, obj=project, reason=reason, action="project.cancel", scope=f"project:{project.pk}"
    )
    return project


# --- exemplary models ---------------------------------------------------------------------------


def _may_edit_exemplary(by: User, model: ExemplaryModel) -> None:
    policy.require(by, "programme.exemplary_edit", model)
    if model.cancelled_at is not None:
        raise ValidationError(_("Điển hình đã hủy, không sửa được."))


@transaction.atomic
def exemplary_update(*, by: User, model: ExemplaryModel, **changes: Any) -> ExemplaryModel:
    """The proposing agency corrects its model; a model already reviewed is reviewed again."""
    _may_edit_exemplary(by, model)
    if "kind" in changes and changes["kind"] not in ExemplaryModel.Kind.values:
        raise ValidationError({"kind": _("Loại điển hình không hợp lệ.")})
    _edit(
        by=by,
        obj=model,
        editable=EXEMPLARY_EDITABLE,
        changes=changes,
        action="exemplary.update",
        scope="exemplary",
    )
    if model.review == ExemplaryModel.Review.REJECTED:
        model.review = ExemplaryModel.Review.PENDING
        model.save(update_fields=["review"])
    return model


@transaction.atomic
def exemplary_cancel(*, by: User, model: ExemplaryModel, reason: str) -> ExemplaryModel:
    _may_edit_exemplary(by, model)
    _cancel(by=by, obj=model, reason=reason, action="exemplary.cancel", scope="exemplary")
    return model


@transaction.atomic
def exemplary_review(
    *, by: User, model: ExemplaryModel, approve: bool, note: str = ""
) -> ExemplaryModel:
    """Coordinators recognise a model (then the portal drafts an article about it) or not."""
    policy.require(by, "programme.manage")
    if model.cancelled_at is not None:
        raise ValidationError(_("Điển hình đã hủy."))
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Cần nêu lý do không công nhận.")})
    before = model.review
    model.review = ExemplaryModel.Review.APPROVED if approve else ExemplaryModel.Review.REJECTED
    model.reviewed_by = by
    model.reviewed_at = timezone.now()
    model.review_note = note
    model.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
    audit.record(
        actor=by,
        action="exemplary.review",
        target=model,
        scope="exemplary",
        before={"review": before},
        after={"review": model.review},
        note=note,
    )
    if approve and not model.portal_url:
        for hook in hooks.exemplary_approved:
            url = hook(model, by)
            if url:
                model.portal_url = url[:500]
                model.save(update_fields=["portal_url"])
    return model


# --- commendation proposals ---------------------------------------------------------------------


@transaction.atomic
def commendation_update(
    *, by: User, proposal: CommendationProposal, **changes: Any
) -> CommendationProposal:
    """The proposing agency corrects its proposal while it is a draft."""
    policy.require(by, "programme.commendation_edit", proposal)
    if proposal.state != CommendationProposal.State.DRAFT:
        raise ValidationError(_("Chỉ sửa được đề xuất chưa trình."))
    if "nominee_kind" in changes and (
        changes["nominee_kind"] not in CommendationProposal.NomineeKind.values
    ):
        raise ValidationError({"nominee_kind": _("Loại không hợp lệ.")})
    _edit(
        by=by,
        obj=proposal,
        editable=COMMENDATION_EDITABLE,
        changes=changes,
        action="commendation.update",
        scope=f"commendation:{proposal.pk}",
    )
    return proposal


@transaction.atomic
def commendation_withdraw(
    *, by: User, proposal: CommendationProposal, reason: str
) -> CommendationProposal:
    """The proposing agency withdraws a proposal not yet decided."""
    policy.require(by, "programme.commendation_edit", proposal)
    S = CommendationProposal.State
    if proposal.state not in (S.DRAFT, S.SUBMITTED, S.REVIEWED):
        raise ValidationError(_("Đề xuất đã có quyết định, không rút được."))
    reason = _reason(reason)
    before = proposal.state
    proposal.state = S.WITHDRAWN
    proposal.reason = reason
    proposal.save(update_fields=["state", "reason"])
    audit.record(
        actor=by,
        action="commendation.withdraw",
        target=proposal,
        scope=f"commendation:{proposal.pk}",
        before={"state": before},
        after={"state": proposal.state},
        reason=proposal.reason,
    )
    return proposal
