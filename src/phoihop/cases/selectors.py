"""Read-side questions about issues: who sees what, inboxes, overdue work, on-time rates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.cases.models import Assignment, Issue, Response
from phoihop.cases.permissions import visible_issues_filter
from phoihop.cases.regime_models import DeadlineExtension, RegimeRule
from phoihop.core import policy, search
from phoihop.core.models import Agency, AuditEvent, Membership, User
from phoihop.triage.hotness import Hotness, hotness


@dataclass(frozen=True)
class IssueFilters:
    state: str = ""
    field: int | None = None
    agency: int | None = None
    place: int | None = None
    overdue: bool = False
    q: str = ""


# ---- publicly answered: the one rule, used by the portal and by the tracking page ------

PUBLIC_ANSWER_STATES = (Issue.State.PUBLISHED, Issue.State.CLOSED)


def competence_of(agency: Agency | None) -> str:
    """The competence level an issue led by ``agency`` has: a commune's People's Committee
    answers at commune level, any other agency of the province at province level; "" when
    no agency leads it (central competence is for staff to decide)."""
    if agency is None:
        return ""
    if agency.kind == Agency.Kind.COMMUNE:
        return Issue.Competence.COMMUNE
    return Issue.Competence.PROVINCE


def publicly_answered_filter() -> Q:
    """Issues whose answer the public may read: a public issue, its answer published on the
    portal (and still there once the issue is closed), with an answer to show."""
    return Q(
        visibility=Issue.Visibility.PUBLIC,
        state__in=PUBLIC_ANSWER_STATES,
        published_at__isnull=False,
    ) & ~Q(answer="")


def is_publicly_answered(issue: Issue) -> bool:
    """`publicly_answered_filter` for one issue already in memory."""
    return (
        issue.visibility == Issue.Visibility.PUBLIC
        and issue.state in PUBLIC_ANSWER_STATES
        and issue.published_at is not None
        and issue.answer != ""
    )


def publicly_answered_issues() -> QuerySet[Issue]:
    return Issue.objects.filter(publicly_answered_filter())


def _open_deadline_subquery() -> Any:
    return Min(
        "assignments__deadline",
        filter=Q(assignments__state__in=Assignment.OPEN_STATES),
    )


def issues_visible_to(
    *, user: User, filters: IssueFilters | None = None, today: dt.date | None = None
) -> QuerySet[Issue]:
    """Issues `user` may see, filtered, with the earliest open deadline annotated."""
    today = today or timezone.localdate()
    qs = (
        Issue.objects.filter(visible_issues_filter(user))
        .select_related("field", "place")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("agency"))
        )
        .annotate(next_deadline=_open_deadline_subquery())
    )
    f = filters or IssueFilters()
    if f.state:
        qs = qs.filter(state=f.state)
    if f.field:
        qs = qs.filter(field_id=f.field)
    if f.place:
        qs = qs.filter(place_id=f.place)
    if f.agency:
        qs = qs.filter(Exists(Assignment.objects.filter(issue=OuterRef("pk"), agency_id=f.agency)))
    if f.overdue:  # with an agency: that agency's work is overdue
        late = Assignment.objects.filter(
            issue=OuterRef("pk"), state__in=Assignment.OPEN_STATES, deadline__lt=today
        )
        qs = qs.filter(Exists(late.filter(agency_id=f.agency) if f.agency else late))
    if f.q:
        qs = search.matching(qs, search.terms(f.q), code_fields=("code",))
    return qs.order_by("-received_on", "-id")


def issue_for(*, user: User, pk: int) -> Issue | None:
    """The issue if `user` may see it, else None (the caller answers 404, not 403)."""
    return issues_visible_to(user=user).filter(pk=pk).first()


_NOT_CODE = re.compile(r"[^0-9A-Z]")
_BARE_ISSUE_CODE = re.compile(r"VD(\d{4})(\d{5})")


def normalize_issue_code(code: str) -> str:
    """An issue's code as stored («VD-2026-00001») however staff typed it: lower case,
    without its hyphens, with spaces or dots between the groups (as the public look-up reads
    tracking codes). Anything else is only trimmed and upper-cased."""
    typed = unicodedata.normalize("NFKC", code or "").strip().upper()
    bare = _BARE_ISSUE_CODE.fullmatch(_NOT_CODE.sub("", typed))
    return f"VD-{bare[1]}-{bare[2]}" if bare else typed


def issue_by_code(*, user: User, code: str) -> Issue | None:
    """The issue with this code (however typed) if `user` may see it, else None."""
    pk = Issue.objects.filter(code=normalize_issue_code(code)).values_list("pk", flat=True)
    return issue_for(user=user, pk=pk.first() or 0)


def issue_receiving_signals(*, issue: Issue) -> Issue:
    """Where signals sent to `issue` go: `issue` itself or, once it was merged, the issue it
    was merged into (along the chain). A closed issue that was not merged takes none."""
    issue = Issue.objects.get(pk=issue.pk)  # as stored now: it may have closed meanwhile
    seen = {issue.pk}
    while issue.merged_into_id is not None and issue.merged_into_id not in seen:
        issue = Issue.objects.get(pk=issue.merged_into_id)
        seen.add(issue.pk)
    if issue.state == Issue.State.CLOSED:
        raise ValidationError(
            {
                "issue": _(
                    "Ghép vào vấn đề: vấn đề %s đã đóng, không nhận thêm ý kiến. "
                    "Chọn vấn đề khác hoặc mở vấn đề mới."
                )
                % issue.code
            }
        )
    return issue


def inbox_for(*, user: User) -> QuerySet[Assignment]:
    """«Việc của tôi»: open assignments of the user's agencies, the most urgent first."""
    visible = Issue.objects.filter(visible_issues_filter(user))
    return (
        Assignment.objects.filter(
            agency_id__in=policy.agency_ids(user),
            state__in=Assignment.OPEN_STATES,
            issue__in=visible,
        )
        .select_related("issue", "issue__field", "issue__place", "agency")
        .order_by("deadline", "id")
    )


