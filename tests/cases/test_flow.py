"""The issue workflow as staff use it: correcting an issue after classification, one-step
entry, the answer prefilled from the lead's response, attachments, publish versus close,
and «Việc của tôi» built from the registered queues."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.html import parse_html
from django.utils import timezone
from tests.factories import UnitFactory

from phoihop.cases import services, timeline
from phoihop.cases.forms import AssignForm, IssueCreateForm
from phoihop.cases.models import Issue, Response
from phoihop.core.collation import sort_key
from phoihop.core.inbox import queues_for
from phoihop.core.models import AuditEvent
from phoihop.core.pickers import PythonSelect
from phoihop.core.selectors import working_calendar

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_progress(
    world: Any, *, title: str = "Đường liên xã xuống cấp", visibility: str = "public"
) -> Issue:
    issue = services.issue_create(by=world.coordinator, title=title, visibility=visibility)
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    services.assignment_accept(assignment=lead, by=world.handler)
    return issue


def _answered(world: Any) -> Issue:
    issue = _in_progress(world)
    lead = issue.lead_assignment
    assert lead is not None
    services.assignment_respond(assignment=lead, by=world.handler, text="Đã sửa xong đường.")
    return services.issue_answer(issue=issue, by=world.leader, text="Đã sửa xong đường.")


# --- corrections after classification --------------------------------------------------


def test_coordinator_makes_a_classified_issue_public_and_the_change_is_audited(
    world: Any,
) -> None:
    issue = services.issue_create(by=world.coordinator, title="Tiếp nhận từ kiến nghị")
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    ward = UnitFactory(name="Phường Đông Kinh")
    services.issue_edit(
        issue=issue,
        by=world.coordinator,
        title="Đường Bà Triệu ngập sau mưa",
        short_title="Ngập đường Bà Triệu",
        field=world.field,
        place=ward,
        urgency=Issue.Urgency.URGENT,
        visibility=Issue.Visibility.PUBLIC,
    )
    issue.refresh_from_db()
    assert (issue.visibility, issue.place, issue.short_title) == (
        Issue.Visibility.PUBLIC,
        ward,
        "Ngập đường Bà Triệu",
    )
    event = AuditEvent.objects.get(action="issue.edit")
    assert event.before is not None and event.after is not None
    assert event.before["visibility"] == "internal" and event.after["visibility"] == "public"
    assert "state" not in event.after  # only what changed
    told = " ".join(e.text for e in timeline.issue_timeline(issue=issue))
    assert "Mức độ công khai: Nội bộ → Công khai" in told
    assert "Địa bàn: — → Phường Đông Kinh" in told


def test_only_coordinators_edit_and_never_a_received_or_closed_issue(world: Any) -> None:
    issue = _in_progress(world)
    fields = {"title": "Khác", "field": world.field, "visibility": "public"}
    with pytest.raises(PermissionDenied):
        services.issue_edit(issue=issue, by=world.handler, **fields)
    new = services.issue_create(by=world.coordinator, title="Mới tiếp nhận")
    with pytest.raises(ValidationError, match="không sửa thông tin"):
        services.issue_edit(issue=new, by=world.coordinator, **fields)


def test_a_published_answer_cannot_go_back_to_internal(world: Any) -> None:
    issue = services.issue_publish(issue=_answered(world), by=world.coordinator)
    with pytest.raises(ValidationError) as error:
        services.issue_edit(issue=issue, by=world.coordinator, title=issue.title, field=world.field)
    assert "visibility" in error.value.message_dict
    issue.refresh_from_db()
    assert issue.visibility == Issue.Visibility.PUBLIC


def test_edit_form_on_the_issue_page_saves_and_shows_errors_on_the_field(world: Any) -> None:
    issue = _in_progress(world)
    client = _client(world.coordinator)
    page = client.get(f"/cong-viec/van-de/{issue.pk}/").content.decode()
    assert 'id="form-edit"' in page
    bad = client.post(f"/cong-viec/van-de/{issue.pk}/edit/", {"title": "", "urgency": "normal"})
    assert bad.status_code == 400 and "Trường này là bắt buộc" in bad.content.decode()
    good = client.post(
        f"/cong-viec/van-de/{issue.pk}/edit/",
        {
            "title": "Tiêu đề đã sửa",
            "field": world.field.pk,
            "urgency": "urgent",
            "visibility": "public",
        },
    )
    assert good.status_code == 302
    issue.refresh_from_db()
    assert (issue.title, issue.urgency) == ("Tiêu đề đã sửa", "urgent")


# --- one-step manual entry ---------------------------------------------------------------


def test_one_form_records_classifies_and_assigns(world: Any) -> None:
    deadline = working_calendar().add_working_days(timezone.localdate(), 5)
    response = _client(world.coordinator).post(
        "/cong-viec/van-de/moi/",
        {
            "title": "Cầu treo hư hỏng",
            "urgency": "urgent",
            "visibility": "public",
            "field": world.field.pk,
            "lead": world.dept.pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get(title="Cầu treo hư hỏng")
    assert issue.state == Issue.State.ASSIGNED
    assert issue.assignments.get().deadline == deadline


def test_one_step_entry_is_all_or_nothing(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.issue_register(by=world.coordinator, title="Thiếu lĩnh vực", lead=world.dept)
    assert "field" in error.value.message_dict
    assert not Issue.objects.exists()


def test_a_deadline_on_a_day_off_needs_confirmation(world: Any) -> None:
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    data = {"agency": world.dept.pk, "role": "lead", "deadline": saturday.isoformat()}
    form = AssignForm(data)
    assert not form.is_valid()
    assert "ngày nghỉ" in form.errors["deadline"][0]
    assert saturday.strftime("%d/%m/%Y") in form.errors["deadline"][0]
    confirmed = AssignForm({**data, "keep_non_working": "on"})
    assert confirmed.is_valid(), confirmed.errors
    assert "keep_non_working" not in confirmed.cleaned_data
    holidays_ahead = form.fields["deadline"].widget.attrs["data-non-working"].split()
    assert all(len(day) == 10 and day[4] == "-" for day in holidays_ahead)


def test_pickers_group_agencies_and_sort_communes_the_vietnamese_way(world: Any) -> None:
    for name in ("Xã Bình Gia", "Xã Bắc Sơn", "Phường Đông Kinh", "Xã Đình Lập", "Xã Dân Chủ"):
        UnitFactory(name=name)
    form = IssueCreateForm()
    names = [label for value, label in form.fields["place"].choices if value]
    assert names.index("Xã Bắc Sơn") < names.index("Xã Bình Gia")
    assert names.index("Xã Dân Chủ") < names.index("Xã Đình Lập") < names.index("Phường Đông Kinh")
    groups = [label for label, _members in form.fields["lead"].choices[1:]]
    assert groups[0] == "Sở, ban, ngành"
    assert 'data-searchable="1"' in str(form["lead"])


def test_the_pickers_written_in_python_are_django_s_own_markup(world: Any) -> None:
    UnitFactory(name='Xã <Bắc> & "Sơn"')
    form = IssueCreateForm(data={"lead": world.dept.pk, "place": ""})
    for name in ("lead", "place"):
        field = form.fields[name]
        assert isinstance(field.widget, PythonSelect)
        django_select = forms.Select(attrs=field.widget.attrs, choices=field.choices)
        django_select.is_required = field.widget.is_required
        bound = form[name]
        ours = bound.as_widget()
        theirs = bound.as_widget(widget=django_select)
        assert parse_html(ours) == parse_html(theirs), name
    lead = str(form["lead"])
    assert f'<option value="{world.dept.pk}" selected>' in lead and "<optgroup label=" in lead
    assert "&lt;Bắc&gt; &amp; &quot;Sơn&quot;" in str(form["place"])


def test_vietnamese_collation_keys() -> None:
    words = ["Đa", "Dương", "Bình", "Bắc", "Ân", "An", "Ấp", "Ba", "Bà", "Bá"]
    assert sorted(words, key=sort_key) == [
        "An",
        "Ân",
        "Ấp",
        "Ba",
        "Bà",
        "Bá",
        "Bắc",
        "Bình",
        "Dương",
        "Đa",
    ]


# --- answer, attachments, publish --------------------------------------------------------


def test_the_leader_finds_the_answer_prefilled_from_the_lead_response(world: Any) -> None:
    issue = _in_progress(world)
    lead = issue.lead_assignment
    assert lead is not None
    services.assignment_respond(
        assignment=lead, by=world.handler, text="Sở đã chỉ đạo sửa chữa trong tháng 12."
    )
    page = _client(world.leader).get(f"/cong-viec/van-de/{issue.pk}/").content.decode()
    assert 'id="form-answer"' in page
    assert "Sở đã chỉ đạo sửa chữa trong tháng 12.</textarea>" in page
    assert "Đã điền sẵn từ ý kiến xử lý" in page


def test_a_signed_pdf_travels_with_the_response_and_only_those_who_see_the_issue_download_it(
    world: Any,
) -> None:
    issue = _in_progress(world, visibility=Issue.Visibility.INTERNAL)
    lead = issue.lead_assignment
    assert lead is not None
    upload = SimpleUploadedFile("Công văn 123-SNN.pdf", PDF, content_type="application/pdf")
    response = _client(world.handler).post(
        f"/cong-viec/giao/{lead.pk}/respond/",
        {f"a{lead.pk}-text": "Gửi công văn trả lời.", f"a{lead.pk}-attachment": upload},
    )
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.attachment_name == "Công văn 123-SNN.pdf"
    assert "Công văn" not in saved.attachment.name  # stored under a random name
    assert saved.attachment.name.endswith(".pdf")
    download = _client(world.leader).get(f"/cong-viec/y-kien/{saved.pk}/tep/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]
    assert _client(world.other_handler).get(f"/cong-viec/y-kien/{saved.pk}/tep/").status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", "chỉ nhận"),
        ("gia-mao.pdf", b"<html>not a pdf</html>", "không phải tệp PDF thật"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_attachments_outside_the_allow_list_are_refused_and_nothing_is_stored(
    world: Any, name: str, data: bytes, words: str
) -> None:
    issue = _in_progress(world)
    lead = issue.lead_assignment
    assert lead is not None
    response = _client(world.handler).post(
        f"/cong-viec/giao/{lead.pk}/respond/",
        {f"a{lead.pk}-text": "Gửi tệp.", f"a{lead.pk}-attachment": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Response.objects.exists()


def test_publish_and_close_differ_ask_for_confirmation_and_publishing_links_the_public_page(
    world: Any,
) -> None:
    issue = _answered(world)
    client = _client(world.coordinator)
    page = client.get(f"/cong-viec/van-de/{issue.pk}/").content.decode()
    assert "Đăng công khai</button>" in page and 'class="preview"' in page
    assert "Đã sửa xong đường." in page
    # a public answer is published before the issue closes: closed, it never could be
    assert "Kết thúc và đóng vấn đề</button>" not in page
    refused = client.post(f"/cong-viec/van-de/{issue.pk}/close/", {"confirm": "on"})
    assert refused.status_code == 400
    assert "cần đăng trả lời lên cổng thông tin trước khi đóng" in refused.content.decode()
    unconfirmed = client.post(f"/cong-viec/van-de/{issue.pk}/publish/")
    assert unconfirmed.status_code == 400
    assert "Cần xác nhận đã đọc lại" in unconfirmed.content.decode()
    issue.refresh_from_db()
    assert issue.state == Issue.State.ANSWERED
    done = client.post(f"/cong-viec/van-de/{issue.pk}/publish/", {"confirm": "on"}, follow=True)
    assert f'href="/tra-loi/{issue.pk}/" id="public-link"' in done.content.decode()
    assert "Kết thúc và đóng vấn đề</button>" in done.content.decode()


# --- «Việc của tôi» ----------------------------------------------------------------------


def test_leaders_see_answers_waiting_for_approval_first(world: Any) -> None:
    issue = _in_progress(world)
    lead = issue.lead_assignment
    assert lead is not None
    services.assignment_respond(assignment=lead, by=world.handler, text="Dự thảo trả lời.")
    queues = queues_for(world.leader)
    assert queues[0].heading == "Chờ duyệt trả lời"
    assert issue.code in queues[0].items[0].title
    page = _client(world.leader).get("/cong-viec/").content.decode()
    assert page.index("Chờ duyệt trả lời") < page.index("Việc được giao cho cơ quan tôi")


def test_coordinators_see_publication_returns_with_reason_and_urgent_new_issues_first(
    world: Any,
) -> None:
    answered = _answered(world)
    returned = _in_progress(world, title="Không thuộc thẩm quyền của Sở")
    lead = returned.lead_assignment
    assert lead is not None
    services.assignment_return(assignment=lead, by=world.handler, reason="Thuộc thẩm quyền xã.")
    services.issue_create(by=world.coordinator, title="Việc thường")
    services.issue_create(
        by=world.coordinator, title="Sạt lở đe dọa nhà dân", urgency=Issue.Urgency.FLASH
    )
    queues = {q.heading: q.items for q in queues_for(world.coordinator)}
    assert [i.title for i in queues["Trả lời chờ đăng công khai"]] == [
        f"{answered.code} — {answered.title}"
    ]
    back = queues["Bị trả lại, chờ giao lại"]
    assert len(back) == 1 and "Thuộc thẩm quyền xã." in back[0].note
    route = queues["Chờ phân loại, giao xử lý"]
    assert "Sạt lở" in route[0].title and route[0].urgent
    assert all("Không thuộc thẩm quyền" not in i.title for i in route)
    headings = list(queues)
    assert headings.index("Trả lời chờ đăng công khai") < headings.index(
        "Chờ phân loại, giao xử lý"
    )
