"""The life of an issue: recorded, classified, corrected, answered, published, closed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import deadlines, hooks, states
from phoihop.cases.models import Assignment, Issue, IssueClearance
from phoihop.cases.selectors import is_publicly_answered
from phoihop.cases.services._common import S, _grant, _move, _scope
from phoihop.cases.services.assignments import issue_assign
from phoihop.core import audit, policy
from phoihop.core.models import AdministrativeUnit, Agency, Field, User
from phoihop.triage.normalize import fold, normalize_text

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
    # The official answer ends the supporting agencies' work still open: it would otherwise
    # stay in their «Việc của tôi» and go overdue on an answered issue. Kept, cancelled,
    # with the reason in the issue's history; their responses so far stay with the issue.
    for support in issue.assignments.select_for_update().filter(
        role=Assignment.Role.SUPPORT, state__in=Assignment.OPEN_STATES
    ):
        before = support.state
        support.state = Assignment.State.CANCELLED
        support.completed_at = now
        support.save(update_fields=["state", "completed_at"])
        audit.record(
            actor=by,
            action="assignment.cancel",
            target=support,
            scope=_scope(issue),
            before={"state": before},
            after={"state": support.state},
            agency=support.agency_name,
            reason=_("Vấn đề đã có trả lời chính thức"),
        )
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
    """Close an answered (or published) issue: «Đóng». A public issue's answer is published
    first: closed, it could never reach the portal."""
    policy.require(by, "cases.issue_close", issue)
    states.check(issue, S.CLOSED, "close")
    if issue.state == S.ANSWERED and issue.visibility == Issue.Visibility.PUBLIC:
        raise ValidationError(
            _(
                "Vấn đề công khai cần đăng trả lời lên cổng thông tin trước khi đóng. Nếu không "
                "đăng, hãy đổi mức độ công khai của vấn đề thành «Nội bộ» trước."
            )
        )
    issue.closed_at = timezone.now()
    issue.save(update_fields=["closed_at", "updated_at"])
    _move(issue, to=S.CLOSED, action="close", by=by)
    return issue
