"""Meetings keep minutes and files; the notice of conclusions is drafted from the meeting page;
a conclusion turned into a task keeps the link both ways."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from phoihop.core.models import AuditEvent
from phoihop.programme import meeting_services, services
from phoihop.programme.meeting_models import MeetingAttachment
from phoihop.programme.models import Meeting
from phoihop.reports.models import ReportDocument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def meeting(prog: Any, settings: Any, tmp_path: Any) -> Meeting:
    settings.MEDIA_ROOT = tmp_path
    return services.meeting_create(
        by=prog.world.coordinator,
        programme=prog.programme,
        title="Giao ban quý IV",
        held_on=dt.date(2026, 11, 20),
        attendees=[prog.world.coordinator_agency, prog.world.dept],
        decisions=["Sở NN&MT công khai tiến độ chi trả bồi thường."],
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_minutes_are_saved_with_their_history(prog: Any, meeting: Meeting) -> None:
    w = prog.world
    with pytest.raises(PermissionDenied):
        meeting_services.meeting_minutes_save(by=w.handler, meeting=meeting, minutes="x")
    with pytest.raises(ValidationError):
        meeting_services.meeting_minutes_save(by=w.coordinator, meeting=meeting, minutes="  ")
    meeting_services.meeting_minutes_save(by=w.coordinator, meeting=meeting, minutes="Bản 1")
    meeting_services.meeting_minutes_save(by=w.coordinator, meeting=meeting, minutes="Bản 2")
    meeting.refresh_from_db()
    assert meeting.minutes == "Bản 2"
    events = AuditEvent.objects.filter(action="meeting.minutes").order_by("id")
    assert [e.before["minutes"] for e in events] == ["", "Bản 1"]


def test_attachments_are_checked_by_their_bytes_and_kept_once(prog: Any, meeting: Meeting) -> None:
    w = prog.world
    first = meeting_services.meeting_attachment_add(
        by=w.coordinator, meeting=meeting, name="bien-ban.pdf", data=PDF
    )
    again = meeting_services.meeting_attachment_add(
        by=w.coordinator, meeting=meeting, name="ban-sao.pdf", data=PDF
    )
    assert first.pk == again.pk and first.content_type == "application/pdf"
    with pytest.raises(ValidationError, match="không phải PDF"):
        meeting_services.meeting_attachment_add(
            by=w.coordinator, meeting=meeting, name="virus.pdf", data=b"MZ\x90\x00 not a pdf"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    slides = meeting_services.meeting_attachment_add(
        by=w.coordinator, meeting=meeting, name="tham-luan.docx", data=buffer.getvalue()
    )
    assert slides.content_type.endswith("wordprocessingml.document")
    with pytest.raises(PermissionDenied):
        meeting_services.meeting_attachment_add(
            by=w.handler, meeting=meeting, name="a.pdf", data=PDF + b"1"
        )
    assert MeetingAttachment.objects.filter(meeting=meeting).count() == 2


def test_meeting_page_minutes_files_notice_and_task_link(prog: Any, meeting: Meeting) -> None:
    w = prog.world
    coordinator = _client(w.coordinator)
    base = f"/cong-viec/chuong-trinh/giao-ban/{meeting.pk}/"
    assert coordinator.post(f"{base}bien-ban/", {"minutes": "Đồng chí Phó Trưởng Ban chủ trì."})
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    assert coordinator.post(f"{base}tep/", {"file": upload}).status_code == 302
    bad = SimpleUploadedFile("anh.png", b"not an image", content_type="image/png")
    shown = coordinator.post(f"{base}tep/", {"file": bad}, follow=True).content.decode()
    assert "không phải PDF" in shown
    page = coordinator.get(base).content.decode()
    assert "Đồng chí Phó Trưởng Ban chủ trì." in page and "bien-ban.pdf" in page
    assert "Lập dự thảo thông báo kết luận" in page
    attachment = MeetingAttachment.objects.get()
    download = _client(w.handler).get(f"{base}tep/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    handler_page = _client(w.handler).get(base).content.decode()
    assert "Lưu biên bản" not in handler_page  # only coordinators edit
    assert _client(w.handler).post(f"{base}bien-ban/", {"minutes": "x"}).status_code == 403

    decision = meeting.decisions.get()
    task = services.decision_to_task(
        by=w.coordinator,
        decision=decision,
        plan=prog.plan,
        lead_agency=w.dept,
        due_on=dt.date(2026, 12, 15),
    )
    task_page = coordinator.get(f"/cong-viec/chuong-trinh/nhiem-vu/{task.pk}/").content.decode()
    assert "Theo kết luận giao ban" in task_page and "Giao ban quý IV" in task_page

    response = coordinator.post(
        "/cong-viec/bao-cao/van-ban/", {"kind": "conclusions", "meeting": meeting.pk}
    )
    assert response.status_code == 302
    notice = ReportDocument.objects.get(meeting=meeting)
    assert task.code in str(notice.content)
    assert "Đồng chí Phó Trưởng Ban chủ trì." in str(notice.content)
    assert "Thông báo kết luận hội nghị giao ban" in coordinator.get(base).content.decode()
