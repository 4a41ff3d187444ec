"""Every change to issues and assignments: one function per verb, atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import attachments, deadlines, hooks, states
from phoihop.cases.models import Assignment, Issue, IssueClearance, ResolutionFeedback, Response
from phoihop.cases.selectors import is_publicly_answered
from phoihop.core import audit, policy
from phoihop.core.models import AdministrativeUnit, Agency, Field, Membership, User
from phoihop.core.selectors import working_calendar
from phoihop.triage.normalize import fold, normalize_text

S = Issue.State
ISSUE_FIELDS = (
    "title",
    "short_title",
    "description",
    "field",
    "place",
    "urgency",
    "visibility",
    "competence",
    "state",
)


def _scope(issue: Issue) -> str:
    return f"issue:{issue.pk}"


def _search_text(title: str, description: str) -> str:
    return fold(f"{title} {description}")


def _next_code(year: int) -> str:
    prefix = f"VD-{year}-"
    last = (
        Issue.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
    ).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def _move(issue: Issue, *, to: str, action: str, by: User | None, **data: object) -> None:
    states.check(issue, to, action)
    before = issue.state
    was_public = is_publicly_answered(issue)
    issue.state = to
    issue.save(update_fields=["state", "updated_at"])
    if was_public or is_publicly_answered(issue):  # published, closed, reopened, merged away
        hooks.announce_public_content_changed(issue)
    audit.record(
        actor=by,
        action=f"issue.{action}",
        target=issue,
        scope=_scope(issue),
        before={"state": before},
        after={"state": to},
        **data,
    )


@transaction.atomic
def issue_create(
    *,
    by: User,
    title: str,
    description: str = "",
    field: Field | None = None,
    place: AdministrativeUnit | None = None,
    urgency: str = Issue.Urgency.NORMAL,
    visibility: str = Issue.Visibility.INTERNAL,
    received_on: dt.date | None = None,
    short_title: str = "",
) -> Issue:
    """Record a new issue in the state «Tiếp nhận»."""
    policy.require(by, "cases.issue_create")
    title = normalize_text(title)
    description = normalize_text(description) if description else ""
    if not title:
        raise ValidationError({"title": _("Cần nhập tiêu đề vấn đề.")})
    if urgency not in Issue.Urgency.values:
        raise ValidationError({"urgency": _("Độ khẩn không hợp lệ.")})
    if visibility not in Issue.Visibility.values:
        raise ValidationError({"visibility": _("Mức độ công khai không hợp lệ.")})
    received = received_on or timezone.localdate()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                issue = Issue.objects.create(
                    code=_next_code(received.year),
                    title=title,
                    short_title=normalize_text(short_title) if short_title else "",
                    description=description,
                    field=field,
                    place=place,
                    urgency=urgency,
                    visibility=visibility,
                    received_on=received,
                    regime=deadlines.feedback_regime(),
                    created_by=by,
                    search_text=_search_text(title, description),
                )
            break
        except IntegrityError:
            continue  # two creations raced for the same code: take the next one
    else:
        raise ValidationError(_("Không cấp được mã vấn đề, vui lòng thử lại."))
    if visibility == Issue.Visibility.CONFIDENTIAL:
        IssueClearance.objects.create(issue=issue, user=by, granted_by=by)
    audit.record(
        actor=by,
        action="issue.create",
        target=issue,
        scope=_scope(issue),
        after=audit.snapshot(issue, ISSUE_FIELDS),
    )
    for hook in hooks.issue_created:
        hook(issue)
    return issue


@transaction.atomic
def issue_register(
    *,
    by: User,
    title: str,
    short_title: str = "",
    description: str = "",
    field: Field | None = None,
    place: AdministrativeUnit | None = None,
    urgency: str = Issue.Urgency.NORMAL,
    visibility: str = Issue.Visibility.INTERNAL,
    received_on: dt.date | None = None,
    lead: Agency | None = None,
    deadline: dt.date | None = None,
) -> Issue:
    """A manual entry in one step: record the issue, classify it when the field is known,
    and assign the lead agency when one is named. All or nothing."""
    if lead is not None and field is None:
        raise ValidationError({"field": _("Cần chọn lĩnh vực trước khi giao cơ quan chủ trì.")})
    if deadline is not None and lead is None:
        raise ValidationError({"lead": _("Cần chọn cơ quan chủ trì cho hạn xử lý đã nhập.")})
    if received_on is not None and received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Ngày tiếp nhận không được sau hôm nay.")})
    issue = issue_create(
        by=by,
        title=title,
        description=description,
        field=field,
        place=place,
        urgency=urgency,
        visibility=visibility,
        received_on=received_on,
        short_title=short_title,
    )
    if field is not None:
        issue_classify(issue=issue, by=by, field=field)
    if lead is not None:
        issue_assign(issue=issue, by=by, agency=lead, deadline=deadline)
    return issue


@transaction.atomic
def issue_classify(
    *,
    issue: Issue,
    by: User,
    field: Field,
    urgency: str | None = None,
    visibility: str | None = None,
    place: AdministrativeUnit | None = None,
    competence: str | None = None,
) -> Issue:
    """Set the field (and optionally urgency, visibility, place, competence level):
    «Tiếp nhận» → «Phân loại»."""
    policy.require(by, "cases.issue_classify", issue)
    if field is None:
        raise ValidationError({"field": _("Cần chọn lĩnh vực.")})
    before = audit.snapshot(issue, ISSUE_FIELDS)
    states.check(issue, S.CLASSIFIED, "classify")
    issue.field = field
    if urgency:
        if urgency not in Issue.Urgency.values:
            raise ValidationError({"urgency": _("Độ khẩn không hợp lệ.")})
        issue.urgency = urgency
    if visibility:
        if visibility not in Issue.Visibility.values:
            raise ValidationError({"visibility": _("Mức độ công khai không hợp lệ.")})
        issue.visibility = visibility
    if place is not None:
        issue.place = place
    if competence:
        if competence not in Issue.Competence.values:
            raise ValidationError({"competence": _("Cấp thẩm quyền không hợp lệ.")})
        issue.competence = competence
    issue.state = S.CLASSIFIED
    issue.save()
    audit.record(
        actor=by,
        action="issue.classify",
        target=issue,
        scope=_scope(issue),
        before=before,
        after=audit.snapshot(issue, ISSUE_FIELDS),
    )
    return issue


@transaction.atomic
def issue_edit(
    *,
    issue: Issue,
    by: User,
    title: str,
    short_title: str = "",
    field: Field | None = None,
    place: AdministrativeUnit | None = None,
    urgency: str = Issue.Urgency.NORMAL,
    visibility: str = Issue.Visibility.INTERNAL,
) -> Issue:
    """Correct what classification or triage got wrong, in any state but closed: title,
    short title, field, commune, urgency and visibility. Audited field by field."""
    policy.require(by, "cases.issue_edit", issue)
    if issue.state in (S.RECEIVED, S.CLOSED):
        raise ValidationError(
            _("Vấn đề %(code)s đang ở trạng thái «%(state)s»: không sửa thông tin được.")
            % {"code": issue.code, "state": issue.get_state_display()}
        )
    title = normalize_text(title or "")
    short_title = normalize_text(short_title or "")
    if not title:
        raise ValidationError({"title": _("Cần nhập tiêu đề vấn đề.")})
    if field is None:
        raise ValidationError({"field": _("Vấn đề đã phân loại cần có lĩnh vực.")})
    if urgency not in Issue.Urgency.values:
        raise ValidationError({"urgency": _("Độ khẩn không hợp lệ.")})
    if visibility not in Issue.Visibility.values:
        raise ValidationError({"visibility": _("Mức độ công khai không hợp lệ.")})
    if issue.state == S.PUBLISHED and visibility != Issue.Visibility.PUBLIC:
        raise ValidationError(
            {"visibility": _("Trả lời đã đăng công khai: không chuyển vấn đề về nội bộ, mật.")}
        )
    before = audit.snapshot(issue, ISSUE_FIELDS)
    issue.title = title
    issue.short_title = short_title
    issue.field = field
    issue.place = place
    issue.urgency = urgency
    issue.visibility = visibility
    issue.search_text = _search_text(title, issue.description)
    after = audit.snapshot(issue, ISSUE_FIELDS)
    changed = [name for name in ISSUE_FIELDS if before.get(name) != after.get(name)]
    if not changed:
        return issue
    issue.save()
    if is_publicly_answered(issue):  # its title is on the portal
        hooks.announce_public_content_changed(issue)
    if visibility == Issue.Visibility.CONFIDENTIAL:
        _grant(issue=issue, by=by, user=by)
    audit.record(
        actor=by,
        action="issue.edit",
        target=issue,
        scope=_scope(issue),
        before={name: before.get(name) for name in changed},
        after={name: after.get(name) for name in changed},
    )
    return issue


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
def issue_answer(
    *,
    issue: Issue,
    by: User,
    text: str,
    outcome: str = Issue.Outcome.RESOLVED,
    roadmap: str = "",
) -> Issue:
    """A leader of the lead agency approves the one official answer: «Đã trả lời».

    The outcome class (resolved, explained, being resolved with its roadmap, not yet
    resolved) is what the report on answering voters' petitions counts.
    """
    policy.require(by, "cases.issue_answer", issue)
    text = (text or "").strip()
    roadmap = (roadmap or "").strip()
    if not text:
        raise ValidationError({"text": _("Cần nhập nội dung trả lời chính thức.")})
    if outcome not in Issue.Outcome.values:
        raise ValidationError({"outcome": _("Kết quả giải quyết không hợp lệ.")})
    if outcome == Issue.Outcome.IN_PROGRESS and not roadmap:
        raise ValidationError({"roadmap": _("Cần nêu lộ trình khi vấn đề đang được giải quyết.")})
    states.check(issue, S.ANSWERED, "answer")
    lead = issue.lead_assignment
    assert lead is not None  # guaranteed by the policy
    now = timezone.now()
    lead.state = Assignment.State.RESPONDED
    lead.completed_at = now
    lead.save(update_fields=["state", "completed_at"])
    issue.answer = text
    issue.outcome = outcome
    issue.roadmap = roadmap
    issue.answered_at = now
    issue.answered_by = by
    issue.save(
        update_fields=["answer", "outcome", "roadmap", "answered_at", "answered_by", "updated_at"]
    )
    _move(issue, to=S.ANSWERED, action="answer", by=by, answer=text, outcome=outcome)
    for hook in hooks.issue_answered:
        hook(issue)
    return issue


@transaction.atomic
def issue_publish(*, issue: Issue, by: User) -> Issue:
    """Put the answer of a public issue on the portal: «Đã công khai»."""
    policy.require(by, "cases.issue_publish", issue)
    if issue.visibility != Issue.Visibility.PUBLIC:
        raise ValidationError(
            {"visibility": _("Chỉ vấn đề có mức độ «Công khai» mới được đăng công khai.")}
        )
    states.check(issue, S.PUBLISHED, "publish")
    issue.published_at = timezone.now()
    issue.save(update_fields=["published_at", "updated_at"])
    _move(issue, to=S.PUBLISHED, action="publish", by=by)
    for hook in hooks.issue_published:
        hook(issue)
    return issue


@transaction.atomic
def issue_close(*, issue: Issue, by: User) -> Issue:
    """Close an answered (or published) issue: «Đóng»."""
    policy.require(by, "cases.issue_close", issue)
    states.check(issue, S.CLOSED, "close")
    issue.closed_at = timezone.now()
    issue.save(update_fields=["closed_at", "updated_at"])
    _move(issue, to=S.CLOSED, action="close", by=by)
    return issue


def _grant(*, issue: Issue, by: User, user: User) -> None:
    _clearance, created = IssueClearance.objects.get_or_create(
        issue=issue, user=user, defaults={"granted_by": by}
    )
    if created:
        audit.record(
            actor=by,
            action="issue.grant_clearance",
            target=issue,
            scope=_scope(issue),
            user=user.username,
        )


@transaction.atomic
def issue_grant_clearance(*, issue: Issue, by: User, user: User) -> None:
    """Name one more person who may see a confidential issue."""
    policy.require(by, "cases.issue_grant_clearance", issue)
    if issue.visibility != Issue.Visibility.CONFIDENTIAL:
        raise ValidationError(_("Chỉ cần cấp quyền xem cho vấn đề mật."))
    _grant(issue=issue, by=by, user=user)


@transaction.atomic
def escalate_overdue(*, today: dt.date | None = None) -> int:
    """Escalate, once each, open assignments past their deadline: the coordinators' overdue
    list shows them and the issue's timeline records it. Returns how many were escalated."""
    today = today or timezone.localdate()
    overdue = (
        Assignment.objects.select_for_update()
        .filter(state__in=Assignment.OPEN_STATES, deadline__lt=today, escalated_at__isnull=True)
        .select_related("issue")
        .order_by("id")
    )
    count = 0
    for assignment in overdue:
        assignment.escalated_at = timezone.now()
        assignment.save(update_fields=["escalated_at"])
        audit.record(
            actor=None,
            action="assignment.escalate",
            target=assignment,
            scope=_scope(assignment.issue),
            agency=assignment.agency_name,
            deadline=assignment.deadline.strftime("%d/%m/%Y"),
        )
        for hook in hooks.assignment_overdue:
            hook(assignment)
        count += 1
    return count


