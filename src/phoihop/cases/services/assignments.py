"""The work given to agencies: assigned, accepted, returned, answered; moved to the successor
of a merged agency."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import attachments, deadlines, hooks, states
from phoihop.cases.models import Assignment, Issue, Response
from phoihop.cases.services._common import S, _grant, _move, _scope
from phoihop.core import audit, policy
from phoihop.core.models import Agency, Membership, User
from phoihop.triage.normalize import normalize_text


@transaction.atomic
def issue_assign(
    *,
    issue: Issue,
    by: User,
    agency: Agency,
    role: str = Assignment.Role.LEAD,
    deadline: dt.date | None = None,
) -> Assignment:
    """Give the issue to an agency, as lead or support, with a deadline in working days.

    Assigning the lead moves the issue «Phân loại» → «Đã giao»; this is also how a returned
    issue is re-routed. Supporting agencies can be added while the issue is being handled.
    """
    policy.require(by, "cases.issue_assign", issue)
    if role not in Assignment.Role.values:
        raise ValidationError({"role": _("Vai trò giao xử lý không hợp lệ.")})
    if not agency.is_active:
        successor = agency.current
        raise ValidationError(
            {
                "agency": _("Cơ quan «%(old)s» đã ngừng hoạt động; hãy giao cho «%(new)s».")
                % {"old": agency.name, "new": successor.name}
            }
        )
    if issue.assignments.filter(agency=agency, state__in=Assignment.OPEN_STATES).exists():
        raise ValidationError({"agency": _("Cơ quan này đang được giao vấn đề này.")})
    today = timezone.localdate()
    if deadline is None:
        deadline = deadlines.assignment_deadline(issue=issue, role=role, start=today)
    elif deadline < today:
        raise ValidationError({"deadline": _("Hạn xử lý không được trước ngày hôm nay.")})
    if role == Assignment.Role.LEAD:
        states.check(issue, S.ASSIGNED, "assign")
    elif issue.state not in (S.ASSIGNED, S.IN_PROGRESS):
        raise ValidationError(
            {"role": _("Chỉ giao cơ quan phối hợp khi vấn đề đã có cơ quan chủ trì.")}
        )
    assignment = Assignment.objects.create(
        issue=issue,
        agency=agency,
        agency_name=agency.name,
        role=role,
        deadline=deadline,
        assigned_by=by,
    )
    audit.record(
        actor=by,
        action="assignment.create",
        target=assignment,
        scope=_scope(issue),
        after=audit.snapshot(assignment, ("agency", "role", "deadline", "state")),
        agency=agency.name,
    )
    if issue.visibility == Issue.Visibility.CONFIDENTIAL:
        # The assigned agency's leaders are cleared by name; they may clear their handlers.
        leaders = User.objects.filter(
            memberships__agency=agency,
            memberships__role=Membership.Role.LEADER,
            memberships__is_active=True,
        ).distinct()
        for leader in leaders:
            _grant(issue=issue, by=by, user=leader)
    if role == Assignment.Role.LEAD:
        _move(issue, to=S.ASSIGNED, action="assign", by=by, agency=agency.name)
    for hook in hooks.assignment_created:
        hook(assignment)
    return assignment


def _require_open(assignment: Assignment) -> None:
    if not assignment.is_open:
        raise ValidationError(
            _("Việc giao cho «%(agency)s» đang ở trạng thái «%(state)s», không thể thao tác.")
            % {"agency": assignment.agency_name, "state": assignment.get_state_display()}
        )


@transaction.atomic
def assignment_accept(*, assignment: Assignment, by: User) -> Assignment:
    """The agency takes the work on; for the lead, the issue becomes «Đang xử lý»."""
    policy.require(by, "cases.assignment_accept", assignment)
    if assignment.state != Assignment.State.PENDING:
        raise ValidationError(_("Chỉ tiếp nhận được việc đang chờ tiếp nhận."))
    issue = assignment.issue
    if assignment.role == Assignment.Role.LEAD:
        states.check(issue, S.IN_PROGRESS, "accept")
    assignment.state = Assignment.State.ACCEPTED
    assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["state", "accepted_at"])
    audit.record(
        actor=by,
        action="assignment.accept",
        target=assignment,
        scope=_scope(issue),
        before={"state": Assignment.State.PENDING},
        after={"state": assignment.state},
    )
    if assignment.role == Assignment.Role.LEAD:
        _move(issue, to=S.IN_PROGRESS, action="accept", by=by)
    return assignment


@transaction.atomic
def assignment_return(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    """The agency says the issue is not in its competence; the coordinator re-routes it."""
    policy.require(by, "cases.assignment_return", assignment)
    _require_open(assignment)
    reason = normalize_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do trả lại.")})
    before = assignment.state
    assignment.state = Assignment.State.RETURNED
    assignment.return_reason = reason
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["state", "return_reason", "completed_at"])
    audit.record(
        actor=by,
        action="assignment.return",
        target=assignment,
        scope=_scope(assignment.issue),
        before={"state": before},
        after={"state": assignment.state},
        reason=reason,
    )
    if assignment.role == Assignment.Role.LEAD:
        _move(assignment.issue, to=S.CLASSIFIED, action="return", by=by, reason=reason)
    for hook in hooks.assignment_returned:
        hook(assignment)
    return assignment


@transaction.atomic
def assignment_respond(
    *,
    assignment: Assignment,
    by: User,
    text: str,
    attachment: UploadedFile | None = None,
) -> Response:
    """The agency gives its opinion or result, optionally with a document (the signed
    official letter as PDF). A supporting agency's work is then done; the lead's response
    is the draft its leader approves as the official answer."""
    policy.require(by, "cases.assignment_respond", assignment)
    _require_open(assignment)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Cần nhập nội dung ý kiến.")})
    stored = attachments.check(attachment) if attachment else None
    if assignment.state == Assignment.State.PENDING:
        assignment_accept(assignment=assignment, by=by)
    response = Response(assignment=assignment, author=by, text=text)
    if attachment and stored:
        response.attachment.save(stored[0], attachment, save=False)
        response.attachment_name = stored[1]
    response.save()
    if assignment.role == Assignment.Role.SUPPORT:
        assignment.state = Assignment.State.RESPONDED
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["state", "completed_at"])
    audit.record(
        actor=by,
        action="assignment.respond",
        target=assignment,
        scope=_scope(assignment.issue),
        after={"state": assignment.state},
        response=response.pk,
        attachment=response.attachment_name,
    )
    if assignment.role == Assignment.Role.LEAD:
        for hook in hooks.answer_awaiting_approval:
            hook(response)
    return response


@transaction.atomic
def assignments_move_to_successor(
    *, agency: Agency, into: Agency, by: User | None
) -> dict[str, list[int]]:
    """An agency merged into `into` (core's `agency_merged` hook): its open assignments move
    to the successor as new assignments linked to the old ones, so the trail stays readable;
    closed ones keep the old agency and the name it had."""
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
    return {"moved_assignments": moved}
