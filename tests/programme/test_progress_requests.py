"""The coordinator asks the agencies for periodic progress on the annual plan: the agencies
with open tasks are told, see it in «Việc của tôi» until they report, and the coordinator
sees who has not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from tests.factories import AgencyFactory

from phoihop.core import inbox
from phoihop.core.models import AuditEvent
from phoihop.core.selectors import working_calendar
from phoihop.core.services import agency_merge
from phoihop.notifications.models import Notification
from phoihop.programme import selectors, services
from phoihop.programme.models import ProgressRequest, Task

QUEUE = "Yêu cầu báo cáo tiến độ"


def _quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    after = dt.date(first.year + first.month // 10, (first.month + 2) % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def _task(prog: Any, title: str, lead: Any, coordinating: list[Any] | None = None) -> Task:
    return services.task_create(
        by=prog.world.coordinator,
        plan=prog.plan,
        title=title,
        lead_agency=lead,
        coordinating_agencies=coordinating or [],
        due_on=dt.date(2027, 12, 31),  # far beyond the 14 days «Việc của tôi» looks ahead
    )


def _request(prog: Any, by: Any = None, **kwargs: Any) -> ProgressRequest:
    first, last = _quarter(timezone.localdate())
    defaults: dict[str, Any] = {
        "plan": prog.plan,
        "by": by or prog.world.coordinator,
        "first_day": first,
        "last_day": last,
        "due": working_calendar().add_working_days(timezone.localdate(), 5),
    }
    defaults.update(kwargs)
    return services.progress_request(**defaults)


def _items(user: Any) -> list[inbox.WorkItem]:
    return [i for i in inbox.items_for(user) if i.queue == QUEUE]


@pytest.fixture
def tasks(prog: Any) -> dict[str, Task]:
    """The department leads a task the other department supports; Home Affairs' task is done,
    the UBND's cancelled: neither owes a report."""
    w = prog.world
    done = _task(prog, "Hội nghị sơ kết", prog.home_affairs)
    Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)
    cancelled = _task(prog, "Tọa đàm đã hủy", prog.ubnd)
    services.task_cancel(by=w.coordinator, task=cancelled, reason="Không còn phù hợp")
    return {
        "highway": _task(prog, "Tuyên truyền cao tốc", w.dept, [w.other]),
        "land": _task(prog, "Tuyên truyền luật đất đai", w.dept),
    }


def test_the_request_reaches_the_agencies_with_open_tasks_and_no_other(
    prog: Any, tasks: dict[str, Task]
) -> None:
    w = prog.world
    request = _request(prog)
    first, _last = _quarter(timezone.localdate())
    assert request.label == services.period_label(first, _last)
    (status,) = selectors.request_statuses([request])
    assert {a.pk for a in status.agencies} == {w.dept.pk, w.other.pk}
    event = AuditEvent.objects.get(action="progress.request")
    assert set(event.data["agencies"]) == {w.dept.name, w.other.name}

    (mine,) = _items(w.handler)
    assert mine.title == f"Báo cáo tiến độ {request.label}"
    assert mine.due == request.due_on and not mine.urgent
    assert mine.note == (
        f"{w.dept.short_name or w.dept.name} · chưa báo cáo: "
        f"{tasks['highway'].code}, {tasks['land'].code}"
    )
    (theirs,) = _items(w.other_handler)
    assert tasks["highway"].code in theirs.note and tasks["land"].code not in theirs.note
    assert _items(prog.home_affairs_handler) == []  # its only task is done
    assert _items(prog.ubnd_leader) == []  # its only task was cancelled
    assert _items(w.viewer) == []  # a viewer does not report