DUE_SOON_WORKING_DAYS = 2


@transaction.atomic
def announce_due_soon(*, today: dt.date | None = None) -> int:
    """Tell the subscribers about each open assignment due within two working days (from
    today up to the second working day after it); run daily. Subscribers keep their own
    «once per assignment and deadline». Returns how many were announced."""
    today = today or timezone.localdate()
    horizon = working_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    due = (
        Assignment.objects.filter(
            state__in=Assignment.OPEN_STATES, deadline__gte=today, deadline__lte=horizon
        )
        .select_related("issue", "agency")
        .order_by("id")
    )
    count = 0
    for assignment in due:
        for hook in hooks.assignment_due_soon:
            hook(assignment)
        count += 1
    return count


@transaction.atomic
def issue_merge(*, source: Issue, target: Issue, by: User) -> Issue:
    """Staff find that `source` says the same as `target`: its signals join `target`, its
    open work is cancelled, and it closes pointing at `target`. Nothing is deleted."""
    policy.require(by, "cases.issue_merge", source)
    policy.require(by, "cases.issue_merge", target)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Không thể gộp một vấn đề vào chính nó.")})
    if target.state == S.CLOSED:
        raise ValidationError({"target": _("Vấn đề %s đã đóng.") % target.code})
    states.check(source, S.CLOSED, "merge")
    for hook in hooks.issue_merged:
        hook(target, source)  # before the signals move: subscribers read both issues as they were
    moved = list(source.signals.values_list("pk", flat=True))
    source.signals.update(issue=target)
    for assignment in source.assignments.filter(state__in=Assignment.OPEN_STATES):
        assignment.state = Assignment.State.CANCELLED
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["state", "completed_at"])
        audit.record(
            actor=by,
            action="assignment.cancel",
            target=assignment,
            scope=_scope(source),
            reason=f"gộp vào {target.code}",
        )
    source.merged_into = target
    source.closed_at = timezone.now()
    source.save(update_fields=["merged_into", "closed_at", "updated_at"])
    _move(source, to=S.CLOSED, action="merge", by=by, into=target.code, signals=moved)
    audit.record(
        actor=by,
        action="issue.absorb",
        target=target,
        scope=_scope(target),
        source=source.code,
        signals=moved,
    )
    return target


