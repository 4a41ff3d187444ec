"""Meeting pages: the list with the form for a new meeting, a meeting with its decisions (each
turned into a task), the minutes and the files kept with the meeting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.programme import meeting_services, plan_selectors
from phoihop.programme.forms import DecisionTaskForm, MeetingForm
from phoihop.programme.meeting_models import MeetingAttachment
from phoihop.programme.models import Decision, Meeting, Task
from phoihop.programme.web import staff_user, submit


def _manager(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    policy.require(user, "programme.manage")
    return user


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        meeting_services.meeting_minutes_save(
            by=user, meeting=meeting, minutes=request.POST.get("minutes", "")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Đã lưu biên bản hội nghị."))
    return redirect("programme:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    uploads = request.FILES.getlist("file")
    if not uploads:
        messages.error(request, _("Cần chọn tệp để đính kèm."))
    for upload in uploads:
        try:
            meeting_services.meeting_attachment_add(
                by=user, meeting=meeting, name=upload.name or "", data=upload.read()
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Đã đính kèm tệp «%(name)s».") % {"name": upload.name})
    return redirect("programme:meeting_detail", pk=meeting.pk)


@login_required
@require_GET
def meeting_attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    user = request.user
    assert isinstance(user, User)
    policy.require(user, "programme.view")
    found = get_object_or_404(MeetingAttachment, pk=attachment, meeting_id=pk)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    programme = plan_selectors.current_programme()
    can_manage = policy.can(user, "programme.manage") and programme is not None
    form = MeetingForm(request.POST or None) if can_manage else None
    status = 200
    if request.method == "POST":
        policy.require(user, "programme.manage")
        if form is None or programme is None:
            raise Http404
        meeting = submit(
            request,
            form,
            lambda d: meeting_services.meeting_create(
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
    user = staff_user(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    can_manage = policy.can(user, "programme.manage")
    bound: dict[int, DecisionTaskForm] = {}
    status = 200
    if request.method == "POST":
        policy.require(user, "programme.manage")
        target = get_object_or_404(Decision, pk=decision, meeting=meeting)
        form = DecisionTaskForm(request.POST, prefix=f"d{target.pk}")
        task = submit(
            request,
            form,
            lambda d: meeting_services.decision_to_task(by=user, decision=target, **d),
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
