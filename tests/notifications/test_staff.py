"""Staff hear of their work: the bell (for the people the policy names), its list, the
daily digest e-mail they opted into, and the deadline warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from tests.notifications.conftest import Mailbox

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.core.selectors import working_calendar
from phoihop.notifications import services
from phoihop.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db
K = Notification.Kind


def _kinds(user: Any) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True)
    )


def _issue(world: Any, visibility: str = Issue.Visibility.INTERNAL) -> Issue:
    issue = cases.issue_create(
        by=world.coordinator, title="Ô nhiễm nguồn nước", visibility=visibility
    )
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    return issue


def test_the_workflow_tells_each_step_to_the_people_who_act_on_it(world: Any) -> None:
    issue = _issue(world)
    lead = cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    assert _kinds(world.handler) == [K.ASSIGNED] and _kinds(world.leader) == [K.ASSIGNED]
    assert _kinds(world.viewer) == [] and _kinds(world.other_handler) == []

    cases.assignment_respond(assignment=lead, by=world.handler, text="Dự thảo trả lời")
    assert _kinds(world.leader)[-1] == K.AWAITING_APPROVAL
    assert K.AWAITING_APPROVAL not in _kinds(world.handler)  # not an approver

    issue.refresh_from_db()
    cases.issue_answer(issue=issue, by=world.leader, text="Trả lời chính thức")
    assert _kinds(world.coordinator)[-1] == K.ANSWERED
    assert K.ANSWERED not in _kinds(world.leader)  # who approved it needs no telling
    note = Notification.objects.filter(user=world.coordinator, kind=K.ANSWERED).get()
    assert note.url == f"/cong-viec/van-de/{issue.pk}/" and issue.code in note.text


def test_a_return_goes_to_the_coordinators(world: Any) -> None:
    issue = _issue(world)
    lead = cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    cases.assignment_return(assignment=lead, by=world.handler, reason="Không thuộc thẩm quyền")
    [note] = Notification.objects.filter(kind=K.RETURNED)
    assert note.user == world.coordinator and "Không thuộc thẩm quyền" in note.text


def test_a_confidential_issue_is_told_only_to_the_cleared(world: Any) -> None:
    issue = _issue(world, Issue.Visibility.CONFIDENTIAL)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    # the leader is cleared on assignment; the handler is not (yet)
    assert _kinds(world.leader) == [K.ASSIGNED]
    assert _kinds(world.handler) == []


def test_due_soon_and_overdue_are_announced_once(world: Any) -> None:
    today = timezone.localdate()
    soon = working_calendar().add_working_days(today, 2)
    issue = _issue(world)
    lead = cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept, deadline=soon)
    assert cases.announce_due_soon(today=today) == 1
    cases.announce_due_soon(today=today)
    assert _kinds(world.handler).count(K.DUE_SOON) == 1
    assert cases.announce_due_soon(today=today - dt.timedelta(days=10)) == 0  # too far off

    cases.escalate_overdue(today=lead.deadline + dt.timedelta(days=1))
    cases.escalate_overdue(today=lead.deadline + dt.timedelta(days=2))
    assert _kinds(world.handler).count(K.OVERDUE) == 1
    assert K.OVERDUE in _kinds(world.coordinator)


def test_bell_shows_the_unread_count_and_the_list_marks_read(world: Any, client: Client) -> None:
    issue = _issue(world)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    client.force_login(world.handler)
    page = client.get("/cong-viec/").content.decode()
    assert 'class="bell-count">1<' in page

    listing = client.get("/cong-viec/thong-bao/").content.decode()
    assert issue.code in listing and "Được giao xử lý" in listing
    note = Notification.objects.get(user=world.handler)
    client.post("/cong-viec/thong-bao/da-doc/", {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert "bell-count" not in client.get("/cong-viec/").content.decode()


def test_opening_an_unread_notice_marks_it_read_on_the_way(world: Any, client: Client) -> None:
    import re

    issue = _issue(world)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    client.force_login(world.handler)
    note = Notification.objects.get(user=world.handler)
    listing = client.get("/cong-viec/thong-bao/").content.decode()
    form = re.search(r'<form[^>]*class="inline open-notice">(.*?)</form>', listing, re.S)
    assert form is not None and note.text in form.group(1)  # the notice's own text opens it
    assert f'name="next" value="{note.url}"' in form.group(1)
    response = client.post("/cong-viec/thong-bao/da-doc/", {"id": note.pk, "next": note.url})
    assert response.status_code == 302 and response["Location"] == note.url
    note.refresh_from_db()
    assert note.read_at is not None
    listing = client.get("/cong-viec/thong-bao/").content.decode()
    assert "open-notice" not in listing and f'<a href="{note.url}">' in listing  # now a link


def test_one_cannot_mark_someone_elses_notifications(world: Any, client: Client) -> None:
    issue = _issue(world)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    theirs = Notification.objects.get(user=world.leader)
    client.force_login(world.handler)
    client.post("/cong-viec/thong-bao/da-doc/", {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_daily_digest_only_for_who_opted_in(world: Any, smtp: Mailbox, client: Client) -> None:
    world.handler.email = "xuly@langson.gov.vn"
    world.handler.save()
    issue = _issue(world)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    assert services.digests_send() == 0  # nobody opted in

    client.force_login(world.handler)
    client.post("/cong-viec/thong-bao/tuy-chon/", {"daily_digest": "on"})
    assert Preference.objects.get(user=world.handler).daily_digest
    with pytest.raises(ValidationError):
        services.preference_set(user=world.leader, daily_digest=True)  # no e-mail address

    call_command("send_digests", "--now")
    services.deliver_due()
    [mail] = smtp.messages
    assert mail["To"] == "xuly@langson.gov.vn"
    assert "1 thông báo mới ngày" in mail["Subject"]
    assert issue.code in mail.get_body(("plain",)).get_content()
    assert f"/cong-viec/van-de/{issue.pk}/" in mail.get_body(("html",)).get_content()
    assert services.digests_send() == 0  # nothing new since: no second mail today


def test_a_long_title_is_cut_after_a_whole_word(world: Any) -> None:
    title = (
        "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc Đồng Đăng – Trà Lĩnh "
        "cho các hộ dân xã Hồng Phong"
    )
    issue = cases.issue_create(by=world.coordinator, title=title, visibility="internal")
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    note = Notification.objects.get(user=world.handler)
    shown = note.text.split("«", 1)[1].split("…»", 1)[0]
    assert title.startswith(shown) and title[len(shown)] == " ", note.text  # «…Trà», not «Trà L»


def test_an_extension_request_reaches_the_deciders_and_the_decision_the_requester(
    world: Any,
) -> None:
    from tests.factories import member
    from tests.regimes import ensure_regimes

    from phoihop.cases import deadlines

    ensure_regimes()
    issue = _issue(world)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    second_leader = member(world.dept, "leader", "lanhdao2")
    extension = deadlines.extension_request(
        issue=issue, by=world.leader, days=10, reason="Cần giám định"
    )
    asked = Notification.objects.get(kind=K.EXTENSION_REQUESTED)
    # Only a leader of the lead agency who may decide hears of it, not the requester.
    assert asked.user == second_leader
    assert "thêm 10 ngày làm việc, chờ duyệt" in asked.text
    assert asked.url.endswith("#h-legal-due")
    deadlines.extension_decide(extension=extension, by=second_leader, approve=True)
    due = deadlines.legal_due(Issue.objects.get(pk=issue.pk)).on
    assert due is not None
    told = Notification.objects.get(kind=K.EXTENSION_DECIDED)
    assert told.user == world.leader
    assert f"đã được duyệt; hạn giải quyết mới là {due:%d/%m/%Y}." in told.text


def test_a_refused_extension_is_told_to_the_requester_with_the_unchanged_date(
    world: Any,
) -> None:
    from tests.regimes import ensure_regimes

    from phoihop.cases import deadlines

    ensure_regimes()
    issue = _issue(world)
    cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    due = deadlines.legal_due(issue).on
    assert due is not None
    extension = deadlines.extension_request(issue=issue, by=world.handler, days=5, reason="Chậm")
    assert _kinds(world.leader)[-1] == K.EXTENSION_REQUESTED
    deadlines.extension_decide(extension=extension, by=world.leader, approve=False)
    told = Notification.objects.get(kind=K.EXTENSION_DECIDED)
    assert told.user == world.handler
    assert f"không được duyệt; hạn giải quyết vẫn là {due:%d/%m/%Y}." in told.text
