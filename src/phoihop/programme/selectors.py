"""Read-side questions about the programme: the agency × task matrix, lateness,
acknowledgements of guidance, public opinion around key projects, commendation numbers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from phoihop.core.calendar import WorkingCalendar
from phoihop.core.models import Agency, User
from phoihop.core.policy import agency_ids
from phoihop.core.selectors import working_calendar
from phoihop.programme.models import (
    AnnualPlan,
    CommendationProposal,
    Guidance,
    GuidanceRecipient,
    KeyProject,
    NetworkMember,
    Programme,
    ProgressReport,
    ProjectLink,
    Task,
)


def current_programme() -> Programme | None:
    return Programme.objects.order_by("-signed_on", "-id").first()


def days_late(task: Task, *, today: dt.date, calendar: WorkingCalendar) -> int:
    """Working days a task is late: open past its due date, or done after it (0 if on time)."""
    if task.status == Task.Status.CANCELLED:
        return 0
    if task.status == Task.Status.DONE:
        end = task.completed_on or today
        return max(calendar.working_days_between(task.due_on, end), 0)
    if task.due_on < today:
        return max(calendar.working_days_between(task.due_on, today), 0)
    return 0


def is_overdue(task: Task, today: dt.date) -> bool:
    """Open and past its due date."""
    return task.is_open and task.due_on < today


def tasks_of(*, plan: AnnualPlan) -> QuerySet[Task]:
    return (
        plan.tasks.select_related("lead_agency", "area")
        .prefetch_related(
            Prefetch("coordinating_agencies", queryset=Agency.objects.order_by("name"))
        )
        .order_by(F("area__number").asc(nulls_last=True), "code")
    )


def latest_reports(tasks: list[Task]) -> dict[tuple[int, int], ProgressReport]:
    """The latest report of each (task, agency), in one query."""
    latest: dict[tuple[int, int], ProgressReport] = {}
    reports = ProgressReport.objects.filter(task__in=tasks).order_by("reported_on", "id")
    for report in reports:
        latest[(report.task_id, report.agency_id)] = report
    return latest


@dataclass(frozen=True)
class Cell:
    role: str  # "lead" or "support"
    percent: int | None  # None: not reported yet
    late: bool

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


@dataclass
class Row:
    task: Task
    days_late: int
    overdue: bool
    cells: list[Cell | None] = field(default_factory=list)


@dataclass
class Matrix:
    agencies: list[Agency]
    rows: list[Row]

    @property
    def late_count(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


def task_matrix(*, plan: AnnualPlan, today: dt.date | None = None) -> Matrix:
    """Tasks (rows) × the agencies involved in them (columns): each cell shows the agency's
    role, its latest percent and whether its part is late."""
    today = today or timezone.localdate()
    calendar = working_calendar()
    tasks = list(tasks_of(plan=plan))
    involved: dict[int, Agency] = {}
    for task in tasks:
        involved.setdefault(task.lead_agency_id, task.lead_agency)
        for agency in task.coordinating_agencies.all():
            involved.setdefault(agency.pk, agency)
    leads = {task.lead_agency_id for task in tasks}
    agencies = sorted(
        involved.values(), key=lambda a: (a.pk not in leads, a.kind, a.short_name or a.name)
    )
    latest = latest_reports(tasks)
    rows = []
    for task in tasks:
        overdue = is_overdue(task, today)
        supporters = {a.pk for a in task.coordinating_agencies.all()}
        row = Row(
            task=task, days_late=days_late(task, today=today, calendar=calendar), overdue=overdue
        )
        for agency in agencies:
            if agency.pk == task.lead_agency_id:
                role = "lead"
            elif agency.pk in supporters:
                role = "support"
            else:
                row.cells.append(None)
                continue
            report = latest.get((task.pk, agency.pk))
            percent = report.percent if report else None
            row.cells.append(
                Cell(role=role, percent=percent, late=overdue and (percent or 0) < 100)
            )
        rows.append(row)
    return Matrix(agencies=agencies, rows=rows)


def tasks_for_agency(*, user: User) -> QuerySet[Task]:
    """Open tasks where one of the user's agencies is lead or coordinating."""
    ids = agency_ids(user)
    return (
        Task.objects.filter(Q(lead_agency_id__in=ids) | Q(coordinating_agencies__in=ids))
        .filter(status__in=Task.OPEN_STATUSES)
        .select_related("lead_agency", "plan")
        .distinct()
        .order_by("due_on")
    )


