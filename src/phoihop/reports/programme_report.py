"""Báo cáo kết quả thực hiện Chương trình phối hợp: the programme itself (its tasks, the
agency × task matrix with percentages, overdue tasks, meetings and their conclusions,
guidance issued and acknowledged, exemplary models and commendations) besides the handling
of issues. Issued by the Propaganda Department, a Party body, in the HD 36 format."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from phoihop.cases.satisfaction import SATISFACTION_MIN_SAMPLE, satisfaction_by_agency
from phoihop.programme.models import (
    AnnualPlan,
    ExemplaryModel,
    Guidance,
    Meeting,
    Task,
)
from phoihop.programme.selectors import Matrix, task_matrix
from phoihop.reports.content import Block, Document, Table
from phoihop.reports.issuers import issuers_of
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import Period
from phoihop.reports.selectors import programme_figures, report_heading


def percent(value: float | None) -> str:
    """ "80%", "85,5%": Vietnamese decimal comma, as the document prints it; a half rounds
    up, as people round (5 of 16 is 31,3%, where Python's float format gives 31,2)."""
    if value is None:
        return "—"
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')}%"


def matrices(*, period: Period, today: dt.date) -> list[tuple[AnnualPlan, Matrix]]:
    """The matrix of every annual plan that falls in the period."""
    plans = AnnualPlan.objects.filter(
        year__gte=period.start.year, year__lte=period.end.year
    ).order_by("year", "id")
    return [(plan, task_matrix(plan=plan, today=today)) for plan in plans]


def _task_blocks(found: list[tuple[AnnualPlan, Matrix]]) -> list[Block]:
    blocks = [Block(kind="heading", text="II. Thực hiện các nhiệm vụ của Chương trình")]
    rows = [row for _plan, matrix in found for row in matrix.rows]
    if not rows:
        return [
            *blocks,
            Block(kind="paragraph", key="tasks", text="Trong kỳ chưa có kế hoạch, nhiệm vụ."),
        ]
    counts = {s: sum(1 for r in rows if r.task.status == s) for s in Task.Status.values}
    overdue = [r for r in rows if r.overdue]
    blocks.append(
        Block(
            kind="paragraph",
            key="tasks",
            text=(
                f"Kế hoạch trong kỳ có {len(rows)} nhiệm vụ: {counts['done']} hoàn thành, "
                f"{counts['in_progress']} đang thực hiện, {counts['not_started']} chưa triển khai"
                + (f", {counts['cancelled']} dừng thực hiện" if counts["cancelled"] else "")
                + f"; {len(overdue)} nhiệm vụ quá hạn."
            ),
        )
    )
    blocks.append(
        Block(
            kind="table",
            table=Table(
                caption="Danh mục nhiệm vụ và tiến độ",
                header=["Mã", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tiến độ", "Tình trạng"],
                rows=[
                    [
                        r.task.code,
                        r.task.title,
                        r.task.lead_agency.short_name or r.task.lead_agency.name,
                        r.task.due_on.strftime("%d/%m/%Y"),
                        percent(r.task.progress),
                        r.task.get_status_display(),
                    ]
                    for r in rows
                ],
            ),
        )
    )
    for plan, matrix in found:
        if not matrix.rows:
            continue
        header = ["Mã"] + [a.short_name or a.name for a in matrix.agencies]
        body = []
        for row in matrix.rows:
            cells = [row.task.code]
            for cell in row.cells:
                if cell is None:
                    cells.append("")
                    continue
                text = "–" if cell.percent is None else percent(cell.percent)
                cells.append(f"{text} (CT)" if cell.is_lead else text)
            body.append(cells)
        blocks.append(
            Block(
                kind="table",
                table=Table(
                    caption=(
                        f"Tiến độ theo cơ quan và nhiệm vụ — {plan.title} "
                        "(CT: chủ trì; –: chưa báo cáo)"
                    ),
                    header=header,
                    rows=body,
                ),
            )
        )
    if overdue:
        blocks.append(
            Block(
                kind="table",
                table=Table(
                    caption="Nhiệm vụ quá hạn",
                    header=[
                        "Mã",
                        "Nhiệm vụ",
                        "Cơ quan chủ trì",
                        "Thời hạn",
                        "Số ngày làm việc trễ",
                    ],
                    rows=[
                        [
                            r.task.code,
                            r.task.title,
                            r.task.lead_agency.short_name or r.task.lead_agency.name,
                            r.task.due_on.strftime("%d/%m/%Y"),
                            str(r.days_late),
                        ]
                        for r in overdue
                    ],
                ),
            )
        )
    return blocks


def _meeting_blocks(period: Period) -> list[Block]:
    meetings = list(
        Meeting.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
        .prefetch_related("decisions__task")
        .order_by("held_on", "id")
    )
    blocks = [Block(kind="heading", text="III. Hội nghị giao ban và kết luận")]
    if not meetings:
        return [
            *blocks,
            Block(
                kind="paragraph", key="meetings", text="Trong kỳ không tổ chức hội nghị giao ban."
            ),
        ]
    decisions = sum(len(m.decisions.all()) for m in meetings)
    blocks.append(
        Block(
            kind="paragraph",
            key="meetings",
            text=(
                f"Trong kỳ tổ chức {len(meetings)} hội nghị giao ban, "
                f"thống nhất {decisions} kết luận."
            ),
        )
    )
    rows = []
    for meeting in meetings:
        for decision in meeting.decisions.all():
            task = getattr(decision, "task", None)
            rows.append(
                [
                    meeting.held_on.strftime("%d/%m/%Y"),
                    meeting.title,
                    decision.text,
                    f"{task.code} — {task.get_status_display()}" if task else "Chưa giao",
                ]
            )
        if not meeting.decisions.all():
            rows.append([meeting.held_on.strftime("%d/%m/%Y"), meeting.title, "—", ""])
    blocks.append(
        Block(
            kind="table",
            table=Table(
                caption="Kết luận giao ban và việc thực hiện",
                header=["Ngày họp", "Hội nghị", "Kết luận", "Nhiệm vụ"],
                rows=rows,
            ),
        )
    )
    return blocks


def _guidance_blocks(period: Period) -> list[Block]:
    issued = list(
        Guidance.objects.filter(issued_at__date__gte=period.start, issued_at__date__lte=period.end)
        .exclude(state=Guidance.State.DRAFT)
        .annotate(
            recipient_count=Count("recipients"),
            acknowledged_count=Count(
                "recipients", filter=Q(recipients__acknowledged_at__isnull=False)
            ),
        )
        .order_by("issued_at")
    )
    blocks = [Block(kind="heading", text="IV. Định hướng tuyên truyền")]
    if not issued:
        return [
            *blocks,
            Block(kind="paragraph", key="guidance", text="Trong kỳ chưa phát hành định hướng."),
        ]
    sent = sum(g.recipient_count for g in issued)
    acknowledged = sum(g.acknowledged_count for g in issued)
    blocks.append(
        Block(
            kind="paragraph",
            key="guidance",
            text=(
                f"Ban đã phát hành {len(issued)} định hướng tuyên truyền tới {sent} lượt "
                "báo cáo viên, "
                f"tuyên truyền viên, cộng tác viên; {acknowledged} lượt đã xác nhận tiếp nhận "
                f"({percent(100 * acknowledged / sent if sent else None)})."
            ),
        )
    )
    blocks.append(
        Block(
            kind="table",
            table=Table(
                caption="Định hướng đã phát hành",
                header=["Ngày phát hành", "Định hướng", "Người nhận", "Đã xác nhận", "Tỷ lệ"],
                rows=[
                    [
                        timezone.localtime(g.issued_at).strftime("%d/%m/%Y") if g.issued_at else "",
                        g.title,
                        str(g.recipient_count),
                        str(g.acknowledged_count),
                        percent(
                            100 * g.acknowledged_count / g.recipient_count
                            if g.recipient_count
                            else None
                        ),
                    ]
                    for g in issued
                ],
            ),
        )
    )
    return blocks


def _models_blocks(period: Period) -> list[Block]:
    # Only recognised models are reported as exemplary; those still under review are counted.
    found = ExemplaryModel.objects.filter(
        created_at__date__gte=period.start,
        created_at__date__lte=period.end,
        cancelled_at__isnull=True,
    )
    models = list(
        found.filter(review=ExemplaryModel.Review.APPROVED)
        .select_related("place", "proposing_agency")
        .order_by("created_at")
    )
    pending = found.filter(review=ExemplaryModel.Review.PENDING).count()
    blocks: list[Block] = []
    if models:
        blocks.append(
            Block(
                kind="table",
                table=Table(
                    caption="Điển hình tiên tiến, nhân tố mới",
                    header=["Điển hình", "Địa bàn", "Thành tích", "Cơ quan đề xuất"],
                    rows=[
                        [
                            m.name,
                            m.place.name if m.place else "",
                            m.achievements,
                            m.proposing_agency.short_name or m.proposing_agency.name,
                        ]
                        for m in models
                    ],
                ),
            )
        )
    else:
        blocks.append(
            Block(
                kind="paragraph",
                key="models",
                text="Trong kỳ chưa ghi nhận điển hình tiên tiến mới.",
            )
        )
    if pending:
        blocks.append(
            Block(
                kind="paragraph",
                key="models_pending",
                text=f"Ngoài ra, {pending} điển hình đang chờ thẩm định, chưa đưa vào danh sách.",
            )
        )
    return blocks


def _satisfaction_blocks(period: Period) -> list[Block]:
    """What citizens said of the answers: satisfaction and reopen rates per lead agency."""
    rows = satisfaction_by_agency(start=period.start, end=period.end)
    if not rows:
        return [
            Block(
                kind="paragraph",
                key="satisfaction",
                text="Trong kỳ chưa có ý kiến đánh giá của người dân về kết quả giải quyết.",
            )
        ]
    return [
        Block(
            kind="table",
            table=Table(
                caption=(
                    "Ý kiến người dân về kết quả giải quyết (chỉ xếp hạng cơ quan có từ "
                    f"{SATISFACTION_MIN_SAMPLE} lượt đánh giá)"
                ),
                header=["Hạng", "Cơ quan chủ trì", "Lượt đánh giá", "Đã giải quyết", "Bị mở lại"],
                rows=[
                    [
                        str(r.rank) if r.rank else "chưa xếp hạng",
                        r.name,
                        str(r.verdicts),
                        percent(r.satisfaction * 100) if r.satisfaction is not None else "—",
                        f"{r.reopened} ({percent(r.reopen_rate * 100)})"
                        if r.reopen_rate is not None
                        else str(r.reopened),
                    ]
                    for r in rows
                ],
            ),
        )
    ]


def programme_report(*, period: Period, today: dt.date | None = None) -> Document:
    """The programme report for a month, quarter, half-year or year."""
    today = today or timezone.localdate()
    as_of = min(period.end, today)
    f = programme_figures(period=period)
    rate = percent(f.rate * 100) if f.rate is not None else "chưa có việc đến hạn"
    doc = Document(
        **report_heading(
            issuers=issuers_of(ReportDocument.Kind.PROGRAMME),
            kind_symbol="BC",
            today=today,
            title=f"Kết quả thực hiện Chương trình phối hợp {period.label}",
        ),
        recipients=[
            "Thường trực Tỉnh ủy",
            "Thường trực HĐND tỉnh",
            "UBND tỉnh",
            "TAND tỉnh",
            "VKSND tỉnh",
            "Lưu Văn phòng Ban",
        ],
    )
    doc.blocks += [
        Block(kind="heading", text="I. Tiếp nhận và xử lý vấn đề"),
        Block(
            kind="paragraph",
            key="summary",
            text=(
                f"Trong {period.label}, các cơ quan tiếp nhận {f.received} vấn đề, "
                f"đã trả lời {f.handled} vấn đề. Tỷ lệ giải quyết đúng hạn: {rate} "
                f"({f.on_time} đúng hạn, {f.late} trễ hạn, "
                f"kể cả việc chưa xong đã quá hạn; {f.pending} việc chưa đến hạn)."
            ),
        ),
        Block(
            kind="table",
            table=Table(
                caption="Kết quả theo cơ quan",
                header=["Cơ quan", "Đúng hạn", "Trễ hạn", "Chưa đến hạn"],
                rows=[[n, str(a), str(b), str(c)] for n, a, b, c in f.by_agency]
                + [["Tổng cộng", str(f.on_time), str(f.late), str(f.pending)]],
            ),
        ),
        Block(
            kind="table",
            table=Table(
                caption="Vấn đề theo lĩnh vực",
                header=["Lĩnh vực", "Số vấn đề"],
                rows=[[n, str(c)] for n, c in f.by_field] + [["Tổng cộng", str(f.received)]],
            ),
        ),
    ]
    doc.blocks += _satisfaction_blocks(period)
    doc.blocks += _task_blocks(matrices(period=period, today=as_of))
    doc.blocks += _meeting_blocks(period)
    doc.blocks += _guidance_blocks(period)
    doc.blocks.append(Block(kind="heading", text="V. Vấn đề nổi cộm được dư luận quan tâm"))
    if f.hot:
        doc.blocks.append(
            Block(
                kind="table",
                table=Table(
                    header=["Vấn đề", "Số ý kiến, tín hiệu"],
                    rows=[[t, str(n)] for t, n in f.hot],
                ),
            )
        )
    else:
        doc.blocks.append(
            Block(kind="paragraph", key="hot", text="Không có vấn đề nổi cộm trong kỳ.")
        )
    doc.blocks.append(
        Block(kind="heading", text="VI. Phản bác thông tin sai sự thật; điển hình; khen thưởng")
    )
    total = sum(n for _label, n in f.commendations)
    by_state = "; ".join(f"{label}: {n}" for label, n in f.commendations)
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="factcheck",
            text=(
                f"Số bài phản bác thông tin sai sự thật đã đăng: {f.rebuttals}. "
                f"Số đề xuất khen thưởng: {total}" + (f" ({by_state})." if by_state else ".")
            ),
        )
    )
    doc.blocks += _models_blocks(period)
    doc.blocks.append(Block(kind="heading", text="VII. Phương hướng kỳ tới"))
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="next",
            text=(
                "Tiếp tục nắm bắt dư luận, đôn đốc hoàn thành các nhiệm vụ quá hạn của "
                "Chương trình, "
                "chỉ đạo giải quyết dứt điểm các việc quá hạn, công khai kết quả trả lời trên Cổng "
                "thông tin."
            ),
        )
    )
    return doc
