"""Key projects: signals and issues linked by keywords, and the advisory brief as DOCX."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from docx import Document
from tests.factories import IssueFactory, UnitFactory

from phoihop.core.models import AuditEvent
from phoihop.intake.models import Signal
from phoihop.programme import briefs, selectors, services
from phoihop.programme import project_services as projects
from phoihop.programme.models import KeyProject, ProjectLink
from phoihop.triage.normalize import content_hash, fold


def _signal(text: str, **kwargs: Any) -> Signal:
    return Signal.objects.create(
        channel=Signal.Channel.SOCIAL,
        source="thu",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        **kwargs,
    )


def test_brief_has_title_project_opinion_and_plan(prog: Any) -> None:
    w = prog.world
    place = UnitFactory(name="Xã Đồng Đăng")
    project = services.project_create(
        by=w.coordinator,
        code="cao-toc",
        name="Cao tốc Đồng Đăng – Trà Lĩnh",
        owner_agency=w.other,
        places=[place],
        phases="Giải phóng mặt bằng\nThi công",
        keywords="cao tốc Đồng Đăng\ncao toc dong dang",
        plan_messages="Dự án mở hướng phát triển kinh tế cửa khẩu",
        plan_channels="Báo Lạng Sơn\nĐài PT-TH tỉnh",
        plan_schedule="Quý I: hội nghị báo cáo viên",
        plan_agencies=[w.coordinator_agency, w.other],
    )
    _signal("Người dân hỏi về đền bù cao tốc Đồng Đăng", place=place)
    _signal("Không liên quan")
    IssueFactory(
        title="Chậm chi trả cao tốc Đồng Đăng",
        search_text=fold("Chậm chi trả cao tốc Đồng Đăng"),
        field=w.field,
    )
    assert services.project_link_mentions(project=project) == 2
    assert services.project_link_mentions(project=project) == 0

    opinion = selectors.project_opinion(project=project)
    assert (opinion.total, opinion.signals, opinion.issues) == (2, 1, 1)
    assert opinion.by_field == [("Đất đai", 1)] and opinion.by_place == [("Xã Đồng Đăng", 1)]

    document = Document(io.BytesIO(briefs.project_brief_docx(project=project)))
    text = [p.text for p in document.paragraphs]
    assert briefs.TITLE in text
    assert any("Cao tốc Đồng Đăng – Trà Lĩnh" in line for line in text)
    for section in briefs.SECTIONS:
        assert section in text
    assert any(line.startswith("Tổng số ý kiến, phản ánh liên quan: 2") for line in text)
    assert any("Báo Lạng Sơn; Đài PT-TH tỉnh" in line for line in text)


def test_command_links_new_mentions_now(prog: Any) -> None:
    from django.core.management import call_command

    services.project_create(
        by=prog.world.coordinator,
        code="kcn",
        name="Khu công nghiệp Đồng Bành",
        owner_agency=prog.world.other,
        keywords="khu công nghiệp Đồng Bành",
    )
    _signal("Ô nhiễm ở khu công nghiệp Đồng Bành")
    out = io.StringIO()
    call_command("link_project_mentions", "--now", stdout=out)
    assert "Đã gắn 1 tín hiệu" in out.getvalue()


# --- opinion found by similarity and places; staff link and unlink ------------------------------


def _dong_dang(prog: Any) -> Any:
    place = UnitFactory(code=6184, name="Xã Đồng Đăng")
    return services.project_create(
        by=prog.world.coordinator,
        code="cao-toc-dd",
        name="Dự án đường cao tốc Đồng Đăng – Trà Lĩnh",
        owner_agency=prog.world.other,
        places=[place],
        description="Tuyến cao tốc nối cửa khẩu Hữu Nghị với Cao Bằng.",
        keywords="cao tốc Đồng Đăng\nTrà Lĩnh\ngiải phóng mặt bằng cao tốc",
    )


def test_opinion_in_other_words_and_places_is_linked_and_unrelated_is_not(prog: Any) -> None:
    project = _dong_dang(prog)
    reordered = _signal("Dân Đồng Đăng mất đất làm cao tốc không được đồng nào")
    collaborator = _signal(
        "Cộng tác viên báo cáo: bà con thôn Pác Luống lo ngại tiến độ chi trả bồi thường "
        "đường cao tốc qua xã Đồng Đăng"
    )
    unaccented = _signal("nghe noi cao toc dong dang tra linh thu hoi dat khong den bu")
    others = [
        _signal("Cao tốc Hà Nội – Lạng Sơn ùn tắc dịp lễ"),
        _signal("Giá đất ở Đồng Đăng tăng cao"),
        _signal("Đề nghị sửa chữa cầu treo bị hư hỏng ở phường Tam Thanh"),
    ]
    assert projects.project_link_opinion(project=project) == 3
    linked_signals, _issues = projects.linked(project=project)
    assert {link.signal_id for link in linked_signals} == {
        reordered.pk,
        collaborator.pk,
        unaccented.pk,
    }
    assert not ProjectLink.objects.filter(signal__in=others).exists()
    reason = ProjectLink.objects.get(signal=reordered).matched
    assert "cao tốc Đồng Đăng" in reason and "Xã Đồng Đăng" in reason


def test_staff_unlink_for_good_and_link_by_hand(prog: Any) -> None:
    w = prog.world
    project = _dong_dang(prog)
    wrong = _signal("Xe khách đi cao tốc Đồng Đăng bị hỏng giữa đường")
    projects.project_link_opinion(project=project)
    link = ProjectLink.objects.get(signal=wrong)
    projects.project_unlink(by=w.coordinator, link=link, reason="Không liên quan dự án")
    assert projects.project_link_opinion(project=project) == 0  # not linked again
    assert selectors.project_opinion(project=project).total == 0
    issue = IssueFactory(title="Kiến nghị về tái định cư")
    projects.project_link(by=w.coordinator, project=project, issue=issue)
    assert [i.issue_id for i in projects.linked(project=project)[1]] == [issue.pk]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"project.unlink", "project.link_manual"} <= actions
    with pytest.raises(PermissionDenied):
        projects.project_unlink(by=w.handler, link=link)


def test_projects_are_created_edited_and_corrected_from_staff_screens(prog: Any) -> None:
    w = prog.world
    client = Client()
    client.force_login(w.coordinator)
    assert (
        "Thêm dự án, đề án trọng điểm"
        in client.get("/cong-viec/chuong-trinh/du-an/").content.decode()
    )
    bad = client.post("/cong-viec/chuong-trinh/du-an/moi/", {"name": "X", "code": "Cao Tốc"})
    assert bad.status_code == 400
    assert "Mã chỉ gồm chữ thường không dấu" in bad.content.decode()
    response = client.post(
        "/cong-viec/chuong-trinh/du-an/moi/",
        {
            "name": "Khu công nghiệp Đồng Bành",
            "code": "kcn-dong-banh",
            "owner_agency": w.other.pk,
            "keywords": "khu công nghiệp Đồng Bành",
            "plan_messages": "Việc làm cho người dân địa phương",
            "plan_agencies": [w.coordinator_agency.pk],
        },
    )
    assert response.status_code == 302
    project = KeyProject.objects.get(code="kcn-dong-banh")
    assert list(project.plan_agencies.all()) == [w.coordinator_agency]
    response = client.post(
        f"/cong-viec/chuong-trinh/du-an/{project.pk}/sua/",
        {
            "name": "Khu công nghiệp Đồng Bành (giai đoạn 2)",
            "code": "kcn-dong-banh",
            "owner_agency": w.other.pk,
            "keywords": "khu công nghiệp Đồng Bành",
            "plan_channels": "Báo Lạng Sơn",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="project.update")
    assert event.after["name"] == "Khu công nghiệp Đồng Bành (giai đoạn 2)"
    assert event.before["plan_agencies"] == ["Ban Tuyên giáo và Dân vận"]
    assert event.after["plan_agencies"] == []
    signal = _signal("Ô nhiễm ở khu công nghiệp Đồng Bành")
    page = client.get(f"/cong-viec/chuong-trinh/du-an/{project.pk}/")
    assert page.status_code == 200
    client.post(f"/cong-viec/chuong-trinh/du-an/{project.pk}/", {"target": str(signal.pk)})
    page = client.get(f"/cong-viec/chuong-trinh/du-an/{project.pk}/").content.decode()
    assert "Ô nhiễm ở khu công nghiệp Đồng Bành" in page and "gắn thủ công" in page
    missing = client.post(f"/cong-viec/chuong-trinh/du-an/{project.pk}/", {"target": "VD-0000"})
    assert missing.status_code == 400 and "Không tìm thấy" in missing.content.decode()
    link = ProjectLink.objects.get(signal=signal)
    client.post(f"/cong-viec/chuong-trinh/du-an/{project.pk}/bo-gan/{link.pk}/")
    link.refresh_from_db()
    assert link.removed
    client.force_login(w.handler)
    assert client.get("/cong-viec/chuong-trinh/du-an/moi/").status_code == 403


def test_the_scan_button_queues_the_background_matcher(prog: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    project = _dong_dang(prog)
    _signal("Dân Đồng Đăng mất đất làm cao tốc không được đồng nào")
    client = Client()
    client.force_login(prog.world.coordinator)
    client.post(f"/cong-viec/chuong-trinh/du-an/{project.pk}/", {"action": "scan"})
    assert ProjectLink.objects.filter(project=project).count() == 1


def test_the_brief_carries_its_number_and_a_place_and_date_line(prog: Any) -> None:
    project = _dong_dang(prog)
    UnitFactory(level="province", code=20, name="Tỉnh Lạng Sơn")
    client = Client()
    client.force_login(prog.world.coordinator)
    url = f"/cong-viec/chuong-trinh/du-an/{project.pk}/bao-cao-tham-muu.docx"
    response = client.get(url, {"number": "12-bc/btgdvtu"})
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for cell in document.tables[0].rows[0].cells]
    today = timezone.localdate()
    assert "Số 12-BC/BTGDVTU" in cells[0]
    assert f"Lạng Sơn, ngày {today:%d} tháng {today:%m} năm {today:%Y}" in cells[1]
    bad = client.get(url, {"number": "mười hai"})
    assert bad.status_code == 302


def test_the_owner_agency_hears_when_new_opinion_mentions_its_project(prog: Any) -> None:
    from phoihop.notifications.models import Notification

    project = _dong_dang(prog)
    _signal("Dân Đồng Đăng mất đất làm cao tốc không được đồng nào")
    assert projects.project_link_opinion(project=project) == 1
    told = Notification.objects.filter(kind=Notification.Kind.MENTIONED)
    owners = {n.user_id for n in told}
    assert prog.world.other_handler.pk in owners
    assert prog.world.handler.pk not in owners  # another agency's handler hears nothing
    assert "1 ý kiến" in told.first().text and f"/du-an/{project.pk}/" in told.first().url
    _signal("Cao tốc Đồng Đăng – Trà Lĩnh: bà con chưa nhận tiền bồi thường")
    assert projects.project_link_opinion(project=project) == 1
    assert told.filter(user=prog.world.other_handler).count() == 1  # once a day per project