@transaction.atomic
def issue_split(*, issue: Issue, by: User, signal_ids: list[int], title: str) -> Issue:
    """Staff find that some signals of `issue` are about something else: they move to a new
    issue, which starts in «Tiếp nhận» with the same field, place and visibility."""
    policy.require(by, "cases.issue_merge", issue)
    moving = list(issue.signals.filter(pk__in=signal_ids))
    if not moving:
        raise ValidationError({"signals": _("Chọn ít nhất một tín hiệu để tách.")})
    new = issue_create(
        by=by,
        title=title or moving[0].title or moving[0].text[:300],
        description=moving[0].text,
        field=issue.field,
        place=issue.place,
        urgency=issue.urgency,
        visibility=issue.visibility,
    )
    ids = [s.pk for s in moving]
    issue.signals.filter(pk__in=ids).update(issue=new)
    for hook in hooks.issue_split:
        hook(issue, new, ids)
    audit.record(
        actor=by,
        action="issue.split",
        target=issue,
        scope=_scope(issue),
        into=new.code,
        signals=ids,
    )
    audit.record(
        actor=by,
        action="issue.split_from",
        target=new,
        scope=_scope(new),
        source=issue.code,
        signals=ids,
    )
    return new


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


FEEDBACK_STATES = (S.ANSWERED, S.PUBLISHED, S.CLOSED)


