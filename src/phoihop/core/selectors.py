"""Read-side questions about agencies, the calendar and deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet

from phoihop.core import search
from phoihop.core.calendar import WorkingCalendar
from phoihop.core.models import AdministrativeUnit, Agency, CalendarException, DeadlineRule, Field
from phoihop.triage.normalize import fold

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


def successor_chains(agency_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each agency with the agencies that took over its work, nearest first ([itself, its
    successor, the successor's successor …]); a merge or rename keeps the old agency."""
    chains: dict[int, list[int]] = {}
    successor_of = dict(Agency.objects.values_list("pk", "successor_id"))
    for start in agency_ids:
        chain = [start]
        node = successor_of.get(start)
        while node is not None and node not in chain:  # a cycle is refused on save; be safe
            chain.append(node)
            node = successor_of.get(node)
        chains[start] = chain
    return chains


def lineage_ids(agency: Agency) -> set[int]:
    """The agency and every agency merged or renamed into it, however long ago."""
    found = {agency.pk}
    frontier = {agency.pk}
    while frontier:
        frontier = (
            set(Agency.objects.filter(successor_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def active_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("kind", "name")


def active_fields() -> QuerySet[Field]:
    return Field.objects.filter(is_active=True)


def communes() -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE)


def agencies_matching(queryset: QuerySet[Agency], query: str) -> QuerySet[Agency]:
    """The agencies whose name, short name or code holds every word of `query`, with or
    without diacritics («tai chinh» finds «Sở Tài chính»). Agencies are a few hundred rows
    with no folded column: their names are folded here, in one query of four columns."""
    words = search.terms(query)
    if not words:
        return queryset
    found = [
        pk
        for pk, *names in queryset.values_list("pk", "name", "short_name", "code")
        if all(any(word in fold(name or "") for name in names) for word in words)
    ]
    return queryset.filter(pk__in=found)
