"""Everything pending in the programme reaches «Việc của tôi» through the inbox registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone
from tests.programme.conftest import network_of
from tests.programme.test_commendations import DECISION, _proposal

from phoihop.core import inbox
from phoihop.programme import network_services as network
from phoihop.programme import services
from phoihop.programme.models import Guidance, Task


def _queues(user: Any) -> dict[str, list[str]]:
    return {q.heading: [i.title for i in q.items] for q in inbox.queues_for(user)}


def _guidance(prog: Any) -> Guidance:
    guidance = services.guidance_create(
        by=prog.world.coordinator,
        title="Định hướng về bồi thường cao tốc",
        key_messages="Bồi thường được niêm yết công khai.",
        valid_from=timezone.localdate(),
    )
    return services.guidance_issue(by=prog.world.coordinator, guidance=guidance)


def test_a_network_member_is_told_guidance_awaits_acknowledgement(prog: Any) -> None:
    w = prog.world
    network_of(w)
    guidance = _guidance(prog)
    assert _queues(w.handler)["Định hướng chờ xác nhận tiếp nhận"] == [guidance.title]
    services.guidance_acknowledge(
        by=w.handler, recipient=guidance.recipients.get(member__user=w.handler)
    )
    assert "Định hướng chờ xác nhận tiếp nhận" not in _queues(w.handler)
    assert "Định hướng chờ xác nhận tiếp nhận" not in _queues(w.viewer)  # not a member


def test_after_a_reminder_the_member_sees_it_urgent_and_the_sender_sees_who_is_late(
    prog: Any,
) -> None:
    w = prog.world
    network_of(w)
    guidance = _guidance(prog)
    network.remind_unacknowledged(now=timezone.now() + dt.timedelta(days=2))
    item = next(i for i in inbox.items_for(w.leader) if i.title == guidance.title)
    assert item.urgent and item.note == "Đã nhắc 1 lần"
    late = next(
        i
        for i in inbox.items_for(w.coordinator)
        if i.queue == "Định hướng còn thành viên chưa xác nhận"
    )
    assert late.note == "3 thành viên chưa xác nhận dù đã được nhắc"
    assert late.url == f"/cong-viec/chuong-trinh/dinh-huong/{guidance.pk}/duong-dan/"


def test_the_next_person_in_a_commendation_chain_is_told_it_is_their_turn(prog: Any) -> None:
    w = prog.world
    proposal = _proposal(prog)
    title = f"{proposal.nominee} — {proposal.form}"
    assert _queues(w.leader)["Đề xuất khen thưởng chờ trình"] == [title]
    assert "Đề xuất khen thưởng chờ trình" not in _queues(w.handler)  # only a leader submits
    services.commendation_submit(by=w.leader, proposal=proposal)
    assert "Đề xuất khen thưởng chờ trình" not in _queues(w.leader)
    assert _queues(prog.home_affairs_handler)["Đề xuất khen thưởng chờ thẩm định"] == [title]
    services.commendation_review(by=prog.home_affairs_handler, proposal=proposal)
    assert "Đề xuất khen thưởng chờ thẩm định" not in _queues(prog.home_affairs_handler)
    assert _queues(prog.ubnd_leader)["Đề xuất khen thưởng chờ phê duyệt"] == [title]
    services.commendation_approve(by=prog.ubnd_leader, proposal=proposal, **DECISION)
    assert not any("khen thưởng" in q for q in _queues(prog.ubnd_leader))


def test_a_handler_is_told_a_programme_task_is_due_until_their_agency_reports_it_done(
    prog: Any,
) -> None:
    w = prog.world
    today = timezone.localdate()
    soon = services.task_create(
        by=w.coordinator,
        plan=prog.plan,
        title="Tuyên truyền bồi thường cao tốc",
        lead_agency=w.dept,
        coordinating_agencies=[w.other],
        due_on=today + dt.timedelta(days=5),
    )
    services.task_create(
        by=w.coordinator,
        plan=prog.plan,
        title="Nhiệm vụ còn xa",
        lead_agency=w.dept,
        due_on=today + dt.timedelta(days=90),
    )
    late = Task.objects.create(
        plan=prog.plan,
        code="2026-99",
        title="Nhiệm vụ đã quá hạn",
        lead_agency=w.dept,
        due_on=today - dt.timedelta(days=3),
        created_by=w.coordinator,
    )
    items = [i for i in inbox.items_for(w.handler) if i.queue == "Nhiệm vụ chương trình đến hạn"]
    assert [i.title for i in items] == [
        f"{late.code} — {late.title}",
        f"{soon.code} — {soon.title}",
    ]
    assert items[0].urgent and not items[1].urgent
    assert items[1].note.endswith("chủ trì · tiến độ 0%")
    other = [
        i for i in inbox.items_for(w.other_handler) if i.queue == "Nhiệm vụ chương trình đến hạn"
    ]
    assert [i.title for i in other] == [f"{soon.code} — {soon.title}"]
    assert "phối hợp" in other[0].note
    services.progress_report(by=w.handler, task=soon, agency=w.dept, percent=100)
    titles = _queues(w.handler)["Nhiệm vụ chương trình đến hạn"]
    assert titles == [f"{late.code} — {late.title}"]
    assert "Nhiệm vụ chương trình đến hạn" not in _queues(w.viewer)


def test_the_inbox_page_lists_programme_work_under_its_queue(prog: Any) -> None:
    w = prog.world
    network_of(w)
    guidance = _guidance(prog)
    client = Client()
    client.force_login(w.handler)
    page = client.get("/cong-viec/").content.decode()
    assert "Định hướng chờ xác nhận tiếp nhận" in page
    assert f'href="/cong-viec/chuong-trinh/dinh-huong/{guidance.pk}/"' in page
