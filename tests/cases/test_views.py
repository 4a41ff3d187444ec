"""The staff workspace as a person uses it: login, inbox, list, detail and actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from phoihop.cases import services
from phoihop.cases.models import Assignment, Issue


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_login_page_speaks_vietnamese_and_logs_in(world: Any) -> None:
    client = Client()
    page = client.get("/dang-nhap/")
    assert page.status_code == 200
    assert 'lang="vi"' in page.content.decode()
    assert "Đăng nhập" in page.content.decode()
    response = client.post("/dang-nhap/", {"username": "xuly", "password": "mat-khau-thu"})
    assert response.status_code == 302
    assert response["Location"] == "/cong-viec/"


def test_login_is_rate_limited(world: Any) -> None:
    cache.clear()
    client = Client()
    codes = [
        client.post("/dang-nhap/", {"username": "xuly", "password": "sai"}).status_code
        for _ in range(5)
    ]
    assert codes[:4] == [200] * 4
    assert codes[4] == 429
    # Even the right password is refused from this address while the lock holds.
    assert (
        client.post("/dang-nhap/", {"username": "xuly", "password": "mat-khau-thu"}).status_code
        == 429
    )
    cache.clear()


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get("/cong-viec/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_inbox_lists_assigned_issue_with_its_deadline(world: Any, assigned: Issue) -> None:
    page = _client(world.handler).get("/cong-viec/").content.decode()
    assert assigned.title in page
    deadline = assigned.assignments.get().deadline
    assert deadline.strftime("%d/%m/%Y") in page
    assert "Quá hạn" not in page


def test_inbox_marks_overdue_work(world: Any, assigned: Issue) -> None:
    Assignment.objects.filter(issue=assigned).update(
        deadline=timezone.localdate() - dt.timedelta(days=7)
    )
    page = _client(world.handler).get("/cong-viec/").content.decode()
    assert "Quá hạn" in page
    assert "trễ" in page


def test_other_agency_inbox_is_empty(world: Any, assigned: Issue) -> None:
    page = _client(world.other_handler).get("/cong-viec/").content.decode()
    assert assigned.title not in page


def test_list_filters_and_accentless_search(world: Any, assigned: Issue) -> None:
    client = _client(world.coordinator)
    assert (
        assigned.title in client.get("/cong-viec/van-de/", {"q": "duong lien xa"}).content.decode()
    )
    assert (
        assigned.title not in client.get("/cong-viec/van-de/", {"q": "bệnh viện"}).content.decode()
    )
    assert (
        assigned.title in client.get("/cong-viec/van-de/", {"state": "assigned"}).content.decode()
    )
    assert (
        assigned.title not in client.get("/cong-viec/van-de/", {"state": "closed"}).content.decode()
    )
    assert (
        assigned.title
        in client.get("/cong-viec/van-de/", {"agency": world.dept.pk}).content.decode()
    )
    assert (
        assigned.title not in client.get("/cong-viec/van-de/", {"overdue": "on"}).content.decode()
    )
    Assignment.objects.filter(issue=assigned).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    assert assigned.title in client.get("/cong-viec/van-de/", {"overdue": "on"}).content.decode()


def test_htmx_filter_returns_only_the_table(world: Any, assigned: Issue) -> None:
    response = _client(world.coordinator).get(
        "/cong-viec/van-de/", {"q": "duong"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert assigned.title in body
    assert "<html" not in body


def test_handler_accepts_responds_and_leader_answers_in_the_browser(
    world: Any, assigned: Issue
) -> None:
    lead = assigned.assignments.get()
    handler = _client(world.handler)
    detail = handler.get(f"/cong-viec/van-de/{assigned.pk}/").content.decode()
    assert "Tiếp nhận" in detail and "Trả lại" in detail
    assert handler.post(f"/cong-viec/giao/{lead.pk}/accept/").status_code == 302
    assert (
        handler.post(
            f"/cong-viec/giao/{lead.pk}/respond/", {f"a{lead.pk}-text": "Dự thảo"}
        ).status_code
        == 302
    )
    leader = _client(world.leader)
    assert (
        leader.post(
            f"/cong-viec/van-de/{assigned.pk}/answer/",
            {"text": "Trả lời chính thức", "outcome": "resolved"},
        ).status_code
        == 302
    )
    assigned.refresh_from_db()
    assert assigned.state == Issue.State.ANSWERED
    timeline = leader.get(f"/cong-viec/van-de/{assigned.pk}/").content.decode()
    assert "Duyệt trả lời chính thức" in timeline


def test_return_without_reason_shows_the_error_on_the_field(world: Any, assigned: Issue) -> None:
    lead = assigned.assignments.get()
    response = _client(world.handler).post(
        f"/cong-viec/giao/{lead.pk}/return/", {f"a{lead.pk}-reason": ""}
    )
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in response.content.decode()
    lead.refresh_from_db()
    assert lead.state == Assignment.State.PENDING


def test_illegal_transition_in_the_browser_is_a_clear_400(world: Any, assigned: Issue) -> None:
    response = _client(world.coordinator).post(
        f"/cong-viec/van-de/{assigned.pk}/close/", {"confirm": "on"}
    )
    assert response.status_code == 400
    assert "Không thể chuyển vấn đề" in response.content.decode()


def test_coordinator_creates_an_issue_and_errors_name_the_field(world: Any) -> None:
    client = _client(world.coordinator)
    bad = client.post(
        "/cong-viec/van-de/moi/", {"title": "", "urgency": "normal", "visibility": "public"}
    )
    assert bad.status_code == 400
    assert "Trường này là bắt buộc" in bad.content.decode()
    good = client.post(
        "/cong-viec/van-de/moi/",
        {
            "title": "Cầu treo hư hỏng",
            "urgency": "urgent",
            "visibility": "public",
            "field": world.field.pk,
        },
    )
    assert good.status_code == 302
    # One form: a field given at entry classifies the issue at once.
    assert Issue.objects.get(title="Cầu treo hư hỏng").state == Issue.State.CLASSIFIED


def test_handler_cannot_open_the_create_form(world: Any) -> None:
    assert _client(world.handler).get("/cong-viec/van-de/moi/").status_code == 403


def test_posts_need_a_csrf_token(world: Any, assigned: Issue) -> None:
    lead = assigned.assignments.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.handler)
    assert client.post(f"/cong-viec/giao/{lead.pk}/accept/").status_code == 403
    lead.refresh_from_db()
    assert lead.state == Assignment.State.PENDING


def test_security_headers(world: Any) -> None:
    response = Client().get("/dang-nhap/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_passwords_are_hashed(world: Any) -> None:
    world.handler.refresh_from_db()
    assert world.handler.password != "mat-khau-thu"
    assert world.handler.check_password("mat-khau-thu")


def test_dates_are_shown_day_first(world: Any, assigned: Issue) -> None:
    page = _client(world.coordinator).get(f"/cong-viec/van-de/{assigned.pk}/").content.decode()
    assert timezone.localdate().strftime("%d/%m/%Y") in page


@pytest.mark.parametrize("path", ["/static/phoihop/staff.css", "/static/vendor/htmx-2.min.js"])
def test_the_app_serves_its_own_static_files(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_deadlines_are_typed_day_first_with_a_calendar_button(world: Any) -> None:
    issue = services.issue_create(by=world.coordinator, title="Nhà văn hóa xuống cấp")
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    client = _client(world.coordinator)
    page = client.get(f"/cong-viec/van-de/{issue.pk}/").content.decode()
    # Typed day first; pickers.js adds a «Chọn ngày» calendar that writes dd/mm/yyyy back.
    assert 'placeholder="dd/mm/yyyy"' in page and 'data-date-picker="1"' in page
    assert 'type="date"' not in page
    response = client.post(
        f"/cong-viec/van-de/{issue.pk}/assign/",
        {"agency": world.dept.pk, "role": "lead", "deadline": "05/12/2030"},
    )
    assert response.status_code == 302
    assert issue.assignments.get().deadline == dt.date(2030, 12, 5)


def test_the_issue_list_names_the_agency_that_answered_not_the_one_that_returned(
    world: Any, assigned: Issue
) -> None:
    services.issue_assign(
        issue=assigned, by=world.coordinator, agency=world.other, role=Assignment.Role.SUPPORT
    )
    assigned.assignments.filter(agency=world.dept).update(state=Assignment.State.RESPONDED)
    assigned.assignments.filter(agency=world.other).update(state=Assignment.State.RETURNED)
    page = _client(world.coordinator).get("/cong-viec/van-de/").content.decode()
    row = page.split(assigned.code, 1)[1].split("</tr>", 1)[0]
    assert world.dept.name in row and "Chủ trì, đã có ý kiến" in row
    assert world.other.name not in row


def test_a_state_has_one_name_on_the_issue_and_in_the_inbox(world: Any) -> None:
    issue = services.issue_create(by=world.coordinator, title="Chợ tạm lấn chiếm lòng đường")
    client = _client(world.coordinator)
    for state, name in ((None, "Chờ phân loại"), ("classify", "Chờ giao xử lý")):
        if state:
            services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
        detail = client.get(f"/cong-viec/van-de/{issue.pk}/").content.decode()
        assert f'class="state state-{Issue.objects.get(pk=issue.pk).state}">{name}<' in detail
        inbox = client.get("/cong-viec/").content.decode()
        assert name in inbox.split(issue.title, 1)[1][:600], name


def test_the_urgent_badge_says_how_urgent(world: Any) -> None:
    issue = services.issue_create(by=world.coordinator, title="Sạt lở taluy đường tỉnh")
    Issue.objects.filter(pk=issue.pk).update(urgency=Issue.Urgency.VERY_URGENT)
    inbox = _client(world.coordinator).get("/cong-viec/").content.decode()
    row = inbox.split(issue.title, 1)[0].rsplit("<tr", 1)[1]
    assert '<span class="badge badge-late">Thượng khẩn</span>' in row
