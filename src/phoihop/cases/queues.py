"""The cases app's queues in «Việc của tôi», registered with `core.inbox` from `ready()`.

Leaders see what waits for their approval first; coordinators see answers to publish,
returned assignments with the reason, and the issues to classify and route (urgent first);
every agency sees its open assignments with the working days left.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import deadlines, selectors
from phoihop.cases.models import Assignment, Issue
from phoihop.core.inbox import WorkItem, register
from phoihop.core.models import User
from phoihop.core.selectors import working_calendar

# Queue order: lower first. The triage app's "to triage" queue sits between 20 and 40.
APPROVAL, EXTENSION, PUBLISH, RETURNED, ROUTE, OVERDUE, ASSIGNED = 0, 5, 10, 20, 40, 60, 70


def _url(issue: Issue) -> str:
    return reverse("cases:issue_detail", args=[issue.pk])


def _name(issue: Issue) -> str:
    return f"{issue.code} — {issue.short_title or issue.title}"


def _urgent(issue: Issue) -> bool:
    return issue.urgency != Issue.Urgency.NORMAL


def _flag(issue: Issue) -> dict[str, Any]:
    """The urgent badge of an item about `issue`, in the issue's own words."""
    return {"urgent": _urgent(issue), "badge": issue.get_urgency_display()}


def _days(assignment: Assignment) -> str:
    today = timezone.localdate()
    calendar = working_calendar()
    if assignment.deadline < today:
        return _("trễ %d ngày làm việc") % calendar.working_days_between(assignment.deadline, today)
    return _("còn %d ngày làm việc") % calendar.working_days_between(today, assignment.deadline)


def awaiting_approval(user: User) -> Iterator[WorkItem]:
    for a in selectors.awaiting_approval_for(user=user)[:100]:
        yield WorkItem(
            queue=_("Chờ duyệt trả lời"),
            title=_name(a.issue),
            url=_url(a.issue) + "#form-answer",
            due=a.deadline,
            **_flag(a.issue),
            note=_("%(agency)s đã có ý kiến xử lý; %(days)s")
            % {"agency": a.agency_name, "days": _days(a)},
            order=APPROVAL,
        )


def extensions_awaiting_decision(user: User) -> Iterator[WorkItem]:
    for e in selectors.extensions_awaiting_decision_for(user=user):
        yield WorkItem(
            queue=_("Đề nghị gia hạn chờ duyệt"),
            title=_name(e.issue),
            url=_url(e.issue) + "#h-legal-due",
            **_flag(e.issue),
            note=_("%(person)s đề nghị thêm %(days)s %(unit)s: %(reason)s")
            % {
                "person": e.requested_by,
                "days": e.days,
                "unit": deadlines.unit_words(e.unit),
                "reason": e.reason,
            },
            order=EXTENSION,
        )


def awaiting_publication(user: User) -> Iterator[WorkItem]:
    for issue in selectors.awaiting_publication_for(user=user)[:100]:
        answered = (
            timezone.localtime(issue.answered_at).strftime("%d/%m/%Y") if issue.answered_at else ""
        )
        yield WorkItem(
            queue=_("Trả lời chờ đăng công khai"),
            title=_name(issue),
            url=_url(issue) + "#form-publish",
            **_flag(issue),
            note=_("Trả lời đã duyệt ngày %s, người dân chưa đọc được") % answered,
            order=PUBLISH,
        )


def returned(user: User) -> Iterator[WorkItem]:
    for a in selectors.returned_for(user=user)[:100]:
        yield WorkItem(
            queue=_("Bị trả lại, chờ giao lại"),
            title=_name(a.issue),
            url=_url(a.issue) + "#form-assign",
            **_flag(a.issue),
            note=_("%(agency)s (%(role)s) trả lại: %(reason)s")
            % {
                "agency": a.agency_name,
                "role": a.get_role_display(),
                "reason": a.return_reason,
            },
            order=RETURNED,
        )


def to_route(user: User) -> Iterator[WorkItem]:
    returned_ids = {a.issue_id for a in selectors.returned_for(user=user)}
    for issue in selectors.routing_queue_for(user=user)[:200]:
        if issue.pk in returned_ids:
            continue
        facts = [
            issue.get_state_display(),
            _("tiếp nhận %s") % issue.received_on.strftime("%d/%m/%Y"),
        ]
        flagged = _urgent(issue) and issue.state == Issue.State.RECEIVED
        if _urgent(issue) and not flagged:
            facts.insert(0, issue.get_urgency_display())
        if issue.place:
            facts.append(issue.place.name)
        yield WorkItem(
            queue=_("Chờ phân loại, giao xử lý"),
            title=_name(issue),
            url=_url(issue),
            urgent=flagged,
            badge=issue.get_urgency_display(),
            note=" · ".join(facts),
            order=ROUTE,
        )


def overdue(user: User) -> Iterator[WorkItem]:
    for a in selectors.overdue_for(user=user)[:100]:
        yield WorkItem(
            queue=_("Việc quá hạn của các cơ quan"),
            title=_name(a.issue),
            url=_url(a.issue),
            due=a.deadline,
            note=f"{a.agency.short_name or a.agency.name} ({a.get_role_display()}) · {_days(a)}",
            order=OVERDUE,
        )


def assigned(user: User) -> Iterator[WorkItem]:
    for a in selectors.inbox_for(user=user)[:200]:
        facts = [a.get_role_display(), a.get_state_display(), _days(a)]
        if a.issue.field:
            facts.insert(0, str(a.issue.field))
        yield WorkItem(
            queue=_("Việc được giao cho cơ quan tôi"),
            title=_name(a.issue),
            url=_url(a.issue),
            due=a.deadline,
            **_flag(a.issue),
            note=" · ".join(facts),
            order=ASSIGNED,
        )


def register_all() -> None:
    for provider in (
        awaiting_approval,
        extensions_awaiting_decision,
        awaiting_publication,
        returned,
        to_route,
        overdue,
        assigned,
    ):
        register(provider)
