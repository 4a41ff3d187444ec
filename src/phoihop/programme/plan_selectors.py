"""Read-side questions about plans and tasks: the agency × task matrix, lateness, the
tasks of an agency, who has answered a progress request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from phoihop.core.calendar import WorkingCalendar
from phoihop.core.collation import sort_key
from phoihop.core.models import Agency, User
from phoihop.core.policy import agency_ids
from phoihop.core.selectors import successor_chains, working_calendar
from phoihop.programme.models import (
    AnnualPlan,
    Programme,
    ProgressReport,
    ProgressRequest,
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
    """The latest report of each (task, agency).

    After a merge or rename the successor carries its predecessor's progress: a report
    counts for the agency that made it and for every agency that took over its work. The
    report itself keeps the agency that made it, so the task's history stays true.
    """
    latest: dict[tuple[int, int], ProgressReport] = {}
    reports = list(ProgressReport.objects.filter(task__in=tasks).order_by("reported_on", "id"))
    chains = successor_chains({report.agency_id for report in reports})
    for report in reports:
        for agency_id in chains[report.agency_id]:
            latest[(report.task_id, agency_id)] = report
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
class RequestStatus:
    """Who owes a progress request a report: each agency concerned (lead or coordinating on an
    open task of the plan) with its tasks that have no report since the period began."""

    request: ProgressRequest
    agencies: list[Agency]
    missing: dict[int, list[Task]]  # agency id -> its tasks still without a report

    @property
    def reported(self) -> list[Agency]:
        return [a for a in self.agencies if a.pk not in self.missing]

    @property
    def unreported(self) -> list[Agency]:
        return [a for a in self.agencies if a.pk in self.missing]


def request_statuses(requests: list[ProgressRequest]) -> list[RequestStatus]:
    """The status of each request, in a handful of queries whatever their number.

    An agency has answered for a task once the task has a report of it (or of an agency it
    took over from) dated on or after the period's first day: a late report still answers.
    """
    if not requests:
        return []
    tasks = list(
        Task.objects.filter(plan__in={r.plan_id for r in requests}, status__in=Task.OPEN_STATUSES)
        .select_related("lead_agency")
        .prefetch_related("coordinating_agencies")
        .order_by("code")
    )
    since = min(r.first_day for r in requests)
    reports = list(
        ProgressReport.objects.filter(task__in=tasks, reported_on__gte=since).values_list(
            "task_id", "agency_id", "reported_on"
        )
    )
    chains = successor_chains({agency_id for _task, agency_id, _on in reports})
    statuses = []
    for request in requests:
        answered = {
            (task_id, heir)
            for task_id, agency_id, on in reports
            if on >= request.first_day
            for heir in chains[agency_id]
        }
        concerned: dict[int, Agency] = {}
        missing: dict[int, list[Task]] = {}
        for task in tasks:
            if task.plan_id != request.plan_id:
                continue
            for agency in [task.lead_agency, *task.coordinating_agencies.all()]:
                concerned.setdefault(agency.pk, agency)
                if (task.pk, agency.pk) not in answered:
                    missing.setdefault(agency.pk, []).append(task)
        agencies = sorted(concerned.values(), key=lambda a: sort_key(a.short_name or a.name))
        statuses.append(RequestStatus(request=request, agencies=agencies, missing=missing))
    return statuses
