"""Tasks of the annual plan: lifecycle, lateness in working days, the matrix, bulk import."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from tests.programme.conftest import xlsx

from phoihop.core.models import AuditEvent
from phoihop.core.selectors import working_calendar
from phoihop.programme import selectors, services
from phoihop.programme.models import ProgressReport, Task


def _task(prog: Any, **kwargs: Any) -> Task:
    w = prog.world
    defaults: dict[str, Any] = {
        "by": w.coordinator,
        "plan": prog.plan,
        "title": "Tuyên truyền dự án cao tốc",
        "lead_agency": w.dept,
        "coordinating_agencies": [w.other],
        "due_on": timezone.localdate() + dt.timedelta(days=30),
    }
    defaults.update(kwargs)
    return services.task_create(**defaults)


def test_task_lifecycle_follows_the_lead_agency_progress(prog: Any) -> None:
    w = prog.world
    task = _task(prog)
    assert task.code == "2026-01" and task.status == Task.Status.NOT_STARTED

    services.progress_report(by=w.other_handler, task=task, agency=w.other, percent=50)
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS and task.progress == 0  # lead not yet

    services.progress_report(by=w.handler, task=task, agency=w.dept, percent=40, narrative="Đã họp")
    task.refresh_from_db()
    assert task.progress == 40 and task.status == Task.Status.IN_PROGRESS

    services.progress_report(by=w.leader, task=task, agency=w.dept, percent=100, evidence="CV 12")
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.completed_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="task.status", target_id=str(task.pk)).count() == 2


def test_same_report_twice_stores_nothing_new(prog: Any) -> None:
    w = prog.world
    task = _task(prog)
    first = services.progress_report(by=w.handler, task=task, agency=w.dept, percent=30)
    again = services.progress_report(by=w.handler, task=task, agency=w.dept, percent=30)
    assert first is not None and again is None
    assert ProgressReport.objects.filter(task=task).count() == 1


def test_agency_reports_only_for_itself_on_its_own_tasks(prog: Any) -> None:
    w = prog.world
    task = _task(prog, coordinating_agencies=[])
    with pytest.raises(PermissionDenied):
        services.progress_report(by=w.other_handler, task=task, agency=w.other, percent=10)
    with pytest.raises(PermissionDenied):
        services.progress_report(by=w.viewer, task=task, agency=w.dept, percent=10)
    with pytest.raises(ValidationError):
        services.progress_report(by=w.handler, task=task, agency=w.other, percent=10)
    # The coordinator consolidates reports that came on paper.
    assert services.progress_report(by=w.coordinator, task=task, agency=w.dept, percent=10)


def test_percent_out_of_range_is_refused(prog: Any) -> None:
    task = _task(prog)
    with pytest.raises(ValidationError) as error:
        services.progress_report(
            by=prog.world.handler, task=task, agency=prog.world.dept, percent=120
        )
    assert "percent" in error.value.message_dict


def test_only_coordinators_create_tasks(prog: Any) -> None:
    with pytest.raises(PermissionDenied):
        _task(prog, by=prog.world.handler)


def test_lateness_is_counted_in_working_days(prog: Any) -> None:
    w = prog.world
    today = timezone.localdate()
    due = today - dt.timedelta(days=10)
    late = _task(prog, title="Nhiệm vụ trễ", due_on=due)
    on_time = _task(prog, title="Nhiệm vụ đúng hạn")
    calendar = working_calendar()

    assert selectors.is_overdue(late, today)
    assert selectors.days_late(late, today=today, calendar=calendar) == (
        calendar.working_days_between(due, today)
    )
    assert selectors.days_late(on_time, today=today, calendar=calendar) == 0

    # Done late stays late by the days it took; cancelled is never late.
    services.progress_report(by=w.handler, task=late, agency=w.dept, percent=100)
    late.refresh_from_db()
    assert not selectors.is_overdue(late, today)
    assert selectors.days_late(late, today=today, calendar=calendar) > 0
    services.task_cancel(by=w.coordinator, task=on_time, reason="Không còn phù hợp")
    on_time.refresh_from_db()
    assert selectors.days_late(on_time, today=today, calendar=calendar) == 0


def test_matrix_shows_roles_progress_and_late_cells(prog: Any) -> None:
    w = prog.world
    late = _task(prog, due_on=timezone.localdate() - dt.timedelta(days=5))
    fine = _task(prog, lead_agency=w.other, coordinating_agencies=[])
    services.progress_report(by=w.handler, task=late, agency=w.dept, percent=60)

    matrix = selectors.task_matrix(plan=prog.plan)
    names = [a.code for a in matrix.agencies]
    assert set(names) == {"so-nnmt", "so-xd"}
    rows = {row.task.pk: row for row in matrix.rows}
    dept_cell = rows[late.pk].cells[names.index("so-nnmt")]
    other_cell = rows[late.pk].cells[names.index("so-xd")]
    assert (
        dept_cell is not None and dept_cell.is_lead and dept_cell.percent == 60 and dept_cell.late
    )
    assert other_cell is not None and other_cell.role == "support" and other_cell.percent is None
    assert rows[fine.pk].cells[names.index("so-nnmt")] is None
    assert matrix.late_count == 1


def test_decision_of_a_meeting_becomes_a_task_once(prog: Any) -> None:
    w = prog.world
    meeting = services.meeting_create(
        by=w.coordinator,
        programme=prog.programme,
        title="Giao ban quý III",
        held_on=timezone.localdate(),
        attendees=[w.dept, prog.council],
        decisions=["Sở NN&MT cung cấp thông tin về bồi thường"],
    )
    decision = meeting.decisions.get()
    task = services.decision_to_task(
        by=w.coordinator,
        decision=decision,
        plan=prog.plan,
        lead_agency=w.dept,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    assert task.decision == decision and "Giao ban quý III" in task.description
    with pytest.raises(ValidationError):
        services.decision_to_task(
            by=w.coordinator,
            decision=decision,
            plan=prog.plan,
            lead_agency=w.dept,
            due_on=timezone.localdate(),
        )


# --- bulk import ----------------------------------------------------------------------------


def test_import_updates_progress_and_is_idempotent(prog: Any) -> None:
    w = prog.world
    a = _task(prog)
    b = _task(prog, title="Nhiệm vụ hai")
    rows = [
        [a.code, "so-nnmt", 50, "Đã tổ chức 3 hội nghị", "Báo cáo số 5", "02/01/2026"],
        [a.code, "Sở Xây dựng", "20%", "", "", None],
        [b.code, "so-nnmt", 100, "Hoàn thành", "", dt.date(2026, 1, 5)],
    ]
    result = services.progress_import(by=w.coordinator, file=xlsx(rows), filename="q1.xlsx")
    assert (result.rows, result.created, result.unchanged) == (3, 3, 0)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.progress == 50 and b.status == Task.Status.DONE
    assert ProgressReport.objects.get(task=a, agency=w.other).percent == 20

    events = AuditEvent.objects.count()
    again = services.progress_import(by=w.coordinator, file=xlsx(rows), filename="q1.xlsx")
    assert (again.created, again.unchanged) == (0, 3)
    assert ProgressReport.objects.count() == 3
    assert AuditEvent.objects.count() == events


def test_import_with_bad_rows_names_them_and_stores_nothing(prog: Any) -> None:
    w = prog.world
    a = _task(prog)
    rows = [
        [a.code, "so-nnmt", 50, "ổn", "", None],
        ["2026-99", "so-nnmt", 10, "", "", None],
        [a.code, "khong-co", 150, "", "", "32/13/2026"],
        [a.code, "so-nnmt", 60, "", "", None],
        [None, None, None, None, None, None],
        [a.code, "", 30, "", "", None],
    ]
    before = (ProgressReport.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.progress_import(by=w.coordinator, file=xlsx(rows))
    messages = error.value.messages
    assert messages[0] == "Dòng 3: không có nhiệm vụ mã «2026-99»."
    assert messages[1].startswith("Dòng 4: không có cơ quan «khong-co»")
    assert "tiến độ «150»" in messages[1] and "ngày báo cáo «32/13/2026»" in messages[1]
    assert messages[2] == "Dòng 5: trùng nhiệm vụ và cơ quan với dòng 2."
    assert messages[3].startswith("Dòng 7: thiếu cơ quan")
    assert len(messages) == 4
    assert (ProgressReport.objects.count(), AuditEvent.objects.count()) == before
    a.refresh_from_db()
    assert a.progress == 0


def test_import_refuses_rows_for_another_agency(prog: Any) -> None:
    w = prog.world
    a = _task(prog)
    with pytest.raises(ValidationError) as error:
        services.progress_import(
            by=w.other_handler, file=xlsx([[a.code, "so-nnmt", 10, "", "", None]])
        )
    assert error.value.messages == [
        "Dòng 2: bạn không được báo cáo thay «Sở Nông nghiệp và Môi trường»."
    ]


def test_import_rejects_a_file_that_is_not_a_spreadsheet_or_lacks_columns(prog: Any) -> None:
    w = prog.world
    with pytest.raises(ValidationError) as error:
        services.progress_import(by=w.coordinator, file=io.BytesIO(b"not a workbook"))
    assert "không phải bảng tính" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.progress_import(
            by=w.coordinator, file=xlsx([["x"]], header=["Mã nhiệm vụ", "Ghi chú"])
        )
    assert error.value.messages[0] == "Dòng 1: thiếu cột «Cơ quan», «Tiến độ (%)»."


def test_the_template_names_agencies_and_tasks_and_its_unfilled_rows_are_skipped(
    prog: Any, client: Any
) -> None:
    """The downloaded template reads in words; filling one row of it imports that row only."""

    w = prog.world
    a = _task(prog)
    client.force_login(w.coordinator)
    response = client.get("/cong-viec/chuong-trinh/tien-do/mau.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Mã nhiệm vụ", "Nhiệm vụ", "Cơ quan"]
    assert [a.code, a.title, w.dept.name] in [r[:3] for r in rows[1:]]
    assert "so-nnmt" not in {r[2] for r in rows[1:]}
    filled = [r[:] for r in rows]
    for row in filled[1:]:
        if row[:3] == [a.code, a.title, w.dept.name]:
            row[3] = 40
    buffer = io.BytesIO()
    book = Workbook()
    for row in filled:
        book.active.append(row)  # type: ignore[union-attr]
    book.save(buffer)
    buffer.seek(0)
    result = services.progress_import(by=w.coordinator, file=buffer, filename="mau.xlsx")
    assert (result.rows, result.created, result.blank) == (1, 1, len(filled) - 2)
    a.refresh_from_db()
    assert a.progress == 40


def test_a_template_with_nothing_filled_in_is_refused_with_a_message(prog: Any) -> None:
    w = prog.world
    a = _task(prog)
    with pytest.raises(ValidationError) as error:
        services.progress_import(by=w.coordinator, file=xlsx([[a.code, "so-nnmt", None]]))
    assert error.value.messages == ["Chưa có dòng nào được điền tiến độ."]


def test_a_back_dated_row_is_stored_in_date_order_and_the_import_says_so(prog: Any) -> None:
    w = prog.world
    a = _task(prog)
    today = timezone.localdate()
    services.progress_report(by=w.coordinator, task=a, agency=w.dept, percent=80, reported_on=today)
    earlier = today - dt.timedelta(days=5)
    rows = [[a.code, "Sở Nông nghiệp và Môi trường", 85, "Quý trước", "", earlier]]
    result = services.progress_import(by=w.coordinator, file=xlsx(rows), filename="q.xlsx")
    assert result.created == 1
    assert result.notes == (
        f"Dòng 2: báo cáo ngày {earlier:%d/%m/%Y} (85%) đã lưu vào lịch sử, nhưng «Sở Nông "
        f"nghiệp và Môi trường» đã có báo cáo mới hơn ngày {today:%d/%m/%Y} (80%), nên tiến "
        f"độ hiện tại của nhiệm vụ {a.code} vẫn là 80%.",
    )
    a.refresh_from_db()
    assert a.progress == 80
    history = list(a.reports.values_list("reported_on", "percent"))
    assert history == [(today, 80), (earlier, 85)]
    # The same file again stores nothing, although its row is not the latest report.
    again = services.progress_import(by=w.coordinator, file=xlsx(rows), filename="q.xlsx")
    assert (again.created, again.unchanged, again.notes) == (0, 1, ())
    assert a.reports.count() == 2


def test_the_import_page_shows_the_back_dated_notice(prog: Any, client: Any) -> None:
    w = prog.world
    a = _task(prog)
    today = timezone.localdate()
    services.progress_report(by=w.coordinator, task=a, agency=w.dept, percent=80)
    earlier = today - dt.timedelta(days=3)
    client.force_login(w.coordinator)
    data = xlsx([[a.code, "so-nnmt", 85, "", "", earlier.strftime("%d/%m/%Y")]])
    data.name = "q.xlsx"
    response = client.post("/cong-viec/chuong-trinh/tien-do/nhap/", {"file": data}, follow=True)
    page = response.content.decode()
    assert "1 báo cáo mới" in page
    assert f"báo cáo ngày {earlier:%d/%m/%Y} (85%) đã lưu vào lịch sử" in page
