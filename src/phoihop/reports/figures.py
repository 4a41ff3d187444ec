"""The figures of the dashboard and of the programme report. Reads only; no writes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from phoihop.cases.hot import hot_issues, hotness_of
from phoihop.cases.models import Assignment, Issue
from phoihop.cases.selectors import happened_at, on_time_rate
from phoihop.core.collation import sort_key
from phoihop.core.models import AdministrativeUnit, Agency
from phoihop.factcheck import selectors as factcheck_selectors
from phoihop.intake.models import Signal
from phoihop.programme.models import CommendationProposal
from phoihop.reports.maps import Commune, CommuneMap, commune_map, shade_of
from phoihop.reports.periods import Period, day_bounds
from phoihop.triage.hotness import Hotness

UNCLASSIFIED = "Chưa phân loại"


@dataclass
class ProgrammeFigures:
    received: int
    handled: int
    on_time: int
    late: int
    pending: int
    rate: float | None
    by_agency: list[tuple[str, int, int, int]]  # name, on time, late, pending
    by_field: list[tuple[str, int]]
    hot: list[tuple[str, int]]
    rebuttals: int
    commendations: list[tuple[str, int]]  # state label, proposals


def programme_figures(*, period: Period) -> ProgrammeFigures:
    issues = Issue.objects.filter(received_on__gte=period.start, received_on__lte=period.end)
    handled = Issue.objects.filter(
        answered_at__date__gte=period.start, answered_at__date__lte=period.end
    ).count()
    end = min(period.end, timezone.localdate())
    assignments = Assignment.objects.filter(deadline__gte=period.start, deadline__lte=period.end)
    overall = on_time_rate(assignments=assignments, today=end)
    by_agency = []
    for agency_id, name in sorted(
        assignments.values_list("agency_id", "agency__name").distinct().order_by(),
        key=lambda row: sort_key(row[1]),
    ):
        figures = on_time_rate(assignments=assignments.filter(agency_id=agency_id), today=end)
        by_agency.append((name, figures.on_time, figures.late, figures.pending))
    by_field = sorted(
        (
            (row["field__name"] or UNCLASSIFIED, row["n"])
            for row in issues.values("field__name").annotate(n=Count("id")).order_by()
        ),
        key=lambda pair: (-pair[1], pair[0] == UNCLASSIFIED, sort_key(pair[0])),
    )
    hot = [
        (row["title"], row["n"])
        for row in Issue.objects.annotate(
            n=Count(
                "signals",
                filter=Q(
                    signals__received_at__date__gte=period.start,
                    signals__received_at__date__lte=period.end,
                ),
            )
        )
        .filter(n__gt=0)
        .order_by("-n")
        .values("title", "n")[:10]
    ]
    since, until = day_bounds(period.start, period.end)
    return ProgrammeFigures(
        received=issues.count(),
        handled=handled,
        on_time=overall.on_time,
        late=overall.late,
        pending=overall.pending,
        rate=overall.rate,
        by_agency=by_agency,
        by_field=by_field,
        hot=hot,
        # the registry's rebuttals and those written straight on the portal, as the
        # situation report counts them
        rebuttals=len(factcheck_selectors.rebuttals_published_between(since=since, until=until)),
        commendations=[
            (str(CommendationProposal.State(state).label), n)
            for state, n in CommendationProposal.objects.filter(
                created_at__date__gte=period.start, created_at__date__lte=period.end
            )
            .values_list("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
            .order_by("state")
        ],
    )


@dataclass
class Dashboard:
    open_issues: int
    overdue: int
    rate: float | None
    overdue_by_agency: list[tuple[str, int, int]]  # agency name, overdue items, agency id
    weeks: list[dt.date]
    weekly: list[tuple[str, list[int]]]  # field name, counts per week
    weekly_totals: list[int]
    hot: list[tuple[Any, int]]  # (issue, signals)
    heating: list[tuple[Any, Hotness]]  # issues whose hotness raises an alert now
    by_commune: list[tuple[str, int, int]]  # commune, issues, shade 0..4
    map: CommuneMap | None


def dashboard(
    *,
    issues: QuerySet[Issue],
    agency: Agency | None = None,
    today: dt.date | None = None,
    weeks: int = 8,
    unlinked_signals: bool = False,
) -> Dashboard:
    """Figures for leaders (all visible issues) or for one agency's own work."""
    today = today or timezone.localdate()
    assignments = Assignment.objects.filter(issue__in=issues)
    if agency is not None:
        assignments = assignments.filter(agency=agency)
        issues = issues.filter(assignments__agency=agency).distinct()
    open_states = [
        Issue.State.CLASSIFIED,
        Issue.State.ASSIGNED,
        Issue.State.IN_PROGRESS,
        Issue.State.RECEIVED,
    ]
    overdue = assignments.filter(state__in=Assignment.OPEN_STATES, deadline__lt=today)
    overdue_by_agency = sorted(
        (
            (row["agency__name"], row["n"], row["agency"])
            for row in overdue.values("agency", "agency__name").annotate(n=Count("id")).order_by()
        ),
        key=lambda pair: (-pair[1], sort_key(pair[0])),
    )
    recent = today - dt.timedelta(days=90)
    rate = on_time_rate(assignments=assignments.filter(deadline__gte=recent), today=today).rate

    monday = today - dt.timedelta(days=today.weekday())
    starts = [monday - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    # Signals of the issues shown; for the province picture also those still waiting for
    # triage decisions, counted under the field the engine proposed.
    in_scope = (
        Q(issue__in=issues) | Q(issue__isnull=True) if unlinked_signals else Q(issue__in=issues)
    )
    # counted in the week the matter happened (a petition's meeting day where the source
    # gives it), as hotness counts it: a round imported late is not this week's wave
    signals = (
        Signal.objects.annotate(at=happened_at())
        .filter(in_scope, at__date__gte=starts[0])
        .annotate(field_name=Coalesce("issue__field__name", "proposal__field__name"))
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * weeks)
    for at, field_name in signals.values_list("at", "field_name").iterator():
        week = (timezone.localtime(at).date() - starts[0]).days // 7
        if 0 <= week < weeks:
            counts[field_name or UNCLASSIFIED][week] += 1
    # Fields in Vietnamese alphabetical order («Đất đai» before «Y tế»), unclassified last.
    weekly = sorted(counts.items(), key=lambda item: (item[0] == UNCLASSIFIED, sort_key(item[0])))
    totals = [sum(c[i] for _n, c in weekly) for i in range(weeks)]

    since = today - dt.timedelta(days=14)
    hot_rows = (
        # distinct: the visibility filter joins assignments, one row per assigned agency.
        issues.annotate(
            n=Count(
                "signals",
                filter=Q(signals__occurred_at__date__gte=since)
                | Q(signals__occurred_at__isnull=True, signals__received_at__date__gte=since),
                distinct=True,
            )
        )
        .filter(n__gt=0)
        .order_by("-n", "-received_on")[:10]
    )
    hot = [(issue, int(issue.n)) for issue in hot_rows]
    scores = hotness_of(issue_ids=[issue.pk for issue, _n in hot])
    heating: list[tuple[Issue, Hotness]] = [
        (issue, scores[issue.pk])
        for issue, _n in hot
        if issue.pk in scores and scores[issue.pk].alert
    ]
    heating += [
        pair for pair in hot_issues(issues=issues) if pair[0].pk not in {i.pk for i, _h in heating}
    ]

    per_commune = sorted(
        (
            (row["place__name"], row["n"])
            for row in issues.exclude(place=None)
            .values("place__name")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        ),
        key=lambda pair: (-pair[1], sort_key(pair[0])),
    )
    top = max((n for _p, n in per_commune), default=0)
    by_commune = [(name, n, shade_of(n, top)) for name, n in per_commune]
    counts_by_name = dict(per_commune)
    communes = [
        Commune(name, lat or 0.0, lon or 0.0, counts_by_name.get(name, 0))
        for name, lat, lon in AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, latitude__isnull=False
        ).values_list("name", "latitude", "longitude")
    ]
    return Dashboard(
        open_issues=issues.filter(state__in=open_states).count(),
        overdue=overdue.count(),
        rate=rate,
        overdue_by_agency=overdue_by_agency,
        weeks=starts,
        weekly=weekly,
        weekly_totals=totals,
        hot=hot,
        heating=sorted(heating, key=lambda pair: -pair[1].score)[:10],
        by_commune=by_commune,
        map=commune_map(communes),
    )