def _answering_lead(issue: Issue) -> Assignment | None:
    """The lead assignment whose response became the official answer."""
    return (
        issue.assignments.filter(role=Assignment.Role.LEAD, state=Assignment.State.RESPONDED)
        .select_related("agency")
        .order_by("-completed_at", "-id")
        .first()
    )


@transaction.atomic
def issue_feedback_record(
    *, issue: Issue, tracking_code: str, resolved: bool, reason: str = ""
) -> tuple[ResolutionFeedback, bool]:
    """A citizen (identified by the tracking code of their feedback on `issue`, which the
    caller has verified from a signed link) answers «Vấn đề đã được giải quyết chưa?».

    One verdict per citizen per answer: asking again returns the first, (verdict, False).
    «Chưa» needs a reason and reopens the issue to the coordinator (audited, hooks told)."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    reason = normalize_text(reason or "")[:2000]
    if issue.state not in FEEDBACK_STATES or issue.answered_at is None:
        existing = (
            ResolutionFeedback.objects.filter(issue=issue, tracking_code=tracking_code)
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            return existing, False
        raise ValidationError(
            _("Vấn đề %(code)s chưa có trả lời để đánh giá.") % {"code": issue.code}
        )
    existing = ResolutionFeedback.objects.filter(
        issue=issue, tracking_code=tracking_code, answered_at=issue.answered_at
    ).first()
    if existing is not None:
        return existing, False
    if not resolved and not reason:
        raise ValidationError({"reason": _("Xin cho biết vì sao vấn đề chưa được giải quyết.")})
    lead = _answering_lead(issue)
    feedback = ResolutionFeedback.objects.create(
        issue=issue,
        tracking_code=tracking_code,
        answered_at=issue.answered_at,
        agency=lead.agency if lead else None,
        agency_name=lead.agency_name if lead else "",
        resolved=resolved,
        reason=reason,
        reopened=not resolved,
    )
    audit.record(
        actor=None,
        action="issue.citizen_feedback",
        target=issue,
        scope=_scope(issue),
        tracking_code=tracking_code,
        resolved=resolved,
        reason=reason,
    )
    if not resolved:
        issue.closed_at = None
        issue.save(update_fields=["closed_at", "updated_at"])
        _move(
            issue,
            to=S.CLASSIFIED,
            action="reopen",
            by=None,
            reason=reason,
            tracking_code=tracking_code,
            agency=lead.agency_name if lead else "",
        )
        for hook in hooks.issue_reopened:
            hook(issue, lead, reason)
    return feedback, True
