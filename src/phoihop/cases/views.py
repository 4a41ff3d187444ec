"""The staff workspace: inbox, issue list, issue detail and the actions on an issue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.cases import attachments, deadlines, hot, selectors, services, states, timeline
from phoihop.cases.forms import (
    AnswerForm,
    AssignForm,
    ClassifyForm,
    ClearanceForm,
    CloseForm,
    EditForm,
    ExtensionForm,
    IssueCreateForm,
    IssueFilterForm,
    MergeForm,
    PublishForm,
    ReasonForm,
    RegimeForm,
    SplitForm,
    TextForm,
)
from phoihop.cases.models import Assignment, Issue, Response
from phoihop.cases.regime_models import DeadlineExtension
from phoihop.core import inbox as inbox_registry
from phoihop.core import policy
from phoihop.core.models import User
from phoihop.core.web import attach_errors, staff_user


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """«Việc của tôi»: every queue the apps registered with `core.inbox`, for this person."""
    user = staff_user(request)
    return render(
        request,
        "cases/inbox.html",
        {"queues": inbox_registry.queues_for(user), "today": timezone.localdate()},
    )


@login_required
@require_GET
def issue_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = IssueFilterForm(request.GET or None)
    page = Paginator(selectors.issues_visible_to(user=user, filters=form.filters()), 25).get_page(
        request.GET.get("trang")
    )
    query = request.GET.copy()
    query.pop("trang", None)
    scores = hot.hotness_of(issue_ids=[issue.pk for issue in page.object_list])
    for issue in page.object_list:
        issue.hot = scores.get(issue.pk)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
    }
    template = "cases/_issue_table.html" if request.htmx else "cases/issue_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    policy.require(user, "cases.issue_create")
    form = IssueCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_register(by=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã tiếp nhận vấn đề %s.") % issue.code)
            return redirect("cases:issue_detail", pk=issue.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/issue_create.html", {"form": form}, status=status)


@dataclass(frozen=True)
class Action:
    form: type[forms.Form]
    permission: str  # a verb of the policy registry
    run: Callable[[Any, User, dict[str, Any]], object]
    done: str | Any


ISSUE_ACTIONS: dict[str, Action] = {
    "classify": Action(
        ClassifyForm,
        "cases.issue_classify",
        lambda issue, by, d: services.issue_classify(issue=issue, by=by, **d),
        _lazy("Đã phân loại vấn đề."),
    ),
    "edit": Action(
        EditForm,
        "cases.issue_edit",
        lambda issue, by, d: services.issue_edit(issue=issue, by=by, **d),
        _lazy("Đã sửa thông tin vấn đề."),
    ),
    "assign": Action(
        AssignForm,
        "cases.issue_assign",
        lambda issue, by, d: services.issue_assign(issue=issue, by=by, **d),
        _lazy("Đã giao xử lý."),
    ),
    "answer": Action(
        AnswerForm,
        "cases.issue_answer",
        lambda issue, by, d: services.issue_answer(issue=issue, by=by, **d),
        _lazy("Đã duyệt trả lời chính thức."),
    ),
    "publish": Action(
        PublishForm,
        "cases.issue_publish",
        lambda issue, by, d: services.issue_publish(issue=issue, by=by),
        _lazy("Đã đăng trả lời lên cổng thông tin."),
    ),
    "close": Action(
        CloseForm,
        "cases.issue_close",
        lambda issue, by, d: services.issue_close(issue=issue, by=by),
        _lazy("Đã đóng vấn đề."),
    ),
    "grant": Action(
        ClearanceForm,
        "cases.issue_grant_clearance",
        lambda issue, by, d: services.issue_grant_clearance(issue=issue, by=by, user=d["user"]),
        _lazy("Đã cấp quyền xem."),
    ),
}

# The legal deadline panel (cases.deadlines): shown apart from the state actions.
DEADLINE_ACTIONS: dict[str, Action] = {
    "regime": Action(
        RegimeForm,
        "cases.issue_edit",  # what deadlines.issue_set_regime requires: coordinators
        lambda issue, by, d: deadlines.issue_set_regime(issue=issue, by=by, **d),
        _lazy("Đã cập nhật chế độ thời hạn của vấn đề."),
    ),
    "extend": Action(
        ExtensionForm,
        "cases.extension_request",
        lambda issue, by, d: deadlines.extension_request(issue=issue, by=by, **d),
        _lazy("Đã gửi đề nghị gia hạn; chờ lãnh đạo cơ quan chủ trì duyệt."),
    ),
}

ASSIGNMENT_ACTIONS: dict[str, Action] = {
    "accept": Action(
        forms.Form,
        "cases.assignment_accept",
        lambda a, by, d: services.assignment_accept(assignment=a, by=by),
        _lazy("Đã tiếp nhận việc được giao."),
    ),
    "return": Action(
        ReasonForm,
        "cases.assignment_return",
        lambda a, by, d: services.assignment_return(assignment=a, by=by, reason=d["reason"]),
        _lazy("Đã trả lại; cơ quan điều phối sẽ giao lại."),
    ),
    "respond": Action(
        TextForm,
        "cases.assignment_respond",
        lambda a, by, d: services.assignment_respond(
            assignment=a, by=by, text=d["text"], attachment=d.get("attachment")
        ),
        _lazy("Đã gửi ý kiến xử lý."),
    ),
}


def _visible_issue(user: User, pk: int) -> Issue:
    issue = selectors.issue_for(user=user, pk=pk)
    if issue is None:
        raise Http404(_("Không tìm thấy vấn đề."))
    return issue


def _detail_context(
    user: User, issue: Issue, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    today = timezone.localdate()
    offered = states.offered_actions(issue)
    assignments = list(issue.assignments.select_related("agency").prefetch_related("responses"))
    issue_forms = {
        name: bound.get(name) or _initial_form(name, action, issue)
        for name, action in ISSUE_ACTIONS.items()
        if (name in offered or name in bound) and policy.can(user, action.permission, issue)
    }
    rows = []
    for a in assignments:
        actions = {
            name: bound.get(f"a{a.pk}-{name}") or action.form(prefix=f"a{a.pk}")
            for name, action in ASSIGNMENT_ACTIONS.items()
            if a.is_open and policy.can(user, action.permission, a)
        }
        if a.state != Assignment.State.PENDING:
            actions.pop("accept", None)
        rows.append(
            {"assignment": a, "overdue": selectors.is_overdue(a, today), "actions": actions}
        )
    can_regroup = issue.state != Issue.State.CLOSED and policy.can(user, "cases.issue_merge", issue)
    return {
        "issue": issue,
        "hot": selectors.issue_hotness(issue=issue),
        # The Propaganda Department's coordinators draft the on-demand public-opinion report
        # of a matter (reports app; "situation" is its kind of document).
        "can_report": policy.can(user, "reports.report_draft", "situation")
        and issue.visibility != Issue.Visibility.CONFIDENTIAL,
        # signals the triage proposes for this issue: not yet placed, so only those who
        # decide proposals may read them (a handler would get a 404 behind the link)
        "can_decide_proposals": policy.can(user, "triaging.proposal_decide"),
        "rows": rows,
        "forms": issue_forms,
        "merge_form": MergeForm() if can_regroup else None,
        "split_form": SplitForm(issue=issue) if can_regroup and issue.signals.count() > 1 else None,
        "timeline": timeline.issue_timeline(issue=issue),
        "prefill_from": selectors.answer_draft(issue=issue) if "answer" in issue_forms else None,
        "today": today,
        "deadline": _deadline_panel(user, issue, bound),
    }


def _deadline_panel(user: User, issue: Issue, bound: dict[str, forms.Form]) -> dict[str, Any]:
    """The issue's regime, legal due date and extensions, with the forms this person may use."""
    status = deadlines.due_status(issue)
    regime_form = None
    if policy.can(user, "cases.issue_edit", issue):
        regime_form = bound.get("regime") or RegimeForm(
            initial={
                "regime": deadlines.regime_of(issue),
                "complexity": issue.complexity,
                "remote_area": issue.remote_area,
                "second_time": issue.second_time,
            }
        )
    rule = deadlines.extension_step(issue)
    can_decide = policy.can(user, "cases.extension_decide", issue)
    extensions: list[dict[str, Any]] = [
        {
            "extension": e,
            "decidable": can_decide
            and e.state == DeadlineExtension.State.REQUESTED
            and e.requested_by_id != user.pk,
        }
        for e in issue.extensions.select_related("requested_by", "decided_by")
    ]
    # Offered while the regime still allows one more (requested or granted count).
    used = len([r for r in extensions if r["extension"].state != DeadlineExtension.State.REFUSED])
    extension_form = None
    if (
        status.open
        and rule is not None
        and (used < rule.max_times or "extend" in bound)
        and policy.can(user, "cases.extension_request", issue)
    ):
        extension_form = bound.get("extend") or ExtensionForm()
    return {
        "regime": deadlines.regime_of(issue),
        "status": status,
        "days_late": -status.working_days_left if status.working_days_left else 0,
        "rule": rule,
        "regime_form": regime_form,
        "extension_form": extension_form,
        "extensions": extensions,
    }


