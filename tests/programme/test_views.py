"""The programme pages as people use them: every page opens, forms show errors by field,
the import lists bad rows, actions are refused to the wrong agency."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document
from tests.programme.conftest import network_of, xlsx

from phoihop.programme import services
from phoihop.programme.models import CommendationProposal, ProgressReport, Task


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def task(prog: Any) -> Task:
    w = prog.world
    return services.task_create(
        by=w.coordinator,
        plan=prog.plan,
        title="Tuyên truyền chính sách đất đai",
        lead_agency=w.dept,
        coordinating_agencies=[w.other],
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )


def test_every_programme_page_opens_for_the_coordinator(prog: Any, task: Task) -> None:
    w = prog.world
    meeting = services.meeting_create(
        by=w.coordinator,
        programme=prog.programme,
        title="Giao ban",
        held_on=timezone.localdate(),
        decisions=["Làm rõ số liệu"],
    )
    project = services.project_create(
        by=w.coordinator, code="kcn", name="Khu công nghiệp Đồng Bành", owner_agency=w.other
    )
    guidance = services.guidance_create(
        by=w.coordinator,
        title="Định hướng",
        key_messages="Thông điệp",
        valid_from=timezone.localdate(),
    )
    client = _client(w.coordinator)
    base = "/cong-viec/chuong-trinh/"
    for url in (
        base,
        f"{base}?nam=2026",
        f"{base}nhiem-vu/moi/",
        f"{base}nhiem-vu/{task.pk}/",
        f"{base}tien-do/nhap/",
        f"{base}giao-ban/",
        f"{base}giao-ban/{meeting.pk}/",
        f"{base}dinh-huong/",
        f"{base}dinh-huong/moi/",
        f"{base}dinh-huong/{guidance.pk}/",
        f"{base}mang-luoi/",
        f"{base}du-an/",
        f"{base}du-an/{project.pk}/",
        f"{base}dien-hinh/",
        f"{base}khen-thuong/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.content.decode()  # strict CSP: no inline scripts

    template = client.get(f"{base}tien-do/mau.xlsx")
    assert template.status_code == 200
    brief = client.get(f"{base}du-an/{project.pk}/bao-cao-tham-muu.docx")
    assert brief["Content-Type"].endswith("wordprocessingml.document")
    assert "Khu công nghiệp Đồng Bành" in "\n".join(
        p.text for p in Document(io.BytesIO(brief.content)).paragraphs
    )


def test_matrix_marks_the_late_task(prog: Any, task: Task) -> None:
    html = _client(prog.world.handler).get("/cong-viec/chuong-trinh/").content.decode()
    assert "Tuyên truyền chính sách đất đai" in html
    assert 'class="late"' in html and "Trễ" in html


def test_handler_reports_progress_and_sees_field_errors(prog: Any, task: Task) -> None:
    w = prog.world
    client = _client(w.handler)
    url = f"/cong-viec/chuong-trinh/nhiem-vu/{task.pk}/"
    bad = client.post(url, {"agency": w.dept.pk, "percent": 140})
    assert bad.status_code == 400
    assert "100" in bad.content.decode()
    assert (
        client.post(url, {"agency": w.dept.pk, "percent": 45, "narrative": "Đã in tờ rơi"})[
            "Location"
        ]
        == url
    )
    assert ProgressReport.objects.get(task=task).percent == 45
    # The other agency's handler may not report for the lead agency.
    other = _client(w.other_handler).post(url, {"agency": w.dept.pk, "percent": 90})
    assert other.status_code == 400
    assert ProgressReport.objects.count() == 1
    assert _client(w.viewer).post(url, {"agency": w.dept.pk, "percent": 90}).status_code == 403


def test_import_page_lists_bad_rows_and_stores_nothing(prog: Any, task: Task) -> None:
    client = _client(prog.world.coordinator)
    upload = xlsx([[task.code, "so-nnmt", "nhiều", "", "", None]])
    upload.name = "tien-do.xlsx"
    response = client.post("/cong-viec/chuong-trinh/tien-do/nhap/", {"file": upload})
    assert response.status_code == 400
    assert "Dòng 2: tiến độ «nhiều» phải là số nguyên từ 0 đến 100." in response.content.decode()
    assert not ProgressReport.objects.exists()

    good = xlsx([[task.code, "so-nnmt", 30, "", "", None]])
    good.name = "tien-do.xlsx"
    response = client.post("/cong-viec/chuong-trinh/tien-do/nhap/", {"file": good})
    assert response.status_code == 302
    assert ProgressReport.objects.get().source == "import:tien-do.xlsx"


def test_a_read_only_viewer_is_not_offered_the_progress_import(prog: Any, task: Task) -> None:
    w = prog.world
    viewer = _client(w.viewer)
    html = viewer.get("/cong-viec/chuong-trinh/").content.decode()
    assert "Cập nhật tiến độ từ tệp Excel" not in html
    assert viewer.get("/cong-viec/chuong-trinh/tien-do/nhap/").status_code == 403
    assert viewer.get("/cong-viec/chuong-trinh/tien-do/mau.xlsx").status_code == 403
    upload = xlsx([[task.code, "so-nnmt", 50]])
    upload.name = "tien-do.xlsx"
    posted = viewer.post("/cong-viec/chuong-trinh/tien-do/nhap/", {"file": upload})
    assert posted.status_code == 403
    assert not ProgressReport.objects.exists()
    # The handler of the same agency is offered it and may open it.
    handler = _client(w.handler)
    assert (
        "Cập nhật tiến độ từ tệp Excel" in handler.get("/cong-viec/chuong-trinh/").content.decode()
    )
    assert handler.get("/cong-viec/chuong-trinh/tien-do/nhap/").status_code == 200


def test_meeting_decision_becomes_a_task_in_the_browser(prog: Any) -> None:
    w = prog.world
    meeting = services.meeting_create(
        by=w.coordinator,
        programme=prog.programme,
        title="Giao ban tháng",
        held_on=timezone.localdate(),
        decisions=["Sở Xây dựng công khai tiến độ dự án"],
    )
    decision = meeting.decisions.get()
    url = f"/cong-viec/chuong-trinh/giao-ban/{meeting.pk}/ket-luan/{decision.pk}/"
    prefix = f"d{decision.pk}"
    response = _client(w.coordinator).post(
        url,
        {
            f"{prefix}-plan": prog.plan.pk,
            f"{prefix}-lead_agency": w.other.pk,
            f"{prefix}-due_on": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Task.objects.get(decision=decision).lead_agency == w.other
    assert _client(w.handler).post(url, {}).status_code == 403


def test_commendation_steps_in_the_browser(prog: Any) -> None:
    w = prog.world
    response = _client(w.handler).post(
        "/cong-viec/chuong-trinh/khen-thuong/",
        {
            "nominee": "Ông Hoàng Văn A",
            "nominee_kind": "individual",
            "form": "Giấy khen",
            "year": 2026,
            "achievements": "Hiến 500 m² đất làm đường",
            "proposing_agency": w.dept.pk,
            "reviewing_agency": prog.home_affairs.pk,
            "approving_agency": prog.ubnd.pk,
        },
    )
    assert response.status_code == 302
    proposal = CommendationProposal.objects.get()
    base = f"/cong-viec/chuong-trinh/khen-thuong/{proposal.pk}/"
    assert _client(w.handler).post(f"{base}submit/", {}).status_code == 403
    page = _client(w.leader).get(base).content.decode()
    assert "Trình đề xuất" in page and "Thực hiện" not in page
    assert _client(w.leader).post(f"{base}submit/", {}).status_code == 302
    review_page = _client(prog.home_affairs_handler).get(base).content.decode()
    assert "Xác nhận hồ sơ đạt" in review_page and "Trả lại, không đạt" in review_page
    missing = _client(prog.home_affairs_handler).post(f"{base}reject/", {"reject-reason": ""})
    assert missing.status_code == 400
    assert _client(prog.home_affairs_handler).post(f"{base}review/", {}).status_code == 302
    approve_page = _client(prog.ubnd_leader).get(base).content.decode()
    assert "Phê duyệt khen thưởng" in approve_page and "Số quyết định" in approve_page
    no_number = _client(prog.ubnd_leader).post(f"{base}approve/", {})
    assert no_number.status_code == 400
    approved = _client(prog.ubnd_leader).post(
        f"{base}approve/",
        {"approve-decision_number": "88/QĐ-UBND", "approve-decision_date": "02/03/2026"},
    )
    assert approved.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == CommendationProposal.State.APPROVED
    assert proposal.decision_number == "88/QĐ-UBND"
    assert proposal.decision_date == dt.date(2026, 3, 2)
    done = _client(w.leader).get(base).content.decode()
    assert "88/QĐ-UBND" in done and "02/03/2026" in done


def test_cosign_and_report_back_in_the_browser(prog: Any) -> None:
    from phoihop.intake.models import Signal
    from phoihop.programme.models import Resolution

    w = prog.world
    network_of(w)
    resolution = Resolution.objects.create(
        number="01/2026/NQ-HĐND", adopted_on=timezone.localdate(), title="Hỗ trợ"
    )
    guidance = services.guidance_create(
        by=w.coordinator,
        title="Định hướng nghị quyết",
        key_messages="Thông điệp",
        valid_from=timezone.localdate(),
        resolution=resolution,
    )
    base = f"/cong-viec/chuong-trinh/dinh-huong/{guidance.pk}/"
    assert "Phát hành" not in _client(w.coordinator).get(base).content.decode().split("<main")[1]
    assert _client(w.coordinator).post(f"{base}cosign/", {}).status_code == 403
    assert _client(prog.council_staff).post(f"{base}cosign/", {}).status_code == 302
    assert _client(w.coordinator).post(f"{base}issue/", {"kinds": ["reporter"]}).status_code == 302
    response = _client(w.handler).post(f"{base}report/", {"text": "Người dân đồng tình"})
    assert response.status_code == 302
    assert Signal.objects.get().channel == Signal.Channel.COLLABORATOR


def test_a_handler_of_one_agency_finds_it_chosen_in_each_form(prog: Any, task: Task) -> None:
    w = prog.world
    handler = _client(w.handler)  # works for one department only
    base = "/cong-viec/chuong-trinh/"
    for url, name in (
        (f"{base}nhiem-vu/{task.pk}/", "agency"),
        (f"{base}dien-hinh/", "proposing_agency"),
        (f"{base}khen-thuong/", "proposing_agency"),
    ):
        page = handler.get(url).content.decode()
        select = page.split(f'name="{name}"')[1].split("</select>")[0]
        assert f'<option value="{w.dept.pk}" selected>' in select, url
