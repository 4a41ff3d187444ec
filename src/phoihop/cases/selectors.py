"""Read-side questions about issues: who sees what, inboxes, overdue work, on-time rates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Assignment, Issue, Response
from phoihop.cases.permissions import visible_issues_filter
from phoihop.cases.regime_models import DeadlineExtension
from phoihop.core import policy, search
from phoihop.core.models import Agency, Membership, User
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


def answer_draft(*, issue: Issue) -> Response | None:
    """The lead agency's latest response: what its leader approves as the official answer."""
    lead = issue.lead_assignment
    if lead is None:
        return None
    return lead.responses.select_related("assignment").order_by("-created_at", "-id").first()


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