def routing_queue_for(*, user: User) -> QuerySet[Issue]:
    """Issues waiting for a coordinator: new, classified or returned and not yet re-routed."""
    if not policy.is_coordinator(user):
        return Issue.objects.none()
    return (
        Issue.objects.filter(visible_issues_filter(user))
        .filter(state__in=[Issue.State.RECEIVED, Issue.State.CLASSIFIED])
        .select_related("field", "place")
        .order_by("received_on", "id")
    )


def awaiting_publication_for(*, user: User) -> QuerySet[Issue]:
    """For coordinators: public issues whose official answer is approved but not yet on the
    portal."""
    if not policy.is_coordinator(user):
        return Issue.objects.none()
    return (
        Issue.objects.filter(visible_issues_filter(user))
        .filter(state=Issue.State.ANSWERED, visibility=Issue.Visibility.PUBLIC)
        .select_related("field", "place")
        .order_by("answered_at", "id")
    )


def returned_for(*, user: User) -> list[Assignment]:
    """For coordinators: the latest return of each issue still waiting to be re-routed: a
    lead's (the issue is back to «Chờ giao xử lý»), or a supporting agency's while the issue is
    being handled and no supporting agency has been given it since."""
    if not policy.is_coordinator(user):
        return []
    reassigned_since = Exists(
        Assignment.objects.filter(
            issue=OuterRef("issue"),
            role=Assignment.Role.SUPPORT,
            assigned_at__gt=OuterRef("completed_at"),
        )
    )
    lead_returns = Q(role=Assignment.Role.LEAD, issue__state=Issue.State.CLASSIFIED)
    support_returns = Q(
        role=Assignment.Role.SUPPORT,
        issue__state__in=[Issue.State.ASSIGNED, Issue.State.IN_PROGRESS],
    ) & ~Q(reassigned_since)
    returns = (
        Assignment.objects.filter(
            lead_returns | support_returns,
            state=Assignment.State.RETURNED,
            issue__in=Issue.objects.filter(visible_issues_filter(user)),
        )
        .select_related("issue", "agency")
        .order_by("issue_id", "-completed_at", "-id")
    )
    latest: dict[int, Assignment] = {}
    for assignment in returns:
        latest.setdefault(assignment.issue_id, assignment)
    return sorted(latest.values(), key=lambda a: (a.completed_at or timezone.now(), a.pk))