@dataclass
class Acknowledgements:
    acknowledged: list[GuidanceRecipient]
    pending: list[GuidanceRecipient]

    @property
    def total(self) -> int:
        return len(self.acknowledged) + len(self.pending)


def acknowledgements(*, guidance: Guidance) -> Acknowledgements:
    """Who has acknowledged the guidance, and who has not yet."""
    recipients = guidance.recipients.select_related(
        "member__user", "member__agency", "member__place"
    ).order_by("member__agency__name", "member__full_name")
    done = [r for r in recipients if r.acknowledged_at is not None]
    pending = [r for r in recipients if r.acknowledged_at is None]
    done.sort(key=lambda r: r.acknowledged_at or timezone.now())
    return Acknowledgements(acknowledged=done, pending=pending)


def guidance_list() -> QuerySet[Guidance]:
    return Guidance.objects.select_related("sender_agency", "resolution").annotate(
        recipient_count=Count("recipients"),
        acknowledged_count=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=False)),
    )


def guidance_for_recipient(*, user: User) -> QuerySet[GuidanceRecipient]:
    """Guidance delivered to the user, newest first."""
    return (
        GuidanceRecipient.objects.filter(member__user=user)
        .select_related("guidance")
        .order_by("acknowledged_at", "-delivered_at")
    )


def recipient_of(*, guidance: Guidance, user: User) -> GuidanceRecipient | None:
    return guidance.recipients.filter(member__user=user).first()


def network() -> QuerySet[NetworkMember]:
    return NetworkMember.objects.select_related("user", "agency", "place").order_by(
        "agency__name", "kind", "full_name"
    )


@dataclass
class ProjectOpinion:
    total: int
    signals: int
    issues: int
    by_month: list[tuple[str, int]]
    by_field: list[tuple[str, int]]
    by_place: list[tuple[str, int]]


def project_opinion(*, project: KeyProject) -> ProjectOpinion:
    """What was said about a project: linked signals and issues counted per month, by field
    (of the issue) and by place."""
    links = ProjectLink.objects.filter(project=project, removed=False).select_related(
        "signal__place", "signal__issue__field", "issue__field", "issue__place"
    )
    months: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    places: Counter[str] = Counter()
    signals = issues = 0
    for link in links.iterator(chunk_size=500):
        if link.signal is not None:
            signals += 1
            when = link.signal.occurred_at or link.signal.received_at
            months[timezone.localtime(when).strftime("%m/%Y")] += 1
            if link.signal.place is not None:
                places[link.signal.place.name] += 1
            if link.signal.issue is not None and link.signal.issue.field is not None:
                fields[link.signal.issue.field.name] += 1
        elif link.issue is not None:
            issues += 1
            months[link.issue.received_on.strftime("%m/%Y")] += 1
            if link.issue.field is not None:
                fields[link.issue.field.name] += 1
            if link.issue.place is not None:
                places[link.issue.place.name] += 1
    by_month = sorted(months.items(), key=lambda kv: (kv[0][3:], kv[0][:2]))
    return ProjectOpinion(
        total=signals + issues,
        signals=signals,
        issues=issues,
        by_month=by_month,
        by_field=fields.most_common(5),
        by_place=places.most_common(5),
    )


def commendation_counts(*, year: int) -> dict[str, int]:
    """Proposals of a year per state (for the programme report)."""
    counts = dict(
        CommendationProposal.objects.filter(year=year)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in CommendationProposal.State.values}


def commendations_for(*, user: User) -> QuerySet[CommendationProposal]:
    return CommendationProposal.objects.select_related(
        "proposing_agency", "reviewing_agency", "approving_agency"
    ).order_by("-created_at")
