"""The one-page advisory brief on public opinion around a key project, as DOCX."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from phoihop.core import province
from phoihop.programme import permissions
from phoihop.programme.models import KeyProject
from phoihop.programme.project_selectors import project_opinion

TITLE = "BÁO CÁO THAM MƯU"
SECTIONS = (
    "I. THÔNG TIN DỰ ÁN",
    "II. TÌNH HÌNH DƯ LUẬN XÃ HỘI",
    "III. ĐỀ XUẤT KẾ HOẠCH TRUYỀN THÔNG",
)


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


def province_name() -> str:
    """The place name of the place-and-date line: the configured province."""
    return province.current().name


def project_brief_docx(*, project: KeyProject, number: str = "") -> bytes:
    """Title, project, what people say (counts by month, field and place) and the proposed
    communication plan (messages, channels, schedule, responsible agencies). `number` is the
    one the department's registry gave (e.g. "12-BC/BTGDVTU"); blank, it is left to fill."""
    opinion = project_opinion(project=project)
    sender = permissions.propaganda_agency()
    today = timezone.localdate()
    number_line = f"Số {number}" if number else "Số      -BC/BTGDVTU"

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = (
        (sender.name.upper() if sender else "BAN TUYÊN GIÁO VÀ DÂN VẬN") + "\n*\n" + number_line
    )
    right.text = (
        "ĐẢNG CỘNG SẢN VIỆT NAM\n"
        + f"{province_name()}, ngày {today:%d} tháng {today:%m} năm {today:%Y}"
    )
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(TITLE)
    run.bold = True
    run.font.size = Pt(15)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(
        f"Tình hình dư luận xã hội và đề xuất kế hoạch truyền thông về {project.name}"
    ).bold = True

    document.add_heading(SECTIONS[0], level=2)
    document.add_paragraph(f"Tên dự án: {project.name}")
    document.add_paragraph(f"Cơ quan chủ quản: {project.owner_agency.name}")
    places = ", ".join(p.name for p in project.places.all())
    if places:
        document.add_paragraph(f"Địa bàn: {places}")
    phases = _lines(project.phases)
    if phases:
        document.add_paragraph("Các giai đoạn: " + "; ".join(phases) + ".")

    document.add_heading(SECTIONS[1], level=2)
    document.add_paragraph(
        f"Tổng số ý kiến, phản ánh liên quan: {opinion.total} "
        f"({opinion.signals} tín hiệu, {opinion.issues} vấn đề)."
    )
    if opinion.by_month:
        document.add_paragraph(
            "Theo tháng: " + "; ".join(f"{month}: {n}" for month, n in opinion.by_month) + "."
        )
    if opinion.by_field:
        document.add_paragraph(
            "Lĩnh vực được quan tâm: "
            + "; ".join(f"{name} ({n})" for name, n in opinion.by_field)
            + "."
        )
    if opinion.by_place:
        document.add_paragraph(
            "Địa bàn có nhiều ý kiến: "
            + "; ".join(f"{name} ({n})" for name, n in opinion.by_place)
            + "."
        )

    document.add_heading(SECTIONS[2], level=2)
    plan = [
        ("1. Thông điệp chính", _lines(project.plan_messages)),
        ("2. Kênh truyền thông", _lines(project.plan_channels)),
        ("3. Lịch triển khai", _lines(project.plan_schedule)),
        ("4. Cơ quan chịu trách nhiệm", [a.name for a in project.plan_agencies.all()]),
    ]
    for heading, items in plan:
        paragraph = document.add_paragraph()
        paragraph.add_run(heading + ": ").bold = True
        paragraph.add_run("; ".join(items) + "." if items else "chưa đề xuất.")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