def test_the_item_stays_until_every_task_of_the_agency_has_a_report_in_the_period(
    prog: Any, tasks: dict[str, Task]
) -> None:
    w = prog.world
    request = _request(prog)
    before = request.first_day - dt.timedelta(days=1)
    earlier = _request(prog, first_day=_quarter(before)[0], last_day=before)
    services.progress_report(
        by=w.handler, task=tasks["highway"], agency=w.dept, percent=20, reported_on=before
    )
    notes = {i.title: i.note for i in _items(w.handler)}
    assert tasks["highway"].code in notes[f"Báo cáo tiến độ {request.label}"]  # too early
    assert tasks["highway"].code not in notes[f"Báo cáo tiến độ {earlier.label}"]
    earlier.delete()
    services.progress_report(by=w.handler, task=tasks["highway"], agency=w.dept, percent=40)
    (item,) = _items(w.handler)
    assert tasks["highway"].code not in item.note and tasks["land"].code in item.note
    assert item.url == f"/cong-viec/chuong-trinh/nhiem-vu/{tasks['land'].pk}/"

    ProgressRequest.objects.filter(pk=request.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert _items(w.handler)[0].urgent  # overdue

    services.progress_report(by=w.leader, task=tasks["land"], agency=w.dept, percent=10)
    assert _items(w.handler) == []
    assert len(_items(w.other_handler)) == 1  # the other department has not reported yet
    (status,) = selectors.request_statuses([request])
    assert [a.pk for a in status.reported] == [w.dept.pk]
    assert [a.pk for a in status.unreported] == [w.other.pk]


def test_a_report_of_a_merged_agency_answers_for_its_successor(
    prog: Any, tasks: dict[str, Task]
) -> None:
    w = prog.world
    old = AgencyFactory(code="so-tnmt", name="Sở Tài nguyên và Môi trường")
    task = _task(prog, "Tuyên truyền bảo vệ môi trường", old)
    request = _request(prog)
    services.progress_report(by=w.coordinator, task=task, agency=old, percent=30)
    agency_merge(agency=old, into=w.dept, by=w.administrator)
    (status,) = selectors.request_statuses([request])
    assert task not in status.missing[w.dept.pk]
    assert old.pk not in {a.pk for a in status.agencies}


def test_a_viewer_or_a_handler_cannot_ask_for_progress(prog: Any, tasks: dict[str, Task]) -> None:
    w = prog.world
    for person in (w.viewer, w.handler):
        with pytest.raises(PermissionDenied, match="Chỉ cán bộ điều phối"):
            _request(prog, by=person)
    client = Client()
    client.force_login(w.viewer)
    page = client.get("/cong-viec/chuong-trinh/").content.decode()
    assert "Gửi yêu cầu đến các cơ quan" not in page
    url = f"/cong-viec/chuong-trinh/ke-hoach/{prog.plan.pk}/yeu-cau-bao-cao/"
    assert client.post(url, {"first_day": "01/10/2026"}).status_code == 403
    assert not ProgressRequest.objects.exists()


def test_a_due_date_on_a_holiday_is_refused_with_the_next_working_day(
    prog: Any, tasks: dict[str, Task]
) -> None:
    days = working_calendar()
    today = timezone.localdate()
    holiday = next(
        d
        for d in (today + dt.timedelta(days=n) for n in range(1, 400))
        if d.weekday() < 5 and days.holiday_name(d)
    )
    with pytest.raises(ValidationError) as refused:
        _request(prog, due=holiday)
    assert refused.value.message_dict["due"] == [
        f"Ngày {holiday:%d/%m/%Y} là ngày nghỉ ({days.holiday_name(holiday)}). "
        f"Chọn ngày làm việc, ví dụ {days.add_working_days(holiday, 1):%d/%m/%Y}."
    ]
    with pytest.raises(ValidationError, match="trước hôm nay"):
        _request(prog, due=today - dt.timedelta(days=1))
    assert not ProgressRequest.objects.exists()


def test_the_same_period_is_asked_once_and_a_plan_without_open_tasks_is_not_asked(
    prog: Any, tasks: dict[str, Task]
) -> None:
    _request(prog)
    with pytest.raises(ValidationError, match="Đã yêu cầu báo cáo tiến độ kỳ này"):
        _request(prog, label="Quý này")
    Task.objects.update(status=Task.Status.DONE)
    with pytest.raises(ValidationError, match="không còn nhiệm vụ nào đang thực hiện"):
        _request(prog, first_day=dt.date(2026, 1, 1), last_day=dt.date(2026, 6, 30))


def test_the_period_is_named_as_people_name_it() -> None:
    d = dt.date
    assert services.period_label(d(2026, 10, 1), d(2026, 12, 31)) == "Quý IV/2026"
    assert services.period_label(d(2026, 1, 1), d(2026, 3, 31)) == "Quý I/2026"
    assert services.period_label(d(2026, 1, 1), d(2026, 6, 30)) == "6 tháng đầu năm 2026"
    assert services.period_label(d(2026, 7, 1), d(2026, 12, 31)) == "6 tháng cuối năm 2026"
    assert services.period_label(d(2026, 1, 1), d(2026, 12, 31)) == "Năm 2026"
    assert services.period_label(d(2026, 10, 1), d(2026, 11, 15)) == (
        "từ 01/10/2026 đến 15/11/2026"
    )


def test_the_coordinator_asks_on_the_overview_and_sees_who_has_not_reported(
    prog: Any, tasks: dict[str, Task]
) -> None:
    w = prog.world
    client = Client()
    client.force_login(w.coordinator)
    assert "Gửi yêu cầu đến các cơ quan" in client.get("/cong-viec/chuong-trinh/").content.decode()
    url = f"/cong-viec/chuong-trinh/ke-hoach/{prog.plan.pk}/yeu-cau-bao-cao/"
    due = working_calendar().add_working_days(timezone.localdate(), 5)
    form = {"first_day": "01/10/2026", "last_day": "31/12/2026", "label": "", "due": ""}
    refused = client.post(url, form)
    assert refused.status_code == 400 and not ProgressRequest.objects.exists()
    response = client.post(url, {**form, "due": f"{due:%d/%m/%Y}"})
    assert response.status_code == 302
    assert response["Location"] == "/cong-viec/chuong-trinh/?nam=2026"
    assert ProgressRequest.objects.get().label == "Quý IV/2026"

    services.progress_report(by=w.handler, task=tasks["highway"], agency=w.dept, percent=40)
    services.progress_report(by=w.handler, task=tasks["land"], agency=w.dept, percent=40)
    page = client.get("/cong-viec/chuong-trinh/").content.decode()
    assert "Đã báo cáo 1/2 cơ quan" in page
    assert f"Chưa báo cáo: {w.other.short_name or w.other.name}" in page


def test_the_handlers_and_leaders_of_each_agency_concerned_are_told(
    prog: Any, tasks: dict[str, Task]
) -> None:
    w = prog.world
    request = _request(prog)
    told = Notification.objects.filter(kind=Notification.Kind.PROGRESS_REQUESTED)
    assert {n.user_id for n in told} == {
        w.handler.pk,
        w.leader.pk,
        w.other_handler.pk,
        w.other_leader.pk,
    }
    note = told.first()
    assert note is not None and note.url == "/cong-viec/"
    assert note.text.startswith(
        f"Đề nghị báo cáo tiến độ thực hiện chương trình phối hợp {request.label}, "
        f"hạn {request.due_on:%d/%m/%Y}"
    )


def test_requests_are_listed_in_admin_for_coordinators_and_changed_by_no_one(
    prog: Any, tasks: dict[str, Task]
) -> None:
    request = _request(prog)
    coordinator = prog.world.coordinator
    coordinator.is_staff = True  # admin's own door: staff status
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    page = client.get("/quan-tri/programme/progressrequest/")
    assert page.status_code == 200 and request.label in page.content.decode()
    change = f"/quan-tri/programme/progressrequest/{request.pk}/change/"
    assert client.post(change, {"label": "Đổi kỳ"}).status_code == 403
    request.refresh_from_db()
    assert request.label != "Đổi kỳ"