def awaiting_approval_for(*, user: User) -> QuerySet[Assignment]:
    """For leaders: lead assignments of their agency whose handlers have drafted a response
    that waits for the leader to approve it as the official answer."""
    leads = policy.agency_ids(user, Membership.Role.LEADER)
    if not leads:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            agency_id__in=leads,
            role=Assignment.Role.LEAD,
            state__in=Assignment.OPEN_STATES,
            issue__state=Issue.State.IN_PROGRESS,
            issue__in=Issue.objects.filter(visible_issues_filter(user)),
        )
        .filter(Exists(Response.objects.filter(assignment=OuterRef("pk"))))
        .select_related("issue", "agency")
        .order_by("deadline", "id")
    )


def extensions_awaiting_decision_for(*, user: User) -> list[DeadlineExtension]:
    """For leaders: requested extensions of open issues they may decide (a leader of the
    open lead agency, `cases.extension_decide`), not their own requests; oldest first."""
    leads = policy.agency_ids(user, Membership.Role.LEADER)
    if not leads:
        return []
    requested = (
        DeadlineExtension.objects.filter(
            state=DeadlineExtension.State.REQUESTED,
            issue__assignments__role=Assignment.Role.LEAD,
            issue__assignments__state__in=Assignment.OPEN_STATES,
            issue__assignments__agency_id__in=leads,
            issue__in=Issue.objects.filter(visible_issues_filter(user)),
        )
        .exclude(requested_by=user)
        .select_related("issue", "requested_by")
        .prefetch_related("issue__assignments")
        .distinct()
        .order_by("requested_at", "id")
    )
    return [e for e in requested[:100] if policy.can(user, "cases.extension_decide", e.issue)]


def overdue_for(*, user: User, today: dt.date | None = None) -> QuerySet[Assignment]:
    """For coordinators: every overdue open assignment they may see, the latest deadline last."""
    if not policy.is_coordinator(user):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            state__in=Assignment.OPEN_STATES,
            deadline__lt=today or timezone.localdate(),
            issue__in=Issue.objects.filter(visible_issues_filter(user)),
        )
        .select_related("issue", "agency")
        .order_by("deadline", "id")
    )


def is_overdue(assignment: Assignment, today: dt.date | None = None) -> bool:
    return assignment.is_open and assignment.deadline < (today or timezone.localdate())


@dataclass(frozen=True)
class OnTime:
    on_time: int
    late: int
    pending: int

    @property
    def rate(self) -> float | None:
        """Share of finished-or-overdue items done on time; open overdue items count as late."""
        judged = self.on_time + self.late
        return self.on_time / judged if judged else None


def on_time_rate(
    *, assignments: QuerySet[Assignment] | None = None, today: dt.date | None = None
) -> OnTime:
    today = today or timezone.localdate()
    qs = assignments if assignments is not None else Assignment.objects.all()
    qs = qs.exclude(
        state__in=[
            Assignment.State.TRANSFERRED,
            Assignment.State.CANCELLED,
            Assignment.State.RETURNED,
        ]
    )
    on_time = late = pending = 0
    for state, deadline, completed in qs.values_list(
        "state", "deadline", "completed_at"
    ).iterator():
        if state in Assignment.OPEN_STATES:
            if deadline < today:
                late += 1
            else:
                pending += 1
        elif completed is not None and timezone.localtime(completed).date() <= deadline:
            on_time += 1
        else:
            late += 1
    return OnTime(on_time=on_time, late=late, pending=pending)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str
    action: str
    text: str


def answer_draft(*, issue: Issue) -> Response | None:
    """The lead agency's latest response: what its leader approves as the official answer."""
    lead = issue.lead_assignment
    if lead is None:
        return None
    return lead.responses.select_related("assignment").order_by("-created_at", "-id").first()


