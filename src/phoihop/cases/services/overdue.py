"""The daily watch over assignment deadlines: escalate the overdue, announce the due soon."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from phoihop.cases import hooks
from phoihop.cases.deadlines import DUE_SOON_WORKING_DAYS
from phoihop.cases.models import Assignment
from phoihop.cases.services._common import _scope
from phoihop.core import audit
from phoihop.core.selectors import working_calendar


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
