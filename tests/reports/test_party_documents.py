"""The department's documents: the programme report, the public-opinion situation report and
the conclusions notice, in the Party format (HD 36); the format follows the issuing body."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from docx import Document as read_docx

from phoihop.cases.models import Issue
from phoihop.core.models import Agency, User
from phoihop.demo.loader import load_demo
from phoihop.intake.models import Signal
from phoihop.programme.models import Meeting, Task
from phoihop.reports import formats, services
from phoihop.reports.content import Block, Document
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import parse_period
from phoihop.reports.situation import matters
from phoihop.triage.normalize import content_hash

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def _docx_text(data: bytes) -> str:
    document = read_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _signal(
    text: str, *, issue: Issue | None, channel: str, days_ago: int, place: Any = None
) -> Signal:
    signal = Signal.objects.create(
        channel=channel,
        source="thu",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        issue=issue,
        place=place,
    )
    Signal.objects.filter(pk=signal.pk).update(
        received_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return signal


def test_the_issuing_body_decides_the_format(demo: None) -> None:
    party = formats.issuer_of(Agency.objects.get(code="btgdv"))
    council = formats.issuer_of(Agency.objects.get(code="hdnd"))
    ubnd = formats.issuer_of(Agency.objects.get(code="ubnd"))
    assert (party.parent, party.name, party.symbol) == (
        "TỈNH ỦY LẠNG SƠN",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "BTGDVTU",
    )
    assert formats.form_of([party]) == "party" and formats.form_of([council]) == "state"
    assert formats.form_of([party, ubnd]) == "joint"
    assert formats.number_line("party", "BC/BTGDVTU", "12") == "Số 12-BC/BTGDVTU"
    assert formats.number_line("state", "BC-HĐND", "12") == "Số: 12/BC-HĐND"
    assert formats.number_line("state", "BC-HĐND", "12/BC-HĐND") == "Số: 12/BC-HĐND"

    today = dt.date(2026, 2, 5)
    joint = Document(
        **formats.heading(
            issuers=[party, ubnd],
            kind_symbol="CTrPH",
            kind_title="CHƯƠNG TRÌNH",
            title="Phối hợp thông tin, tuyên truyền năm 2026",
            today=today,
        ),
        blocks=[Block(kind="paragraph", key="a", text="Nội dung phối hợp.")],
    )
    text = _docx_text(services.render(joint, "docx"))
    assert "BAN TUYÊN GIÁO VÀ DÂN VẬN" in text and "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in text
    assert "Số:      /CTrPH-BTGDVTU-UBND" in text and MOTTO in text  # a state body co-issues
    assert "K/T TRƯỞNG BAN" in text and "TM. ỦY BAN NHÂN DÂN" in text  # each body signs
    assert "Lạng Sơn, ngày 05 tháng 02 năm 2026" in text


def test_programme_report_reports_the_programme_in_the_party_format(demo: None) -> None:
    year = timezone.localdate().year
    doc = services.build(kind="programme", period=parse_period(str(year)))
    text = _docx_text(services.render(doc, "docx"))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and MOTTO not in text
    assert "TỈNH ỦY LẠNG SƠN" in text and "BAN TUYÊN GIÁO VÀ DÂN VẬN" in text
    assert "Số      -BC/BTGDVTU" in text and "K/T TRƯỞNG BAN" in text
    tasks = Task.objects.filter(plan__year=year)
    assert f"Kế hoạch trong kỳ có {tasks.count()} nhiệm vụ" in text
    assert "Danh mục nhiệm vụ và tiến độ" in text
    first = tasks.order_by("code").first()
    assert first is not None and first.title in text
    assert "Tiến độ theo cơ quan và nhiệm vụ" in text and "70% (CT)" in text
    if any(t.is_open and t.due_on < timezone.localdate() for t in tasks):
        assert "Nhiệm vụ quá hạn" in text
    meeting = Meeting.objects.get()
    assert "III. Hội nghị giao ban và kết luận" in text and meeting.title in text
    linked = Task.objects.get(decision__meeting=meeting)
    assert f"{linked.code} — {linked.get_status_display()}" in text
    assert "IV. Định hướng tuyên truyền" in text and "đã xác nhận tiếp nhận" in text
    assert "42,9%" in text  # 3 of 7 recipients acknowledged the demo guidance
    assert "Tổ hòa giải thôn Nà Chuông" in text  # the exemplary model


def test_situation_report_ranks_matters_by_volume_and_growth(demo: None) -> None:
    today = timezone.localdate()
    land = Issue.objects.get(title__startswith="Chậm chi trả tiền bồi thường")
    health = Issue.objects.get(title__startswith="Thiếu thuốc bảo hiểm y tế")
    hidden = Issue.objects.filter(visibility=Issue.Visibility.CONFIDENTIAL).first()
    period = parse_period(today.strftime("%Y-%m"))
    start = (today - period.start).days  # signals «today» are inside the period
    for n, channel in enumerate(["social", "social", "news", "petition", "social"]):
        _signal(f"Bồi thường cao tốc chậm {n}", issue=land, channel=channel, days_ago=0)
    _signal("Thiếu thuốc BHYT tháng trước", issue=health, channel="feedback", days_ago=start + 5)
    _signal("Thiếu thuốc BHYT", issue=health, channel="feedback", days_ago=0)
    if hidden is not None:
        for n in range(9):
            _signal(f"Việc mật {n}", issue=hidden, channel="social", days_ago=0)
    found = matters(start=period.start, end=period.end)
    titles = [m.title for m in found if m.issue is not None]
    assert titles[0] == land.title  # the most signals first
    assert hidden is None or hidden.title not in titles  # confidential stays out
    land_matter = next(m for m in found if m.issue == land)
    assert land_matter.channels["social"] >= 3 and land_matter.signals >= 5

    coordinator = User.objects.get(username="dieuphoi")
    report = services.document_draft(by=coordinator, kind="situation", period=period.code)
    assert report.kind == ReportDocument.Kind.SITUATION
    services.document_edit(
        report=report, by=coordinator, texts={"p1": "1. Đề nghị Sở NN&MT đối thoại với người dân."}
    )
    issued = services.document_issue(report=report, by=coordinator, number="15")
    text = _docx_text(issued.docx.read())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Số 15-BC/BTGDVTU" in text
    assert f"Tình hình dư luận xã hội tháng {today.month} năm {today.year}" in text
    assert land.title in text and "mạng xã hội" in text
    assert "1. Đề nghị Sở NN&MT đối thoại với người dân." in text
    assert "IV. Đề xuất, kiến nghị" in text
    assert issued.pdf.read().startswith(b"%PDF-")


def test_on_demand_situation_report_covers_one_matter(demo: None) -> None:
    land = Issue.objects.get(title__startswith="Chậm chi trả tiền bồi thường")
    _signal("Dân Đồng Đăng mất đất làm cao tốc", issue=land, channel="social", days_ago=1)
    coordinator = User.objects.get(username="dieuphoi")
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        "/cong-viec/bao-cao/van-ban/", {"kind": "situation", "issue": land.code.lower()}
    )
    assert response.status_code == 302
    report = ReportDocument.objects.get(kind="situation")
    assert report.issue == land and land.title in report.title
    missing = client.post("/cong-viec/bao-cao/van-ban/", {"kind": "situation"})
    assert missing.status_code == 400 and "cần kỳ" in missing.content.decode()
    unknown = client.post("/cong-viec/bao-cao/van-ban/", {"kind": "situation", "issue": "VD-1"})
    assert unknown.status_code == 400 and "Không tìm thấy vấn đề" in unknown.content.decode()
    assert ReportDocument.objects.count() == 1


def test_conclusions_notice_names_the_tasks_made_from_conclusions(demo: None) -> None:
    meeting = Meeting.objects.get()
    coordinator = User.objects.get(username="dieuphoi")
    with pytest.raises(ValidationError):
        services.build(kind="conclusions")
    report = services.document_draft(by=coordinator, kind="conclusions", meeting=meeting)
    assert report.meeting == meeting
    issued = services.document_issue(report=report, by=coordinator, number="7")
    text = _docx_text(issued.docx.read())
    assert "THÔNG BÁO" in text and "Số 7-TB/BTGDVTU" in text
    task = Task.objects.get(decision__meeting=meeting)
    assert f"Nhiệm vụ {task.code}" in text and task.due_on.strftime("%d/%m/%Y") in text
    assert "- Ban Tuyên giáo và Dân vận Tỉnh ủy Lạng Sơn;" not in text  # not sent to itself


def test_report_command_writes_the_conclusions_notice(demo: None, tmp_path: Any) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = tmp_path / "tb.docx"
    call_command(
        "report", "conclusions", meeting=Meeting.objects.get().pk, format="docx", output=out
    )
    assert "THÔNG BÁO" in _docx_text(out.read_bytes())
    with pytest.raises(CommandError, match="hội nghị giao ban"):
        call_command("report", "conclusions", meeting=999, format="docx", output=out)
    assert formats.issuer_of(Agency.objects.get(code="so-nv")).symbol == "SNV"


def test_issue_page_leads_coordinators_to_the_on_demand_report(demo: None) -> None:
    land = Issue.objects.get(title__startswith="Chậm chi trả tiền bồi thường")
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="dieuphoi"))
    page = coordinator.get(f"/cong-viec/van-de/{land.pk}/").content.decode()
    assert "Lập báo cáo dư luận đột xuất về vấn đề này" in page
    form = coordinator.get(f"/cong-viec/bao-cao/van-ban/?loai=situation&van-de={land.code}")
    html = form.content.decode()
    assert f'value="{land.code}"' in html and '<option value="situation" selected>' in html
    handler = Client()
    handler.force_login(User.objects.get(username="xuly.nnmt"))
    assert (
        "Lập báo cáo dư luận" not in handler.get(f"/cong-viec/van-de/{land.pk}/").content.decode()
    )


def test_a_registered_number_is_a_bare_number_or_the_full_number_of_the_form() -> None:
    assert formats.registered_number("party", "BC/BTGDVTU", "12") == "12-BC/BTGDVTU"
    assert formats.registered_number("party", "BC/BTGDVTU", "Số 12-BC/BTGDVTU") == "12-BC/BTGDVTU"
    assert formats.registered_number("state", "BC-HĐND", "012 / bc-hđnd") == "12/BC-HĐND"
    for wrong in ("abc/xyz", "12/BC-HĐND", "12-TB/BTGDVTU", "", "-3"):
        assert formats.registered_number("party", "BC/BTGDVTU", wrong) is None
