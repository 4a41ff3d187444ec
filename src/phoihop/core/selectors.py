"""Read-side questions about agencies, the calendar and deadlines."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from phoihop.core.calendar import WorkingCalendar
from phoihop.core.models import AdministrativeUnit, Agency, CalendarException, DeadlineRule, Field

# Used when an administrator has not configured a rule for a kind and urgency.
DEFAULT_WORKING_DAYS = {
    ("lead", "normal"): 15,
    ("lead", "urgent"): 7,
    ("lead", "very_urgent"): 3,
    ("lead", "flash"): 1,
    ("support", "normal"): 7,
    ("support", "urgent"): 3,
    ("support", "very_urgent"): 2,
    ("support", "flash"): 1,
}


def working_calendar() -> WorkingCalendar:
    """The national calendar with the exceptions configured in admin."""
    return WorkingCalendar(dict(CalendarException.objects.values_list("date", "is_working_day")))


def working_days_for(*, kind: str, urgency: str) -> int:
    rule = DeadlineRule.objects.filter(kind=kind, urgency=urgency).first()
    if rule is not None:
        return rule.working_days
    return DEFAULT_WORKING_DAYS.get((kind, urgency), 15)


def deadline_for(*, kind: str, urgency: str, start: dt.date) -> dt.date:
    """The deadline of an item of `kind` and `urgency` received on `start`."""
    return working_calendar().add_working_days(start, working_days_for(kind=kind, urgency=urgency))


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("kind", "name")


def active_fields() -> QuerySet[Field]:
    return Field.objects.filter(is_active=True)


def communes() -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)
