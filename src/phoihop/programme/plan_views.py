"""Staff pages of plans and tasks: the overview and matrix, a task and its progress, bulk
import of progress and its spreadsheet template, asking agencies for progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core import policy
from phoihop.core.selectors import working_calendar
from phoihop.core.web import attach_errors
from phoihop.programme import (
    permissions,
    plan_selectors,
    plan_services,
    request_services,
    spreadsheet,
)
from phoihop.programme.forms import (
    ImportForm,
    ProgressForm,
    ProgressRequestForm,
    TaskForm,
)
from phoihop.programme.models import (
    AnnualPlan,
    Task,
)
from phoihop.programme.web import staff_user, submit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return _overview(request, year=request.GET.get("nam", ""))


@login_required
@require_POST
def progress_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator asks the plan's agencies for their progress over a period."""
    user = staff_user(request)
    policy.require(user, "programme.progress_request")
    plan = get_object_or_404(AnnualPlan, pk=pk)
    form = ProgressRequestForm(request.POST)
    made = submit(
        request,
        form,
        lambda d: request_services.progress_request(by=user, plan=plan, **d),
        _("Đã gửi yêu cầu báo cáo tiến độ đến các cơ quan."),
    )
    if made is not None:
        return redirect(reverse("programme:overview") + f"?nam={plan.year}")
    return _overview(request, year=str(plan.year), form=form, status=400)


def _overview(
    request: HttpRequest, *, year: str, form: ProgressRequestForm | None = None, status: int = 200
) -> HttpResponse:
    user = staff_user(request)
    programme = plan_selectors.current_programme()
    plans = list(programme.plans.all()) if programme else []
    plan: AnnualPlan | None = None
    for candidate in plans:
        if str(candidate.year) == year:
            plan = candidate
    if plan is None and plans:
        plan = plans[0]
    can_request = plan is not None and policy.can(user, "programme.progress_request")
    if can_request and form is None:
        form = ProgressRequestForm()
    requests = list(plan.progress_requests.all()) if plan and can_request else []
    return render(
        request,
        "programme/overview.html",
        {
            "programme": programme,
            "areas": programme.areas.all() if programme else [],
            "plans": plans,
            "plan": plan,
            "matrix": plan_selectors.task_matrix(plan=plan) if plan else None,
            "my_tasks": plan_selectors.tasks_for_agency(user=user)[:50],
            "can_manage": policy.can(user, "programme.manage"),
            "can_report": policy.can(user, "programme.progress_report"),
            "request_form": form if can_request else None,
            "request_statuses": plan_selectors.request_statuses(requests),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    policy.require(user, "programme.manage")
    form = TaskForm(request.POST or None)
    if request.method == "POST":
        task = submit(
            request,
            form,
            lambda d: plan_services.task_create(by=user, **d),
            _("Đã thêm nhiệm vụ."),
        )
        if isinstance(task, Task):
            return redirect("programme:task_detail", pk=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/task_create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    task = get_object_or_404(
        Task.objects.select_related("lead_agency", "plan", "area", "decision__meeting"), pk=pk
    )
    reportable = permissions.reportable_agency_ids(user, task)
    can_report = policy.can(user, "programme.task_report", task)
    form = ProgressForm(request.POST or None, agency_ids=reportable) if can_report else None
    status = 200
    if request.method == "POST":
        policy.require(user, "programme.task_report", task)
        assert form is not None
        if form.is_valid():
            try:
                report = plan_services.progress_report(by=user, task=task, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                if report is None:
                    messages.info(request, _("Tiến độ không đổi so với lần báo cáo trước."))
                else:
                    messages.success(request, _("Đã ghi nhận báo cáo tiến độ."))
                return redirect("programme:task_detail", pk=task.pk)
        status = 400
    today = timezone.localdate()
    return render(
        request,
        "programme/task_detail.html",
        {
            "task": task,
            "reports": task.reports.select_related("agency", "reported_by"),
            "form": form,
            "overdue": plan_selectors.is_overdue(task, today),
            "days_late": plan_selectors.days_late(task, today=today, calendar=working_calendar()),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_import(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    policy.require(user, "programme.progress_report")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = plan_services.progress_import(by=user, file=upload, filename=upload.name)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    _(
                        "Đã nhập %(rows)s dòng: %(created)s báo cáo mới, %(same)s dòng không đổi, "
                        "%(blank)s dòng chưa điền được bỏ qua."
                    )
                    % {
                        "rows": result.rows,
                        "created": result.created,
                        "same": result.unchanged,
                        "blank": result.blank,
                    },
                )
                for note in result.notes:
                    messages.warning(request, note)
                return redirect("programme:overview")
    return render(request, "programme/import.html", {"form": form, "errors": errors}, status=status)


@login_required
@require_GET
def progress_template(request: HttpRequest) -> HttpResponse:
    """A spreadsheet pre-filled with the open tasks the user may report on."""
    user = staff_user(request)
    policy.require(user, "programme.progress_report")
    rows: list[list[Any]] = []
    tasks = Task.objects.filter(status__in=Task.OPEN_STATUSES).select_related("lead_agency")
    for task in tasks.prefetch_related("coordinating_agencies").order_by("code"):
        for agency in [task.lead_agency, *task.coordinating_agencies.all()]:
            if agency.pk in permissions.reportable_agency_ids(user, task):
                rows.append([task.code, task.title, agency.name, None, "", "", None])
    response = HttpResponse(spreadsheet.template(rows), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tien-do-nhiem-vu.xlsx"'
    return response
