"""Staff pages of the programme: overview and matrix, tasks and progress, bulk import,
meetings, guidance and acknowledgements, the network, key projects, exemplary models and
commendations. Views parse input, ask the permissions module, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core.models import User
from phoihop.core.policy import agency_ids, is_coordinator
from phoihop.core.selectors import working_calendar
from phoihop.core.web import attach_errors
from phoihop.programme import permissions, selectors, services, spreadsheet
from phoihop.programme.forms import (
    ApprovalForm,
    CommendationForm,
    DecisionTaskForm,
    ExemplaryForm,
    FieldReportForm,
    GuidanceForm,
    ImportForm,
    IssueGuidanceForm,
    MeetingForm,
    ProgressForm,
    ReasonForm,
    TaskForm,
)
from phoihop.programme.models import (
    AnnualPlan,
    CommendationProposal,
    Decision,
    ExemplaryModel,
    Guidance,
    KeyProject,
    Meeting,
    Task,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    permissions.require(user, "programme.view")
    return user


def _submit(
    request: HttpRequest, form: forms.Form, run: Callable[[dict[str, Any]], Any], done: str
) -> Any | None:
    """Validate `form`, run the service; on success flash `done` and return its result."""
    if not form.is_valid():
        return None
    try:
        result = run(form.cleaned_data)
    except ValidationError as error:
        attach_errors(form, error)
        return None
    messages.success(request, done)
    return result if result is not None else True


# --- overview, matrix, tasks -----------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    programme = selectors.current_programme()
    plans = list(programme.plans.all()) if programme else []
    plan: AnnualPlan | None = None
    year = request.GET.get("nam", "")
    for candidate in plans:
        if str(candidate.year) == year:
            plan = candidate
    if plan is None and plans:
        plan = plans[0]
    return render(
        request,
        "programme/overview.html",
        {
            "programme": programme,
            "areas": programme.areas.all() if programme else [],
            "plans": plans,
            "plan": plan,
            "matrix": selectors.task_matrix(plan=plan) if plan else None,
            "my_tasks": selectors.tasks_for_agency(user=user)[:50],
            "can_manage": permissions.can(user, "programme.manage"),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    permissions.require(user, "programme.manage")
    form = TaskForm(request.POST or None)
    if request.method == "POST":
        task = _submit(
            request,
            form,
            lambda d: services.task_create(by=user, **d),
            _("Đã thêm nhiệm vụ."),
        )
        if isinstance(task, Task):
            return redirect("programme:task_detail", pk=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/task_create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = get_object_or_404(
        Task.objects.select_related("lead_agency", "plan", "area", "decision__meeting"), pk=pk
    )
    reportable = permissions.reportable_agency_ids(user, task)
    can_report = permissions.can(user, "task.report", task)
    form = ProgressForm(request.POST or None, agency_ids=reportable) if can_report else None
    status = 200
    if request.method == "POST":
        permissions.require(user, "task.report", task)
        assert form is not None
        if form.is_valid():
            try:
                report = services.progress_report(by=user, task=task, **form.cleaned_data)
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
            "overdue": selectors.is_overdue(task, today),
            "days_late": selectors.days_late(task, today=today, calendar=working_calendar()),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.progress_import(by=user, file=upload, filename=upload.name)
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
    user = _user(request)
    rows: list[list[Any]] = []
    tasks = Task.objects.filter(status__in=Task.OPEN_STATUSES).select_related("lead_agency")
    for task in tasks.prefetch_related("coordinating_agencies").order_by("code"):
        for agency in [task.lead_agency, *task.coordinating_agencies.all()]:
            if agency.pk in permissions.reportable_agency_ids(user, task):
                rows.append([task.code, task.title, agency.name, None, "", "", None])
    response = HttpResponse(spreadsheet.template(rows), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tien-do-nhiem-vu.xlsx"'
    return response


# --- meetings -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    programme = selectors.current_programme()
    can_manage = permissions.can(user, "programme.manage") and programme is not None
    form = MeetingForm(request.POST or None) if can_manage else None
    status = 200
    if request.method == "POST":
        permissions.require(user, "programme.manage")
        if form is None or programme is None:
            raise Http404
        meeting = _submit(
            request,
            form,
            lambda d: services.meeting_create(
                by=user,
                programme=programme,
                title=d["title"],
                held_on=d["held_on"],
                agenda=d["agenda"],
                attendees=d["attendees"],
                attendee_names=d["attendee_names"],
                decisions=d["decisions"].splitlines(),
            ),
            _("Đã ghi nhận cuộc họp giao ban."),
        )
        if isinstance(meeting, Meeting):
            return redirect("programme:meeting_detail", pk=meeting.pk)
        status = 400
    meetings = Meeting.objects.prefetch_related("decisions").order_by("-held_on")
    return render(
        request,
        "programme/meeting_list.html",
        {"meetings": meetings, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int, decision: int | None = None) -> HttpResponse:
    user = _user(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    can_manage = permissions.can(user, "programme.manage")
    bound: dict[int, DecisionTaskForm] = {}
    status = 200
    if request.method == "POST":
        permissions.require(user, "programme.manage")
        target = get_object_or_404(Decision, pk=decision, meeting=meeting)
        form = DecisionTaskForm(request.POST, prefix=f"d{target.pk}")
        task = _submit(
            request,
            form,
            lambda d: services.decision_to_task(by=user, decision=target, **d),
            _("Đã giao kết luận thành nhiệm vụ."),
        )
        if isinstance(task, Task):
            return redirect("programme:task_detail", pk=task.pk)
        bound[target.pk] = form
        status = 400
    rows = []
    for item in meeting.decisions.all():
        task = Task.objects.filter(decision=item).first()
        form_for = None
        if can_manage and task is None:
            form_for = bound.get(item.pk) or DecisionTaskForm(prefix=f"d{item.pk}")
        rows.append({"decision": item, "task": task, "form": form_for})
    return render(
        request,
        "programme/meeting_detail.html",
        {"meeting": meeting, "rows": rows, "can_manage": can_manage},
        status=status,
    )


# --- guidance -------------------------------------------------------------------------------


@login_required
@require_GET
def guidance_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "programme/guidance_list.html",
        {
            "guidances": selectors.guidance_list()[:200],
            "mine": selectors.guidance_for_recipient(user=user)[:50],
            "can_create": permissions.can(user, "guidance.create"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def guidance_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    permissions.require(user, "guidance.create")
    form = GuidanceForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST":
        guidance = _submit(
            request,
            form,
            lambda d: services.guidance_create(by=user, **d),
            _("Đã lưu dự thảo định hướng."),
        )
        if isinstance(guidance, Guidance):
            return redirect("programme:guidance_detail", pk=guidance.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/guidance_create.html", {"form": form}, status=status)


def _guidance_context(
    user: User, guidance: Guidance, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    recipient = selectors.recipient_of(guidance=guidance, user=user)
    draft = guidance.state == Guidance.State.DRAFT
    actions: dict[str, forms.Form] = {}
    if draft and permissions.can(user, "guidance.issue", guidance) and not guidance.needs_cosign:
        actions["issue"] = bound.get("issue") or IssueGuidanceForm()
    if draft and guidance.needs_cosign and permissions.can(user, "guidance.cosign", guidance):
        actions["cosign"] = bound.get("cosign") or forms.Form()
    sees_acks = permissions.can(user, "guidance.issue") or is_coordinator(user)
    return {
        "guidance": guidance,
        "recipient": recipient,
        "acks": selectors.acknowledgements(guidance=guidance) if sees_acks else None,
        "field_reports": (
            guidance.field_reports.select_related("signal", "member__user", "member__agency")
            if sees_acks
            else []
        ),
        "actions": actions,
        "report_form": (
            bound.get("report") or FieldReportForm()
            if permissions.can(user, "guidance.report_back")
            and guidance.state == Guidance.State.ISSUED
            else None
        ),
    }


@login_required
@require_GET
def guidance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    guidance = get_object_or_404(Guidance.objects.select_related("resolution"), pk=pk)
    return render(request, "programme/guidance_detail.html", _guidance_context(user, guidance))


@login_required
@require_GET
def guidance_acknowledgements(request: HttpRequest, pk: int) -> HttpResponse:
    """The acknowledgement lists alone, refreshed by htmx while the sender watches."""
    user = _user(request)
    if not (permissions.can(user, "guidance.issue") or is_coordinator(user)):
        raise PermissionDenied(_("Bạn không có quyền xem danh sách này."))
    guidance = get_object_or_404(Guidance, pk=pk)
    return render(
        request,
        "programme/_acknowledgements.html",
        {"guidance": guidance, "acks": selectors.acknowledgements(guidance=guidance)},
    )


@login_required
@require_POST
def guidance_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    guidance = get_object_or_404(Guidance, pk=pk)
    form: forms.Form
    if action == "issue":
        permissions.require(user, "guidance.issue", guidance)
        form = IssueGuidanceForm(request.POST)
        run: Callable[[dict[str, Any]], Any] = lambda d: services.guidance_issue(  # noqa: E731
            by=user, guidance=guidance, kinds=d["kinds"]
        )
        done = _("Đã phát hành định hướng tới mạng lưới.")
    elif action == "cosign":
        permissions.require(user, "guidance.cosign", guidance)
        form = forms.Form(request.POST)
        run = lambda d: services.guidance_cosign(by=user, guidance=guidance)  # noqa: E731
        done = _("Đã đồng ký định hướng.")
    elif action == "acknowledge":
        recipient = selectors.recipient_of(guidance=guidance, user=user)
        if recipient is None:
            raise PermissionDenied(_("Định hướng này không gửi cho bạn."))
        form = forms.Form(request.POST)
        run = lambda d: services.guidance_acknowledge(by=user, recipient=recipient)  # noqa: E731
        done = _("Đã xác nhận tiếp nhận định hướng.")
    elif action == "report":
        permissions.require(user, "guidance.report_back")
        form = FieldReportForm(request.POST)
        run = lambda d: services.field_report_send(  # noqa: E731
            by=user, text=d["text"], guidance=guidance
        )
        done = _("Đã gửi phản ánh dư luận; cảm ơn đồng chí.")
    else:
        raise Http404
    if _submit(request, form, run, done) is not None:
        return redirect("programme:guidance_detail", pk=guidance.pk)
    messages.error(request, _("Chưa thực hiện được: vui lòng xem lỗi bên dưới."))
    context = _guidance_context(user, guidance, bound={action: form})
    if action in ("cosign", "acknowledge"):
        context["action_errors"] = form.non_field_errors()
    return render(request, "programme/guidance_detail.html", context, status=400)


# --- key projects ---------------------------------------------------------------------------


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    projects = KeyProject.objects.select_related("owner_agency").prefetch_related("places")
    return render(
        request,
        "programme/project_list.html",
        {"projects": projects, "perms_manage": permissions.can(user, "programme.manage")},
    )


# --- exemplary models and commendations -------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exemplary_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    own = agency_ids(user, *permissions.STAFF_ROLES)
    can_create = permissions.can(user, "exemplary.create")
    form = ExemplaryForm(request.POST or None, agency_ids=own) if can_create else None
    status = 200
    if request.method == "POST":
        permissions.require(user, "exemplary.create")
        assert form is not None
        if _submit(
            request,
            form,
            lambda d: services.exemplary_create(by=user, **d),
            _("Đã ghi nhận điển hình."),
        ):
            return redirect("programme:exemplary_list")
        status = 400
    models = ExemplaryModel.objects.select_related("proposing_agency", "place", "field")
    return render(
        request,
        "programme/exemplary_list.html",
        {"models": models, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def commendation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    own = agency_ids(user, *permissions.STAFF_ROLES)
    can_create = permissions.can(user, "commendation.create")
    form = (
        CommendationForm(
            request.POST or None, agency_ids=own, initial={"year": timezone.localdate().year}
        )
        if can_create
        else None
    )
    status = 200
    if request.method == "POST":
        permissions.require(user, "commendation.create")
        assert form is not None
        proposal = _submit(
            request,
            form,
            lambda d: services.commendation_create(by=user, **d),
            _("Đã lưu dự thảo đề xuất khen thưởng."),
        )
        if isinstance(proposal, CommendationProposal):
            return redirect("programme:commendation_detail", pk=proposal.pk)
        status = 400
    year = timezone.localdate().year
    counts = selectors.commendation_counts(year=year)
    return render(
        request,
        "programme/commendation_list.html",
        {
            "proposals": selectors.commendations_for(user=user),
            "form": form,
            "year": year,
            "count_rows": [
                (label, counts[state]) for state, label in CommendationProposal.State.choices
            ],
        },
        status=status,
    )


COMMENDATION_ACTIONS: dict[str, tuple[permissions.Action, str, type[forms.Form]]] = {
    "submit": ("commendation.submit", CommendationProposal.State.DRAFT, forms.Form),
    "review": ("commendation.review", CommendationProposal.State.SUBMITTED, forms.Form),
    "approve": ("commendation.decide", CommendationProposal.State.REVIEWED, ApprovalForm),
    "reject": ("commendation.review", CommendationProposal.State.SUBMITTED, ReasonForm),
    "reject-final": ("commendation.decide", CommendationProposal.State.REVIEWED, ReasonForm),
}


def _commendation_context(
    user: User, proposal: CommendationProposal, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = {
        name: bound.get(name) or form_class(prefix=name)
        for name, (permission, state, form_class) in COMMENDATION_ACTIONS.items()
        if proposal.state == state and permissions.can(user, permission, proposal)
    }
    return {"proposal": proposal, "actions": actions}


@login_required
@require_GET
def commendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    proposal = get_object_or_404(CommendationProposal, pk=pk)
    return render(
        request, "programme/commendation_detail.html", _commendation_context(user, proposal)
    )


@login_required
@require_POST
def commendation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    proposal = get_object_or_404(CommendationProposal, pk=pk)
    if action not in COMMENDATION_ACTIONS:
        raise Http404
    permission, _state, form_class = COMMENDATION_ACTIONS[action]
    permissions.require(user, permission, proposal)
    form = form_class(request.POST, prefix=action)
    runs: dict[str, Callable[[dict[str, Any]], Any]] = {
        "submit": lambda d: services.commendation_submit(by=user, proposal=proposal),
        "review": lambda d: services.commendation_review(by=user, proposal=proposal),
        "approve": lambda d: services.commendation_approve(by=user, proposal=proposal, **d),
        "reject": lambda d: services.commendation_reject(
            by=user, proposal=proposal, reason=d["reason"]
        ),
        "reject-final": lambda d: services.commendation_reject(
            by=user, proposal=proposal, reason=d["reason"]
        ),
    }
    if _submit(request, form, runs[action], _("Đã cập nhật đề xuất khen thưởng.")) is not None:
        return redirect("programme:commendation_detail", pk=proposal.pk)
    proposal.refresh_from_db()
    messages.error(request, _("Chưa thực hiện được: vui lòng xem lỗi bên dưới."))
    return render(
        request,
        "programme/commendation_detail.html",
        _commendation_context(user, proposal, bound={action: form}),
        status=400,
    )