def _initial_form(name: str, action: Action, issue: Issue) -> forms.Form:
    if name == "classify":
        return ClassifyForm(
            initial={
                "field": issue.field_id,
                "urgency": issue.urgency,
                "visibility": issue.visibility,
                "competence": issue.competence,
                "place": issue.place_id,
            }
        )
    if name == "edit":
        return EditForm(
            initial={
                "title": issue.title,
                "short_title": issue.short_title,
                "field": issue.field_id,
                "place": issue.place_id,
                "urgency": issue.urgency,
                "visibility": issue.visibility,
            }
        )
    if name == "answer":
        draft = selectors.answer_draft(issue=issue)
        return AnswerForm(initial={"text": draft.text if draft else ""})
    if name == "assign":
        lead = issue.lead_assignment
        return AssignForm(initial={"role": "support" if lead else "lead"})
    return action.form()


@login_required
@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    issue = _visible_issue(user, pk)
    return render(request, "cases/issue_detail.html", _detail_context(user, issue))


@login_required
@require_POST
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = staff_user(request)
    issue = _visible_issue(user, pk)
    spec = ISSUE_ACTIONS.get(action) or DEADLINE_ACTIONS.get(action)
    if spec is None:
        raise Http404
    policy.require(user, spec.permission, issue)
    form = spec.form(request.POST)
    return _run(request, user, issue, issue, spec, form, action)


