"""The situation report's document: general picture, the top matters with a table, what was
answered or rebutted (the rebuttals published in the period by their own titles), what is
still open, and proposals: an answer from the competent agency, verification and rebuttal
for a matter carrying a false claim, guidance on the matters rising."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Assignment, Issue
from phoihop.factcheck import selectors as factcheck
from phoihop.factcheck.hooks import PublishedRebuttal
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.reports.content import Block, Document, Table, quoted
from phoihop.reports.issuers import issuers_of
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import Period, day_bounds
from phoihop.reports.selectors import report_heading
from phoihop.reports.situation.matters import CHANNELS, WORDING, Matter, matters, rising_matters

TOP = 8


def _claim_proposal(claim: Claim, found: list[Matter]) -> str:
    """What the report proposes for the matters carrying a claim not yet rebutted: the agency
    competent for the facts verifies them, so that the department can rebut the claim."""
    rebuttal: Rebuttal | None = getattr(claim, "rebuttal", None)
    summary = f"«{quoted(claim.summary)}»"
    subject = ("vấn đề " if len(found) == 1 else "các vấn đề ") + "; ".join(
        f"«{m.title}»" for m in found
    )
    if rebuttal is not None and rebuttal.state == Rebuttal.State.CONFIRMED:
        return (
            f"Ban Tuyên giáo và Dân vận Tỉnh ủy đăng bài phản bác «{quoted(rebuttal.title)}» "
            f"({rebuttal.confirming_agency.current.name} đã xác nhận thông tin) đối với thông "
            f"tin sai sự thật {summary} ({subject})."
        )
    return (
        f"Đề nghị {claim.competent_agency.current.name} khẩn trương xác minh, cung cấp thông "
        f"tin chính thức về {subject} để Ban Tuyên giáo và Dân vận Tỉnh ủy phản "
        f"bác thông tin sai sự thật {summary}"
        + (
            f"; dự thảo bài phản bác «{quoted(rebuttal.title)}» đang chờ xác nhận."
            if rebuttal is not None and rebuttal.state == Rebuttal.State.DRAFT
            else "."
        )
    )


def _lead_agency(issue: Issue) -> str:
    for assignment in issue.assignments.select_related("agency"):
        if assignment.role == Assignment.Role.LEAD and assignment.state not in (
            Assignment.State.RETURNED,
            Assignment.State.TRANSFERRED,
            Assignment.State.CANCELLED,
        ):
            return assignment.agency.current.name
    return ""


REBUTTALS = 5  # rebuttals the report names; the rest are counted


def _rebuttals_text(rebuttals: list[PublishedRebuttal]) -> str:
    """The published rebuttals by their own titles, each with the claim it answers."""
    named = [
        f"«{quoted(r.title)}»"
        + (f" (phản bác thông tin «{quoted(r.claim, limit=WORDING)}»)" if r.claim.strip() else "")
        for r in rebuttals[:REBUTTALS]
    ]
    more = len(rebuttals) - REBUTTALS
    return "; ".join(named) + (f" và {more} bài khác" if more > 0 else "")


def situation_report(
    *, period: Period, issue: Issue | None = None, today: dt.date | None = None
) -> Document:
    """The draft of the situation report for a period, or on demand for one matter."""
    today = today or timezone.localdate()
    found = matters(start=period.start, end=period.end, issue=issue)
    total = sum(m.signals for m in found)
    ungrouped = sum(m.signals for m in found if m.issue is None and not m.wording)
    channels: Counter[str] = Counter()
    for m in found:
        channels.update(m.channels)
    if issue is None:
        title = f"Tình hình dư luận xã hội {period.label}"
        scope = f"Trong {period.label}"
    else:
        title = f"Tình hình dư luận xã hội về «{issue.title}»"
        scope = f"Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
    doc = Document(
        **report_heading(
            issuers=issuers_of(ReportDocument.Kind.SITUATION),
            kind_symbol="BC",
            today=today,
            title=title,
        ),
        recipients=[
            "Thường trực Tỉnh ủy",
            "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
            "Thường trực HĐND tỉnh",
            "UBND tỉnh",
            "Lưu Văn phòng Ban",
        ],
    )
    doc.blocks.append(Block(kind="heading", text="I. Tình hình chung"))
    by_channel = "; ".join(f"{CHANNELS.get(c, c).lower()}: {n}" for c, n in channels.most_common())
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="overview",
            label=_("Đoạn tổng quan"),
            text=(
                f"{scope}, Ban Tuyên giáo và Dân vận Tỉnh ủy nắm bắt {total} ý kiến, thông tin của "
                f"cán bộ, đảng viên và Nhân dân"
                + (f" ({by_channel})" if by_channel else "")
                + f", tập trung vào {sum(1 for m in found if m.issue or m.wording)} vấn đề"
                + (
                    f"; {ungrouped} ý kiến chưa được gắn với vấn đề cụ thể, đang được phân loại."
                    if ungrouped
                    else "."
                )
            ),
        )
    )
    doc.blocks.append(Block(kind="heading", text="II. Những vấn đề nổi lên được dư luận quan tâm"))
    top = [m for m in found if m.issue is not None or m.wording][:TOP]
    if not top:
        doc.blocks.append(
            Block(
                kind="paragraph",
                key="matters",
                label=_("Đoạn về các vấn đề nổi lên"),
                text="Trong kỳ không có vấn đề nổi lên.",
            )
        )
    for n, matter in enumerate(top, 1):
        field_name = matter.issue.field.name if matter.issue and matter.issue.field else ""
        doc.blocks.append(
            Block(
                kind="paragraph",
                key=f"m{n}",
                label=_("Vấn đề thứ %(n)s: %(title)s") % {"n": n, "title": matter.title},
                text=(
                    f"{n}. {matter.title}"
                    + (f" (lĩnh vực {field_name})" if field_name else "")
                    + f": {matter.signals} ý kiến, {matter.growth_text()}; kênh: "
                    f"{matter.channel_text()}; địa bàn: {matter.place_text(in_sentence=True)}. "
                    f"Tình hình xử lý: {matter.status_text()}."
                ),
            )
        )
    if top:
        doc.blocks.append(
            Block(
                kind="table",
                table=Table(
                    caption="Các vấn đề theo số ý kiến và mức tăng",
                    header=[
                        "STT",
                        "Vấn đề",
                        "Số ý kiến",
                        "Kỳ trước",
                        "Tăng, giảm",
                        "Kênh",
                        "Địa bàn",
                    ],
                    rows=[
                        [
                            str(n),
                            m.title,
                            str(m.signals),
                            str(m.previous),
                            f"{m.growth:+d}",
                            m.channel_text(),
                            m.place_text(),
                        ]
                        for n, m in enumerate(top, 1)
                    ],
                ),
            )
        )
    doc.blocks.append(Block(kind="heading", text="III. Kết quả trả lời, phản bác"))
    answered = [m for m in top if m.answered or m.rebutted]
    still_open = [m for m in top if not (m.answered or m.rebutted)]
    since, until = day_bounds(period.start, period.end)
    rebuttals = factcheck.rebuttals_published_between(since=since, until=until)
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="answered",
            label=_("Đoạn về các vấn đề đã trả lời, phản bác"),
            text=(
                f"Đã trả lời, phản bác {len(answered)} vấn đề"
                + (": " + "; ".join(m.title for m in answered) if answered else "")
                + f". Trong kỳ đăng {len(rebuttals)} bài phản bác thông tin sai sự thật"
                + (": " + _rebuttals_text(rebuttals) if rebuttals else "")
                + "."
            ),
        )
    )
    open_lines = []
    for m in still_open:
        if m.claim is not None:
            open_lines.append(
                f"{m.title} ({m.claim.get_status_display().lower()} thông tin sai sự thật, "
                f"{m.claim.competent_agency.current.name})"
            )
            continue
        if m.issue is None:
            open_lines.append(f"{m.title} (đang phân loại, chưa giao cơ quan)")
            continue
        agency = _lead_agency(m.issue)
        open_lines.append(f"{m.title} ({agency or 'chưa giao cơ quan chủ trì'})")
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="open",
            label=_("Đoạn về các vấn đề đang xử lý"),
            text=(
                f"Còn {len(still_open)} vấn đề đang xử lý: " + "; ".join(open_lines) + "."
                if still_open
                else "Không còn vấn đề nổi lên chưa được trả lời."
            ),
        )
    )
    doc.blocks.append(Block(kind="heading", text="IV. Đề xuất, kiến nghị"))
    proposals = []
    rising = rising_matters(still_open, until=until)
    by_claim: dict[int, list[Matter]] = defaultdict(list)
    for m in still_open:
        if m.claim is not None:
            by_claim[m.claim.pk].append(m)
    for m in still_open:
        if m.claim is not None:
            # one proposal for all the matters carrying the claim, where the first stands
            if m.claim.pk in by_claim:
                proposals.append(_claim_proposal(m.claim, by_claim.pop(m.claim.pk)))
            continue
        agency = _lead_agency(m.issue) if m.issue is not None else ""
        proposals.append(
            f"Đề nghị {agency or 'UBND tỉnh chỉ đạo cơ quan có thẩm quyền'} sớm trả lời, công khai "
            f"kết quả giải quyết vấn đề «{m.title}»."
        )
    if rising:
        proposals.append(
            "Ban Tuyên giáo và Dân vận Tỉnh ủy ban hành định hướng tuyên truyền đối với các vấn đề "
            "đang tăng: "
            + "; ".join(f"{m.title} ({m.signals} ý kiến, {m.growth_text()})" for m in rising)
            + "."
        )
    proposals.append(
        "Các cơ quan báo chí, đội ngũ báo cáo viên, tuyên truyền viên tiếp tục thông tin kịp thời, "
        "chính xác, đấu tranh phản bác thông tin sai sự thật."
    )
    for n, text in enumerate(proposals, 1):
        doc.blocks.append(
            Block(
                kind="paragraph",
                key=f"p{n}",
                label=_("Đề xuất, kiến nghị thứ %(n)s") % {"n": n},
                text=f"{n}. {text}",
            )
        )
    return doc


def on_demand_period(*, today: dt.date, days: int = 30) -> Period:
    """The window of an on-demand report: the last `days` days up to today."""
    return Period(code="", start=today - dt.timedelta(days=days - 1), end=today)
