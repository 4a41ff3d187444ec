"""Thông báo kết luận hội nghị giao ban: the conclusions of a coordination meeting, issued
by the Propaganda Department (the programme's standing body) in the Party format. Each
conclusion that became a task names the task, its lead agency and its due date."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from phoihop.core.collation import sort_key
from phoihop.programme.models import Meeting
from phoihop.programme.permissions import propaganda_agency
from phoihop.reports import formats
from phoihop.reports.content import Block, Document
from phoihop.reports.issuers import issuers_of
from phoihop.reports.models import ReportDocument


def conclusions_notice(*, meeting: Meeting, today: dt.date | None = None) -> Document:
    today = today or timezone.localdate()
    department = propaganda_agency()
    present = sorted(meeting.attendees.all(), key=lambda a: sort_key(a.name))
    others = [a for a in present if department is None or a.pk != department.pk]
    attendees = sorted((a.short_name or a.name for a in present), key=sort_key)
    doc = Document(
        **formats.heading(
            issuers=issuers_of(ReportDocument.Kind.CONCLUSIONS),
            kind_symbol="TB",
            kind_title="THÔNG BÁO",
            title=(f"Kết luận của «{meeting.title}» ngày {meeting.held_on:%d/%m/%Y}"),
            today=today,
        ),
        recipients=[*(a.name for a in others), "Lưu Văn phòng Ban"],
    )
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="intro",
            text=(
                f"Ngày {meeting.held_on:%d/%m/%Y}, Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì "
                f"«{meeting.title}»"
                + (f" với sự tham dự của {', '.join(attendees)}" if attendees else "")
                + ". Sau khi nghe báo cáo và ý kiến của các đại biểu, hội nghị kết luận như sau:"
            ),
        )
    )
    if meeting.minutes:
        doc.blocks.append(Block(kind="heading", text="I. Tóm tắt diễn biến hội nghị"))
        for n, part in enumerate(p for p in meeting.minutes.split("\n\n") if p.strip()):
            doc.blocks.append(Block(kind="paragraph", key=f"minutes{n + 1}", text=part.strip()))
    doc.blocks.append(
        Block(kind="heading", text=("II. " if meeting.minutes else "") + "Kết luận, giao nhiệm vụ")
    )
    decisions = list(meeting.decisions.select_related("task__lead_agency").order_by("id"))
    if not decisions:
        doc.blocks.append(Block(kind="paragraph", key="c0", text="Hội nghị chưa có kết luận."))
    for n, decision in enumerate(decisions, 1):
        task = getattr(decision, "task", None)
        assigned = (
            f" (Nhiệm vụ {task.code}: {task.lead_agency.name} chủ trì, thời hạn "
            f"{task.due_on:%d/%m/%Y}.)"
            if task is not None
            else ""
        )
        doc.blocks.append(
            Block(kind="paragraph", key=f"c{n}", text=f"{n}. {decision.text}{assigned}")
        )
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="closing",
            text=(
                "Ban Tuyên giáo và Dân vận Tỉnh ủy thông báo để các cơ quan biết, "
                "tổ chức thực hiện "
                "và báo cáo kết quả tại hội nghị giao ban kỳ tới."
            ),
        )
    )
    return doc