@login_required
@require_POST
def assignment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = staff_user(request)
    assignment = get_object_or_404(Assignment, pk=pk)
    issue = _visible_issue(user, assignment.issue_id)
    spec = ASSIGNMENT_ACTIONS.get(action)
    if spec is None:
        raise Http404
    policy.require(user, spec.permission, assignment)
    form = spec.form(request.POST, request.FILES, prefix=f"a{assignment.pk}")
    return _run(request, user, issue, assignment, spec, form, f"a{assignment.pk}-{action}")


def _run(
    request: HttpRequest,
    user: User,
    issue: Issue,
    target: Any,
    spec: Action,
    form: forms.Form,
    key: str,
) -> HttpResponse:
    if form.is_valid():
        try:
            spec.run(target, user, form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, str(spec.done))
            return redirect("cases:issue_detail", pk=issue.pk)
    issue.refresh_from_db()
    context = _detail_context(user, issue, bound={key: form})
    messages.error(request, _("Chưa thực hiện được: vui lòng xem lỗi bên dưới."))
    return render(request, "cases/issue_detail.html", context, status=400)


EXTENSION_DECISIONS = {
    "approve": (True, _lazy("Đã duyệt gia hạn; hạn giải quyết mới là %s.")),
    "refuse": (False, _lazy("Đã không duyệt đề nghị gia hạn.")),
}


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """A leader of the lead agency approves or refuses a requested extension."""
    user = staff_user(request)
    extension = get_object_or_404(DeadlineExtension, pk=pk)
    issue = _visible_issue(user, extension.issue_id)
    if decision not in EXTENSION_DECISIONS:
        raise Http404
    approve, done = EXTENSION_DECISIONS[decision]
    policy.require(user, "cases.extension_decide", issue)
    try:
        deadlines.extension_decide(extension=extension, by=user, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if approve:
            due = deadlines.legal_due(Issue.objects.get(pk=issue.pk)).on
            messages.success(request, str(done) % (due.strftime("%d/%m/%Y") if due else "—"))
        else:
            messages.success(request, str(done))
    return redirect("cases:issue_detail", pk=issue.pk)


@login_required
@require_POST
def issue_regroup(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Merge this issue into another (by code), or split some of its signals off."""
    user = staff_user(request)
    issue = _visible_issue(user, pk)
    policy.require(user, "cases.issue_merge", issue)
    try:
        if action == "gop":
            form: forms.Form = MergeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            code = selectors.normalize_issue_code(form.cleaned_data["target"])
            target = selectors.issue_by_code(user=user, code=code)
            if target is None:
                raise ValidationError(_("Không có vấn đề mã «%s» mà bạn được xem.") % code)
            result = services.issue_merge(source=issue, target=target, by=user)
            messages.success(
                request, _("Đã gộp %(a)s vào %(b)s.") % {"a": issue.code, "b": target.code}
            )
        elif action == "tach":
            form = SplitForm(request.POST, issue=issue)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            result = services.issue_split(
                issue=issue,
                by=user,
                signal_ids=form.cleaned_data["signals"],
                title=form.cleaned_data["title"],
            )
            messages.success(request, _("Đã tách sang vấn đề mới %s.") % result.code)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cases:issue_detail", pk=issue.pk)
    return redirect("cases:issue_detail", pk=result.pk)


@login_required
@require_GET
def response_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file attached to a response, for whoever may see its issue."""
    user = staff_user(request)
    response = get_object_or_404(Response.objects.select_related("assignment"), pk=pk)
    _visible_issue(user, response.assignment.issue_id)
    if not response.attachment:
        raise Http404(_("Ý kiến này không có tệp đính kèm."))
    return FileResponse(
        response.attachment.open("rb"),
        as_attachment=True,
        filename=response.attachment_name or "tep-dinh-kem",
        content_type=attachments.content_type(response.attachment.name),
    )
