"""Official documents from demo data: read back the DOCX and the PDF and check what they say."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from docx import Document as read_docx
from docx.shared import Mm, Pt
from tests.factories import SignalFactory

from phoihop.cases.models import Issue
from phoihop.core.models import AdministrativeUnit, User
from phoihop.demo.loader import load_demo
from phoihop.factcheck.models import Rebuttal
from phoihop.intake.models import CouncilSession, Signal, VoterContactRound
from phoihop.programme.models import Meeting
from phoihop.reports import services
from phoihop.reports.content import Block, Document
from phoihop.reports.forms import DraftForm
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import parse_period

ARTIFACTS = Path("artifacts/reports")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@pytest.fixture
def province(db: None) -> CouncilSession:
    """The demo province, plus a session with petitions: three merged into one issue."""
    load_demo()
    session = CouncilSession.objects.create(term="XVII", number=12, title="Kỳ họp thứ 12")
    round_ = VoterContactRound.objects.create(name="Tiếp xúc trước kỳ họp 12", session=session)
    land = Issue.objects.get(title__startswith="Chậm chi trả tiền bồi thường")
    health = Issue.objects.get(title__startswith="Thiếu thuốc bảo hiểm y tế")
    places = list(AdministrativeUnit.objects.filter(level="commune").order_by("code")[:3])
    rows = [
        (land, places[0], "Đề nghị chi trả dứt điểm tiền bồi thường cao tốc", "Tổ 1"),
        (land, places[1], "Cử tri đề nghị sớm trả tiền đền bù giải phóng mặt bằng", "Tổ 2"),
        (land, places[2], "Chậm chi trả bồi thường dự án cao tốc", "Tổ 3"),
        (health, places[0], "Thiếu thuốc bảo hiểm y tế ở trung tâm y tế", "Tổ 1"),
        (None, places[1], "Đề nghị nâng cấp nhà văn hóa thôn", "Tổ 2"),
    ]
    for issue, place, text, deputy in rows:
        SignalFactory(
            channel=Signal.Channel.PETITION,
            source="kien-nghi.xlsx",
            raw_text=text,
            place=place,
            round=round_,
            issue=issue,
            occurred_at=timezone.now(),
            metadata={"deputy": deputy},
        )
    return session


def _docx_text(data: bytes) -> tuple[str, Any]:
    document = read_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), document


def _pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / name),
        ],
        check=True,
    )
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _check_layout(document: Any) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    mm = {
        side: round(getattr(section, f"{side}_margin").mm)
        for side in ("top", "bottom", "left", "right")
    }
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert Pt(13) <= normal.font.size <= Pt(14)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml


def test_petitions_summary_groups_by_competence_and_field(
    province: CouncilSession, tmp_path: Path
) -> None:
    doc = services.build(kind="petitions-summary", session=province)
    text, document = _docx_text(services.render(doc, "docx"))
    _check_layout(document)
    for line in MOTTO:
        assert line in text
    assert "Tổng hợp ý kiến, kiến nghị của cử tri trước kỳ họp thứ 12 HĐND tỉnh khóa XVII" in text
    assert "I. Kiến nghị thuộc thẩm quyền của tỉnh (4 kiến nghị)" in text
    assert "II. Kiến nghị chưa xác định thẩm quyền (1 kiến nghị)" in text
    assert "Lĩnh vực đất đai, giải phóng mặt bằng" in text  # a field's name mid-heading
    assert "3 kiến nghị tại 3 cuộc tiếp xúc" in text  # three petitions merged into one wording
    assert "Sở Nông nghiệp và Môi trường tỉnh Lạng Sơn" in text
    assert "Nơi nhận:" in text and "TM. THƯỜNG TRỰC HĐND" in text
    pdf = _pdf_text(services.render(doc, "pdf"), tmp_path, "petitions-summary")
    assert MOTTO[0] in pdf and "BÁO CÁO" in pdf
    assert "Tổng cộng" in pdf


def test_petitions_results_counts_outcomes_and_carries_over(
    province: CouncilSession, tmp_path: Path
) -> None:
    doc = services.build(kind="petitions-results", session=province)
    text, document = _docx_text(services.render(doc, "docx"))
    _check_layout(document)
    assert "Tổng số nội dung kiến nghị: 3" in text
    assert "Đã giải quyết (1 nội dung)" in text  # the health issue was answered as resolved
    assert "Chưa giải quyết (2 nội dung)" in text
    assert "Danh mục kiến nghị chuyển kỳ sau (2 nội dung)" in text
    assert "Phụ lục: chi tiết từng kiến nghị" in text
    pdf = _pdf_text(services.render(doc, "pdf"), tmp_path, "petitions-results")
    assert "Đã giải quyết" in pdf and "Phụ lục" in pdf


def test_programme_report_counts_issues_and_on_time_rate(
    province: CouncilSession, tmp_path: Path
) -> None:
    year = timezone.localdate().year
    doc = services.build(kind="programme", period=parse_period(str(year)))
    text, document = _docx_text(services.render(doc, "docx"))
    _check_layout(document)
    received = Issue.objects.filter(received_on__year=year).count()
    assert f"tiếp nhận {received} vấn đề" in text
    assert "Kết quả theo cơ quan" in text and "Tổng cộng" in text
    assert "kể cả việc chưa xong đã quá hạn" in text
    from phoihop.factcheck.selectors import rebuttals_published_between
    from phoihop.reports.periods import day_bounds

    since, until = day_bounds(dt.date(year, 1, 1), dt.date(year, 12, 31))
    published = len(rebuttals_published_between(since=since, until=until))
    registry = Rebuttal.objects.filter(
        state=Rebuttal.State.PUBLISHED, published_at__gte=since, published_at__lt=until
    ).count()
    assert published >= registry and published >= 1  # with those written on the portal
    assert f"Số bài phản bác thông tin sai sự thật đã đăng: {published}." in text
    assert "Số đề xuất khen thưởng: 1 (" in text
    pdf = _pdf_text(services.render(doc, "pdf"), tmp_path, "programme")
    assert f"Kết quả thực hiện Chương trình phối hợp năm {year}" in " ".join(pdf.split())


def test_report_command_writes_each_format(province: CouncilSession, tmp_path: Path) -> None:
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"r.{fmt}"
        call_command("report", "petitions-summary", session=province.pk, format=fmt, output=out)
        assert out.stat().st_size > 1000
    out = tmp_path / "p.pdf"
    call_command("report", "programme", period="2026-Q4", format="pdf", output=out)
    assert out.read_bytes().startswith(b"%PDF-")


def test_report_command_rejects_a_bad_period(db: None, tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command(
            "report", "programme", period="2026-Q5", format="pdf", output=tmp_path / "x.pdf"
        )


def test_draft_edit_issue_freezes_the_document(province: CouncilSession) -> None:
    coordinator = User.objects.get(username="hdnd")
    report = services.document_draft(by=coordinator, kind="petitions-summary", session=province)
    services.document_edit(report=report, by=coordinator, texts={"intro": "Lời dẫn đã biên tập."})
    with pytest.raises(ValidationError):
        services.document_edit(report=report, by=coordinator, texts={"intro": "  "})
    issued = services.document_issue(report=report, by=coordinator, number="12/BC-HĐND")
    assert issued.state == ReportDocument.State.ISSUED
    text, _ = _docx_text(issued.docx.read())
    assert "Lời dẫn đã biên tập." in text and "Số: 12/BC-HĐND" in text
    assert issued.pdf.read().startswith(b"%PDF-")
    with pytest.raises(ValidationError):
        services.document_edit(report=issued, by=coordinator, texts={"intro": "Sửa sau ban hành"})
    with pytest.raises(ValidationError):
        services.document_issue(report=issued, by=coordinator, number="13/BC-HĐND")


def test_only_coordinators_make_reports(province: CouncilSession) -> None:
    with pytest.raises(PermissionDenied):
        services.document_draft(
            by=User.objects.get(username="xuly.nnmt"), kind="programme", period="2026"
        )


def test_petitions_summary_writes_places_and_recipients_as_a_sentence_does(
    province: CouncilSession,
) -> None:
    """«(cử tri xã Cao Lộc…)» mid-sentence, no full stop before the bracket, and the list of
    recipients ending «- Lưu: VT.» (Decree 30)."""
    coordinator = User.objects.get(username="hdnd")
    report = services.document_draft(by=coordinator, kind="petitions-summary", session=province)
    text, _ = _docx_text(services.render(Document.from_json(report.content), "docx"))
    assert "(cử tri " in text
    assert not re.search(r"\(cử tri (Xã|Phường) ", text)
    assert re.search(r"\(cử tri (xã|phường) ", text)
    assert ". (cử tri" not in text
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert lines[-1] == "- Lưu: VT." and all(line.endswith(";") for line in lines[:-1])


def test_the_only_meeting_starts_chosen_on_the_report_form(province: CouncilSession) -> None:
    meetings = Meeting.objects.all()
    if meetings.count() != 1:
        meetings.exclude(pk=meetings.first().pk).delete()  # type: ignore[union-attr]
    only = Meeting.objects.get()
    form = DraftForm()
    assert form.fields["meeting"].initial == only.pk
    assert form.fields["session"].label == "Hoặc theo kỳ họp HĐND"


def test_leaders_and_viewers_read_issued_reports_but_not_drafts(
    province: CouncilSession,
) -> None:
    coordinator = User.objects.get(username="hdnd")
    issued = services.document_issue(
        report=services.document_draft(by=coordinator, kind="petitions-summary", session=province),
        by=coordinator,
        number="12/BC-HĐND",
    )
    draft = services.document_draft(
        by=User.objects.get(username="dieuphoi"), kind="programme", period="2026"
    )
    for username in ("lanhdao.ubnd", "xem.ubnd"):
        reader = Client()
        reader.force_login(User.objects.get(username=username))
        page = reader.get("/cong-viec/bao-cao/van-ban/").content.decode()
        assert "Các văn bản đã ban hành" in page and "Lập dự thảo" not in page
        assert ">Báo cáo</a>" in page  # the menu offers it
        pdf = reader.get(f"/cong-viec/bao-cao/van-ban/{issued.pk}/tai.pdf")
        assert pdf.status_code == 200
        assert b"".join(pdf.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
        assert f"/van-ban/{draft.pk}/" not in page
        assert reader.get(f"/cong-viec/bao-cao/van-ban/{draft.pk}/tai.pdf").status_code == 403
        assert reader.get(f"/cong-viec/bao-cao/van-ban/{issued.pk}/").status_code == 403
        assert reader.post("/cong-viec/bao-cao/van-ban/", {"kind": "programme"}).status_code == 200
        assert ReportDocument.objects.count() == 2  # a reader's POST drafts nothing
    handler = Client()
    handler.force_login(User.objects.get(username="xuly.nnmt"))
    assert handler.get("/cong-viec/bao-cao/van-ban/").status_code == 403
    assert handler.get(f"/cong-viec/bao-cao/van-ban/{issued.pk}/tai.pdf").status_code == 403


def test_documents_in_the_browser(province: CouncilSession) -> None:
    client = Client()
    client.force_login(User.objects.get(username="hdnd"))
    response = client.post(
        "/cong-viec/bao-cao/van-ban/", {"kind": "petitions-summary", "session": province.pk}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Tổng hợp ý kiến, kiến nghị của cử tri" in page
    report = ReportDocument.objects.get()
    download = client.get(f"/cong-viec/bao-cao/van-ban/{report.pk}/tai.pdf")
    assert download["Content-Type"] == "application/pdf"
    bad = client.post(
        "/cong-viec/bao-cao/van-ban/", {"kind": "petitions-summary", "period": "2026-Q9"}
    )
    assert bad.status_code == 400 and "không hợp lệ" in bad.content.decode()
    assert ReportDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("code", "start", "end", "label"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "năm 2026"),
        ("2026-H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "6 tháng đầu năm 2026"),
        ("2026-q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "quý III năm 2026"),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "quý I năm 2024"),
    ],
)
def test_periods(code: str, start: dt.date, end: dt.date, label: str) -> None:
    period = parse_period(code)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_place_and_date_follow_decree_30() -> None:
    from phoihop.reports.content import place_date

    assert place_date("Lạng Sơn", dt.date(2026, 2, 5)) == "Lạng Sơn, ngày 05 tháng 02 năm 2026"
    assert place_date("Lạng Sơn", dt.date(2026, 11, 25)) == "Lạng Sơn, ngày 25 tháng 11 năm 2026"
    assert place_date("Lạng Sơn", dt.date(2026, 7, 9)) == "Lạng Sơn, ngày 09 tháng 7 năm 2026"


def test_unclassified_petitions_get_a_heading_fit_for_an_official_document(
    province: CouncilSession,
) -> None:
    text, _ = _docx_text(
        services.render(services.build(kind="petitions-summary", session=province), "docx")
    )
    assert "Lĩnh vực Chưa phân loại" not in text
    assert "Các nội dung khác" in text


def test_report_pdfs_use_one_font_that_covers_vietnamese(
    province: CouncilSession, tmp_path: Path
) -> None:
    """Decree 30's Times New Roman when installed, else its metric twin Liberation Serif when
    that covers Vietnamese (fonts-liberation2; Debian's fonts-liberation 1.x does not), else
    Noto Serif: one face for every letter, «ệ», «ở», «ữ» included."""
    listed = subprocess.run(
        ["fc-list", ":lang=vi", "family"], capture_output=True, text=True, check=True
    ).stdout
    covering = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    expected = next(
        (f for f in ("Times New Roman", "Liberation Serif") if f in covering), "Noto Serif"
    )
    doc = services.build(kind="petitions-summary", session=province)
    doc.blocks.insert(0, Block(kind="paragraph", key="marks", text="Nghệ, Hưởng, Những, Kỷ, Ủy"))
    path = tmp_path / "report.pdf"
    path.write_bytes(services.render(doc, "pdf"))
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in listing if line.strip()}
    prefix = {"Times New Roman": "TimesNewRoman", "Liberation Serif": "Liberation-Serif"}.get(
        expected, "Noto-Serif"
    )
    assert names and all(name.startswith(prefix) for name in names), listing
    text = _pdf_text(path.read_bytes(), tmp_path, "one-font")
    assert "Lạng Sơn" in text and "Nghệ, Hưởng, Những, Kỷ, Ủy" in text


@pytest.mark.parametrize(
    ("code", "start", "end", "label", "short"),
    [
        (
            "2026-11",
            dt.date(2026, 11, 1),
            dt.date(2026, 11, 30),
            "tháng 11 năm 2026",
            "Tháng 11/2026",
        ),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quý IV năm 2026", "Quý 4/2026"),
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "năm 2025", "Năm 2025"),
    ],
)
def test_months_and_picker_labels(
    code: str, start: dt.date, end: dt.date, label: str, short: str
) -> None:
    period = parse_period(code)
    assert (period.start, period.end, period.label, period.short_label) == (
        start,
        end,
        label,
        short,
    )


def test_period_picker_offers_quarters_months_and_years_and_files_are_named_in_vietnamese(
    province: CouncilSession,
) -> None:
    client = Client()
    client.force_login(User.objects.get(username="hdnd"))
    year = timezone.localdate().year
    page = client.get("/cong-viec/bao-cao/van-ban/").content.decode()
    assert f">Quý 1/{year}</option>" in page and f">Năm {year - 1}</option>" in page
    assert f">Tháng 1/{year}</option>" in page
    response = client.post(
        "/cong-viec/bao-cao/van-ban/", {"kind": "petitions-summary", "period": f"{year}-Q1"}
    )
    assert response.status_code == 302
    report = ReportDocument.objects.get()
    download = client.get(f"/cong-viec/bao-cao/van-ban/{report.pk}/tai.pdf")
    disposition = unquote(download["Content-Disposition"])
    assert f"Quý 1-{year}.pdf" in disposition
    assert report.get_kind_display() in disposition
    export = client.get("/cong-viec/bao-cao/xuat/van-de.xlsx")
    assert "Danh sách vấn đề" in unquote(export["Content-Disposition"])


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("petitions-summary", "Tổng hợp ý kiến, kiến nghị của cử tri trong quý IV năm 2026"),
        (
            "petitions-results",
            "Kết quả giải quyết, trả lời ý kiến, kiến nghị của cử tri trong quý IV năm 2026",
        ),
    ],
)
def test_petition_reports_for_a_period_say_in_the_period(db: None, kind: str, title: str) -> None:
    doc = services.build(kind=kind, period=parse_period("2026-Q4"), today=dt.date(2027, 1, 5))
    assert doc.title == title


def test_petition_reports_for_a_session_say_before_or_to_the_session(
    province: CouncilSession,
) -> None:
    summary = services.build(kind="petitions-summary", session=province)
    results = services.build(kind="petitions-results", session=province)
    assert summary.title.endswith("của cử tri trước kỳ họp thứ 12 HĐND tỉnh khóa XVII")
    assert results.title.endswith("của cử tri gửi đến kỳ họp thứ 12 HĐND tỉnh khóa XVII")


def _petition(text: str, issue: Issue | None = None, place: Any = None) -> Signal:
    return SignalFactory(
        channel=Signal.Channel.PETITION,
        source="kien-nghi.xlsx",
        raw_text=text,
        issue=issue,
        place=place,
        occurred_at=timezone.now(),
    )


def test_an_assigned_petition_is_not_one_of_unknown_competence(assigned: Issue) -> None:
    """The issue was classified without a competence level (as accepting a cluster does) and
    assigned to a department: that department is competent, the level is the province's."""
    assert assigned.competence == ""
    _petition("Đường liên xã xuống cấp, đề nghị sửa chữa", issue=assigned)
    _petition("Đề nghị nâng cấp nhà văn hóa thôn")
    period = parse_period(f"{timezone.localdate().year}")
    text = "\n".join(b.text for b in services.build(kind="petitions-summary", period=period).blocks)
    assert "I. Kiến nghị thuộc thẩm quyền của tỉnh (1 kiến nghị)" in text
    assert "II. Kiến nghị chưa xác định thẩm quyền (1 kiến nghị)" in text
    unknown = text.split("II. Kiến nghị chưa xác định thẩm quyền")[1]
    assert "Đường liên xã" not in unknown and "nhà văn hóa thôn" in unknown


def test_the_demo_road_issue_is_placed_where_its_title_says(province: CouncilSession) -> None:
    road = Issue.objects.get(title__startswith="Đường tỉnh 226")
    assert road.title == "Đường tỉnh 226 đoạn qua xã Bắc Sơn xuống cấp nghiêm trọng"
    assert road.place is not None and road.place.name == "Xã Bắc Sơn"


def test_an_issued_number_must_be_a_number_of_the_documents_form(
    province: CouncilSession,
) -> None:
    coordinator = User.objects.get(username="hdnd")
    report = services.document_draft(by=coordinator, kind="petitions-summary", session=province)
    for text in ("abc/xyz", "12-BC/BTGDVTU", "12/BC-UBND", "0", "12 bis"):
        with pytest.raises(ValidationError) as refused:
            services.document_issue(report=report, by=coordinator, number=text)
        assert "Số văn bản phải là số (ví dụ 12)" in refused.value.message_dict["number"][0]
    report.refresh_from_db()
    assert report.state == ReportDocument.State.DRAFT and not report.number
    issued = services.document_issue(report=report, by=coordinator, number=" 12/bc-hđnd ")
    assert issued.number == "12/BC-HĐND"
    assert "Số: 12/BC-HĐND" in _docx_text(issued.docx.read())[0]


def test_a_number_already_issued_this_year_is_refused(province: CouncilSession) -> None:
    coordinator = User.objects.get(username="hdnd")
    first = services.document_draft(by=coordinator, kind="petitions-summary", session=province)
    services.document_issue(report=first, by=coordinator, number="12")
    second = services.document_draft(by=coordinator, kind="petitions-summary", session=province)
    for text in ("12", "12/BC-HĐND"):
        with pytest.raises(ValidationError) as refused:
            services.document_issue(report=second, by=coordinator, number=text)
        assert "đã được dùng" in refused.value.message_dict["number"][0]
    assert services.document_issue(report=second, by=coordinator, number="13").number == (
        "13/BC-HĐND"
    )


def test_issuing_asks_for_a_confirmation_and_shows_a_bad_number_on_its_field(
    province: CouncilSession,
) -> None:
    coordinator = User.objects.get(username="hdnd")
    report = services.document_draft(by=coordinator, kind="petitions-summary", session=province)
    client = Client()
    client.force_login(coordinator)
    url = f"/cong-viec/bao-cao/van-ban/{report.pk}/"
    assert 'name="confirm"' in client.get(url).content.decode()
    unconfirmed = client.post(url, {"number": "12"})
    assert unconfirmed.status_code == 400
    assert "Cần xác nhận đã kiểm tra trước khi ban hành." in unconfirmed.content.decode()
    bad = client.post(url, {"number": "abc/xyz", "confirm": "on"})
    assert bad.status_code == 400
    assert 'id="id_number-err"' in bad.content.decode()
    report.refresh_from_db()
    assert report.state == ReportDocument.State.DRAFT
    assert client.post(url, {"number": "12", "confirm": "on"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportDocument.State.ISSUED and report.number == "12/BC-HĐND"


def test_a_petition_not_yet_assigned_names_its_agency_as_expected_only(
    province: CouncilSession, tmp_path: Path
) -> None:
    """Before (or after a return of) the lead assignment, the report may say whom the routing
    table expects to answer, never that an agency answers that was not given the matter."""
    from phoihop.cases.models import Assignment

    land = Issue.objects.get(title__startswith="Chậm chi trả tiền bồi thường")
    lead = land.lead_assignment
    assert lead is not None
    agency = lead.agency.current.name
    Assignment.objects.filter(pk=lead.pk).update(state=Assignment.State.RETURNED)
    doc = services.build(kind="petitions-summary", session=province)
    text, _document = _docx_text(services.render(doc, "docx"))
    assert f"Cơ quan trả lời: {agency} (dự kiến, chưa giao)." in text
    assert f"Cơ quan trả lời: {agency}." not in text


def test_the_file_and_the_appendix_read_as_the_issuing_body_writes(
    province: CouncilSession, tmp_path: Path
) -> None:
    doc = services.build(kind="petitions-results", session=province)
    _text, document = _docx_text(services.render(doc, "docx"))
    assert document.core_properties.author == "THƯỜNG TRỰC HĐND"  # not «python-docx»
    assert document.core_properties.title == doc.title
    # the appendix's places: «Phường Đông Kinh, xã Cao Lộc» (a level word mid-list is lower case)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    listed = [c for c in cells if ", " in c and re.search(r"(xã|phường) ", c)]
    assert listed and not any(re.search(r", (Xã|Phường) ", c) for c in listed)
    from phoihop.reports.render_pdf import render_html

    html = render_html(doc)  # a short cell keeps its words on one line; the long text wraps
    assert '<td class="short">Chưa giải quyết</td>' in html
    assert f'<td class="short">{doc.blocks[-1].table.rows[0][1]}</td>' not in html  # type: ignore[union-attr]