def issue_timeline(*, issue: Issue) -> list[TimelineEntry]:
    """What happened to the issue, oldest first: audit events and the agencies' responses."""
    entries = [
        TimelineEntry(at=e.at, actor=e.actor_name, action=e.action, text=_describe(e))
        for e in AuditEvent.objects.filter(scope=f"issue:{issue.pk}").order_by("id")
    ]
    for response in Response.objects.filter(assignment__issue=issue).select_related(
        "author", "assignment"
    ):
        entries.append(
            TimelineEntry(
                at=response.created_at,
                actor=str(response.author),
                action="response",
                text=f"{response.assignment.agency_name}: {response.text}",
            )
        )
    return sorted(entries, key=lambda e: e.at)


# What each event in an issue's history is called («Diễn biến»): every action recorded in an
# issue's scope has a name here (tests/cases/test_timeline_labels.py reads the sources).
TIMELINE_LABELS = {
    "issue.create": gettext_lazy("Tiếp nhận vấn đề"),
    "issue.classify": gettext_lazy("Phân loại"),
    "issue.edit": gettext_lazy("Sửa thông tin vấn đề"),
    "issue.set_regime": gettext_lazy("Xác định chế độ thời hạn giải quyết"),
    "issue.assign": gettext_lazy("Chuyển trạng thái «Đã giao»"),
    "issue.accept": gettext_lazy("Chuyển trạng thái «Đang xử lý»"),
    "issue.return": gettext_lazy("Trả lại, chờ giao lại"),
    "issue.answer": gettext_lazy("Duyệt trả lời chính thức"),
    "issue.publish": gettext_lazy("Đăng công khai"),
    "issue.close": gettext_lazy("Đóng vấn đề"),
    "issue.reopen": gettext_lazy("Mở lại vì người phản ánh chưa hài lòng"),
    "issue.citizen_feedback": gettext_lazy("Người phản ánh cho ý kiến về kết quả"),
    "issue.extension_request": gettext_lazy("Đề nghị gia hạn giải quyết"),
    "issue.extension_approve": gettext_lazy("Đồng ý gia hạn giải quyết"),
    "issue.extension_refuse": gettext_lazy("Không đồng ý gia hạn giải quyết"),
    "issue.grant_clearance": gettext_lazy("Cấp quyền xem vấn đề mật"),
    "assignment.create": gettext_lazy("Giao cho cơ quan"),
    "assignment.accept": gettext_lazy("Tiếp nhận việc được giao"),
    "assignment.return": gettext_lazy("Trả lại vì không thuộc thẩm quyền"),
    "assignment.respond": gettext_lazy("Gửi ý kiến xử lý"),
    "assignment.transfer": gettext_lazy("Chuyển sang cơ quan kế nhiệm"),
    "assignment.escalate": gettext_lazy("Quá hạn, đã báo cáo cơ quan điều phối"),
    "assignment.cancel": gettext_lazy("Hủy việc giao"),
    "assignment.extend": gettext_lazy("Dời hạn xử lý theo gia hạn đã duyệt"),
    "issue.merge": gettext_lazy("Gộp vào vấn đề khác"),
    "issue.absorb": gettext_lazy("Nhận các tín hiệu của vấn đề được gộp"),
    "issue.split": gettext_lazy("Tách một số tín hiệu sang vấn đề mới"),
    "issue.split_from": gettext_lazy("Tách ra từ vấn đề khác"),
    "proposal.accept": gettext_lazy("Chấp nhận đề xuất ghép tín hiệu"),
    "proposal.correct": gettext_lazy("Sửa đề xuất ghép tín hiệu"),
    "cluster.accept": gettext_lazy("Nhận cụm ý kiến vào vấn đề theo đề xuất"),
    "cluster.correct": gettext_lazy("Nhận cụm ý kiến vào vấn đề, đã sửa đề xuất"),
    "cluster.split": gettext_lazy("Tách cụm ý kiến"),
    "proposal.auto_join": gettext_lazy("Tự động ghép ý kiến"),
    "proposal.move_out": gettext_lazy("Chuyển ý kiến sang vấn đề khác"),
}


