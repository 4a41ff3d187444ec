"""Meeting pages beyond the decisions: minutes and the files kept with the meeting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.programme import meeting_services
from phoihop.programme.meeting_models import MeetingAttachment
from phoihop.programme.models import Meeting


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
