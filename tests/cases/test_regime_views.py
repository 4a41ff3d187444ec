"""The legal deadline panel of the staff issue page: a coordinator sets the regime, the
lead agency asks for more time and its leader decides, all through the registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.regimes import ensure_regimes

from phoihop.cases import deadlines, services, timeline
from phoihop.cases.models import DeadlineExtension, Issue
from phoihop.core.selectors import working_calendar


@pytest.fixture
def led(world: Any) -> Issue:
    ensure_regimes()
    issue = services.issue_create(
        by=world.coordinator, title="Tranh chấp ranh giới đất", visibility=Issue.Visibility.PUBLIC
    )
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    services.issue_assign(
        issue=issue,
        by=world.coordinator,
        agency=world.dept,
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    return Issue.objects.get(pk=issue.pk)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client: Client, issue: Issue) -> str:
    response = client.get(reverse("cases:issue_detail", args=[issue.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_shows_regime_due_date_and_basis(world: Any, led: Issue) -> None:
    page = _page(_client(world.handler), led)
    due = deadlines.legal_due(led)
    assert "Thời hạn theo quy định" in page
    assert "Phản ánh, kiến nghị" in page
    assert due.on is not None and due.on.strftime("%d/%m/%Y") in page
    assert "Quy chế phối hợp của tỉnh" in page
    # Only coordinators change the regime; a handler of the lead agency may ask for time.
    assert 'id="form-regime"' not in page
    assert 'id="form-extend"' in page


def test_coordinator_sets_the_regime_and_the_page_shows_the_new_basis(
    world: Any, led: Issue
) -> None:
    client = _client(world.coordinator)
    assert 'id="form-regime"' in _page(client, led)
    to_cao = deadlines.DeadlineRegime.objects.get(code="to-cao")
    response = client.post(
        reverse("cases:issue_action", args=[led.pk, "regime"]),
        {"regime": to_cao.pk, "complexity": "complex", "remote_area": "on"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã cập nhật chế độ thời hạn của vấn đề." in page
    assert "Tố cáo (Luật Tố cáo 2018)" in page
    assert "khoản 1 Điều 30 Luật Tố cáo 2018" in page
    assert "Phức tạp" in page and "vùng sâu, vùng xa" in page
    led.refresh_from_db()
    assert (led.regime_id, led.complexity, led.remote_area, led.second_time) == (
        to_cao.pk,
        "complex",
        True,
        False,
    )
    # A handler cannot: the registry answers 403 and nothing changes.
    denied = _client(world.handler).post(
        reverse("cases:issue_action", args=[led.pk, "regime"]),
        {"regime": deadlines.feedback_regime().pk, "complexity": "normal"},  # type: ignore[union-attr]
    )
    assert denied.status_code == 403
    led.refresh_from_db()
    assert led.regime_id == to_cao.pk


def test_handler_requests_and_the_lead_leader_approves_moving_the_due_date(
    world: Any, led: Issue
) -> None:
    before = deadlines.legal_due(led).on
    assert before is not None
    response = _client(world.handler).post(
        reverse("cases:issue_action", args=[led.pk, "extend"]),
        {"days": "7", "reason": "Cần đo đạc lại thực địa"},
        follow=True,
    )
    assert "Đã gửi đề nghị gia hạn" in response.content.decode()
    extension = DeadlineExtension.objects.get(issue=led)
    assert (extension.days, extension.state, extension.requested_by) == (
        7,
        DeadlineExtension.State.REQUESTED,
        world.handler,
    )
    # The requester sees the request but no decision buttons; the leader sees both.
    decide = reverse("cases:extension_decide", args=[extension.pk, "approve"])
    assert decide not in _page(_client(world.handler), led)
    leader = _client(world.leader)
    page = _page(leader, led)
    assert "Chờ lãnh đạo duyệt" in page and "Cần đo đạc lại thực địa" in page
    assert decide in page
    # A handler cannot decide, not even by posting.
    assert _client(world.handler).post(decide).status_code == 403
    response = leader.post(decide, follow=True)
    moved = working_calendar().add_working_days(before, 7)
    page = response.content.decode()
    assert f"hạn giải quyết mới là {moved.strftime('%d/%m/%Y')}" in page
    assert "Đã duyệt" in page
    assert deadlines.legal_due(Issue.objects.get(pk=led.pk)).on == moved
    extension.refresh_from_db()
    assert extension.state == DeadlineExtension.State.APPROVED
    assert extension.decided_by == world.leader
    # Deciding twice is refused with a message, not a 500.
    again = leader.post(decide, follow=True)
    assert "đã được quyết định" in again.content.decode()


def test_another_agency_cannot_request_or_decide(world: Any, led: Issue) -> None:
    other = _client(world.other_handler)
    response = other.post(
        reverse("cases:issue_action", args=[led.pk, "extend"]),
        {"days": "5", "reason": "Không phải việc của tôi"},
    )
    assert response.status_code in (403, 404)
    assert not DeadlineExtension.objects.exists()
    extension = deadlines.extension_request(issue=led, by=world.handler, days=5, reason="Chậm")
    for user in (world.other_handler, world.other_leader):
        answer = _client(user).post(
            reverse("cases:extension_decide", args=[extension.pk, "approve"])
        )
        assert answer.status_code in (403, 404)
    extension.refresh_from_db()
    assert extension.state == DeadlineExtension.State.REQUESTED


def test_a_request_without_a_reason_shows_the_error_and_stores_nothing(
    world: Any, led: Issue
) -> None:
    response = _client(world.handler).post(
        reverse("cases:issue_action", args=[led.pk, "extend"]), {"days": "5", "reason": "   "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cần nêu lý do gia hạn." in page
    assert "<details open>" in page  # the form is shown open with its error
    assert not DeadlineExtension.objects.exists()


def test_more_days_than_the_regime_allows_names_the_limit(world: Any, led: Issue) -> None:
    response = _client(world.handler).post(
        reverse("cases:issue_action", args=[led.pk, "extend"]), {"days": "30", "reason": "Lâu"}
    )
    assert response.status_code == 400
    assert "Số ngày gia hạn từ 1 đến 10 ngày làm việc" in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_the_request_form_goes_once_the_regime_allows_no_more(world: Any, led: Issue) -> None:
    deadlines.extension_request(issue=led, by=world.handler, days=5, reason="Chậm")
    page = _page(_client(world.handler), led)
    assert 'id="form-extend"' not in page  # the feedback regime allows one extension
    assert "Chờ lãnh đạo duyệt" in page


def test_after_approval_the_handler_and_the_leader_see_one_deadline(world: Any, led: Issue) -> None:
    lead = led.assignments.get()
    old = lead.deadline.strftime("%d/%m/%Y")
    extension = deadlines.extension_request(issue=led, by=world.handler, days=7, reason="Đo đạc")
    deadlines.extension_decide(extension=extension, by=world.leader, approve=True)
    new_due = deadlines.legal_due(Issue.objects.get(pk=led.pk)).on
    assert new_due is not None
    new = new_due.strftime("%d/%m/%Y")
    # The issue page: the legal due date and the lead's deadline are the same date.
    page = _page(_client(world.handler), led)
    assert f'Hạn xử lý: <time datetime="{new_due.isoformat()}">{new}</time>' in page
    assert old not in page.split("Diễn biến")[0]
    assert "Dời hạn xử lý theo gia hạn đã duyệt" in page
    # «Việc của tôi» of the handler and of the leader.
    for user in (world.handler, world.leader):
        inbox = _client(user).get(reverse("cases:inbox")).content.decode()
        assert new in inbox and old not in inbox


def test_a_request_waits_in_the_deciding_leaders_inbox_until_decided(
    world: Any, led: Issue
) -> None:
    deadlines.extension_request(issue=led, by=world.handler, days=7, reason="Cần đo đạc lại")
    inbox = reverse("cases:inbox")
    page = _client(world.leader).get(inbox).content.decode()
    assert "Đề nghị gia hạn chờ duyệt" in page
    assert led.code in page and "thêm 7 ngày làm việc: Cần đo đạc lại" in page
    # Not for those who may not decide: the requester, a viewer, another agency's leader.
    for user in (world.handler, world.viewer, world.other_leader, world.coordinator):
        assert "Đề nghị gia hạn chờ duyệt" not in _client(user).get(inbox).content.decode()
    extension = DeadlineExtension.objects.get(issue=led)
    _client(world.leader).post(reverse("cases:extension_decide", args=[extension.pk, "refuse"]))
    page = _client(world.leader).get(inbox).content.decode()
    assert "Đề nghị gia hạn chờ duyệt" not in page


def test_the_history_says_working_days_when_the_extension_counts_them(
    world: Any, led: Issue
) -> None:

    deadlines.extension_request(issue=led, by=world.handler, days=10, reason="Cần đo đạc")
    texts = [entry.text for entry in timeline.issue_timeline(issue=led)]
    assert "Đề nghị gia hạn giải quyết: thêm 10 ngày làm việc; Lý do: Cần đo đạc" in texts
    assert "thêm 10 ngày làm việc" in _page(_client(world.leader), led)
