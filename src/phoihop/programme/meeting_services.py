"""Writes on coordination meetings: the meeting with its decisions, a decision turned into a
task, the minutes and the files kept with the meeting. (The conclusions notice is issued as
a document by the reports app.)"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import Agency, User
from phoihop.intake.files import FileRejected, attachment_type, check_zip, max_file_bytes
from phoihop.programme import inputs
from phoihop.programme.meeting_models import MeetingAttachment
from phoihop.programme.models import AnnualPlan, ContentArea, Decision, Meeting, Programme, Task
from phoihop.programme.plan_services import task_create

OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}


@transaction.atomic
def meeting_minutes_save(*, by: User, meeting: Meeting, minutes: str) -> Meeting:
    """Record (or correct) the minutes of a meeting; the audit keeps every earlier wording."""
    policy.require(by, "programme.manage")
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Cần nhập nội dung biên bản.")})
    before = meeting.minutes
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    audit.record(
        actor=by,
        action="meeting.minutes",
        target=meeting,
        scope=f"programme:{meeting.programme_id}",
        before={"minutes": before},
        after={"minutes": minutes},
    )
    return meeting


def _content_type(name: str, data: bytes) -> str:
    """PDF and images by their bytes; DOCX/XLSX/PPTX as safe ZIP archives with that extension."""
    found = attachment_type(data[:16])
    if found is not None:
        return found
    suffix = PurePath(name).suffix.lower()
    if data[:4] == b"PK\x03\x04" and suffix in OFFICE_TYPES:
        try:
            check_zip(data)
        except FileRejected as error:
            raise ValidationError({"file": error.messages}) from error
        return OFFICE_TYPES[suffix]
    raise ValidationError(
        {"file": _("Tệp «%(name)s» không phải PDF, ảnh, DOCX, XLSX hoặc PPTX.") % {"name": name}}
    )


@transaction.atomic
def meeting_attachment_add(
    *, by: User, meeting: Meeting, name: str, data: bytes
) -> MeetingAttachment:
    """Keep a file with the meeting; the same file twice is kept once."""
    policy.require(by, "programme.manage")
    name = PurePath(name or "tep").name[:255]
    limit = max_file_bytes()
    if not data:
        raise ValidationError({"file": _("Tệp «%(name)s» rỗng.") % {"name": name}})
    if len(data) > limit:
        raise ValidationError(
            {
                "file": _("Tệp «%(name)s» quá lớn; tối đa %(n)s MB.")
                % {"name": name, "n": limit // 2**20}
            }
        )
    content_type = _content_type(name, data)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = MeetingAttachment.objects.filter(meeting=meeting, sha256=sha256).first()
    if existing is not None:
        return existing
    suffix = EXTENSIONS.get(content_type) or PurePath(name).suffix.lower()
    attachment = MeetingAttachment(
        meeting=meeting,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=sha256,
        uploaded_by=by,
    )
    attachment.file.save(f"{sha256[:16]}{suffix}", ContentFile(data), save=False)
    attachment.save()
    audit.record(
        actor=by,
        action="meeting.attachment",
        target=meeting,
        scope=f"programme:{meeting.programme_id}",
        name=name,
        sha256=sha256,
        size=len(data),
    )
    return attachment


@transaction.atomic
def meeting_create(
    *,
    by: User,
    programme: Programme,
    title: str,
    held_on: dt.date,
    agenda: str = "",
    attendees: Iterable[Agency] = (),
    attendee_names: str = "",
    minutes: str = "",
    decisions: Iterable[str] = (),
) -> Meeting:
    """Record a coordination meeting (giao ban) with its agenda, attendees and decisions."""
    policy.require(by, "programme.manage")
    title = inputs.required(title, "title", _("Cần nhập tên cuộc họp."))
    meeting = Meeting.objects.create(
        programme=programme,
        title=title,
        held_on=held_on,
        agenda=(agenda or "").strip(),
        attendee_names=(attendee_names or "").strip(),
        minutes=(minutes or "").strip(),
        created_by=by,
    )
    meeting.attendees.set(list(attendees))
    audit.record(
        actor=by,
        action="meeting.create",
        target=meeting,
        scope=f"programme:{programme.pk}",
        held_on=held_on,
        attendees=[a.name for a in meeting.attendees.all()],
    )
    for text in decisions:
        if inputs.text(text):
            decision_add(by=by, meeting=meeting, text=text)
    return meeting


@transaction.atomic
def decision_add(*, by: User, meeting: Meeting, text: str) -> Decision:
    policy.require(by, "programme.manage")
    text = inputs.required(text, "text", _("Cần nhập nội dung kết luận."))
    decision = Decision.objects.create(meeting=meeting, text=text)
    audit.record(
        actor=by,
        action="meeting.decision",
        target=meeting,
        scope=f"programme:{meeting.programme_id}",
        decision=decision.pk,
        text=text,
    )
    return decision


@transaction.atomic
def decision_to_task(
    *,
    by: User,
    decision: Decision,
    plan: AnnualPlan,
    lead_agency: Agency,
    due_on: dt.date,
    coordinating_agencies: Iterable[Agency] = (),
    title: str = "",
    area: ContentArea | None = None,
) -> Task:
    """Turn a meeting decision into a task of an annual plan (once)."""
    policy.require(by, "programme.manage")
    if Task.objects.filter(decision=decision).exists():
        raise ValidationError(_("Kết luận này đã được giao thành nhiệm vụ."))
    if plan.programme_id != decision.meeting.programme_id:
        raise ValidationError({"plan": _("Kế hoạch không thuộc chương trình của cuộc họp.")})
    return task_create(
        by=by,
        plan=plan,
        title=title or decision.text[:500],
        description=_("Theo kết luận hội nghị giao ban «%(meeting)s» ngày %(day)s.")
        % {"meeting": decision.meeting.title, "day": decision.meeting.held_on.strftime("%d/%m/%Y")},
        lead_agency=lead_agency,
        due_on=due_on,
        coordinating_agencies=coordinating_agencies,
        area=area,
        decision=decision,
    )