def _describe(event: AuditEvent) -> str:
    labels = TIMELINE_LABELS
    text = str(labels.get(event.action, _("Cập nhật")))
    details = []
    data = event.data or {}
    if event.action == "proposal.auto_join":
        return _("Tự động ghép ý kiến số %(signal)s (độ tương đồng %(score)s)") % {
            "signal": data.get("signal", event.target_id),
            "score": number_format(data.get("score", 0), decimal_pos=2, use_l10n=True),
        }
    if event.action == "proposal.move_out":
        return _("Chuyển ý kiến số %(signal)s sang %(into)s") % {
            "signal": data.get("signal", event.target_id),
            "into": data.get("into", "—"),
        }
    if event.action.startswith("cluster.") and "signals" in data:
        details.append(_("%d ý kiến") % len(data["signals"]))
    if event.action == "issue.citizen_feedback":
        resolved = data.get("resolved")
        details.append(_("đã được giải quyết") if resolved else _("chưa được giải quyết"))
    if event.action == "issue.extension_request" and "days" in data:
        unit = data.get("unit") or (  # events recorded before the unit was
            DeadlineExtension.objects.filter(pk=data.get("extension") or 0)
            .values_list("unit", flat=True)
            .first()
        )
        words = _("ngày làm việc") if unit == RegimeRule.Unit.WORKING else _("ngày")
        details.append(_("thêm %(n)s %(unit)s") % {"n": data["days"], "unit": words})
    if event.action == "issue.extension_approve" and event.before and event.after:
        details.append(
            _("hạn %(before)s → %(after)s")
            % {"before": event.before.get("due") or "—", "after": event.after.get("due") or "—"}
        )
    if "agency" in data and not event.action.startswith("issue."):
        details.append(str(data["agency"]))
    if "reason" in data:
        details.append(_("Lý do: %s") % data["reason"])
    if event.action == "assignment.extend" and event.before and event.after:
        details.append(
            _("hạn %(before)s → %(after)s")
            % {
                "before": event.before.get("deadline") or "—",
                "after": event.after.get("deadline") or "—",
            }
        )
    if event.action == "assignment.transfer" and event.before and event.after:
        details.append(f"{event.before.get('agency')} → {event.after.get('agency')}")
    if event.action == "issue.grant_clearance" and "user" in data:
        details.append(str(data["user"]))
    for key in ("into", "source"):
        if key in data:
            details.append(str(data[key]))
    if event.action in ("issue.edit", "issue.set_regime") and event.after:
        details.extend(_field_change(name, event.before or {}, event.after) for name in event.after)
    return f"{text}: {'; '.join(details)}" if details else text


def _field_change(name: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """«Mức độ công khai: Nội bộ → Công khai», with names instead of keys and ids."""
    field = Issue._meta.get_field(name)
    assert isinstance(field, models.Field)

    def shown(value: Any) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(value, bool):
            return _("có") if value else _("không")
        if field.choices:
            return str(dict(field.choices).get(value, value))
        related_model = field.related_model
        if field.is_relation and isinstance(related_model, type):
            related = related_model._default_manager.filter(pk=value).first()
            return str(related) if related else "—"
        return str(value)

    label = str(field.verbose_name)
    return f"{label[:1].upper()}{label[1:]}: {shown(before.get(name))} → {shown(after.get(name))}"


def happened_at(prefix: str = "") -> Coalesce:
    """When a signal's matter happened, in a query: a petition's meeting day or a post's time
    where the source gives it, else its arrival (``Signal.happened_at``), as the triage engine
    counts it; a round of petitions imported weeks after the meeting is not a surge of today.
    ``prefix``: the path to the signal, e.g. "signals__" from an issue. Here, below intake,
    so that cases' hotness and every app above share it."""
    return Coalesce(f"{prefix}occurred_at", f"{prefix}received_at")


def issue_hotness(*, issue: Issue, now: dt.datetime | None = None) -> Hotness:
    """How fast the issue is growing: arrivals of its signals in the last day against its own
    baseline, boosted when several channels carry it (petitions, news, social…)."""
    events = list(issue.signals.annotate(at=happened_at()).values_list("at", "channel"))
    return hotness(events, now or timezone.now())
