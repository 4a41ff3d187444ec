"""Draft, edit and issue report documents. Issuing renders DOCX and PDF once and freezes them."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.intake.models import CouncilSession
from phoihop.programme.models import Meeting
from phoihop.reports import formats, selectors
from phoihop.reports.content import Document
from phoihop.reports.models import ReportDocument
from phoihop.reports.notices import conclusions_notice
from phoihop.reports.periods import Period, parse_period
from phoihop.reports.programme_report import programme_report
from phoihop.reports.render_docx import render_docx
from phoihop.reports.render_pdf import render_pdf
from phoihop.reports.situation import on_demand_period, situation_report

Kind = ReportDocument.Kind


def build(
    *,
    kind: str,
    period: Period | None = None,
    session: CouncilSession | None = None,
    issue: Issue | None = None,
    meeting: Meeting | None = None,
    today: dt.date | None = None,
) -> Document:
    """The content of a report from the current data."""
    today = today or timezone.localdate()
    if kind == Kind.PROGRAMME:
        if period is None:
            raise ValidationError({"period": _("Báo cáo chương trình cần kỳ báo cáo.")})
        return programme_report(period=period, today=today)
    if kind == Kind.SITUATION:
        if issue is not None:
            period = period or on_demand_period(today=today)
        elif period is None:
            raise ValidationError(
                {"period": _("Báo cáo tình hình dư luận cần kỳ (ví dụ 2026-11) hoặc một vấn đề.")}
            )
        return situation_report(period=period, issue=issue, today=today)
    if kind == Kind.CONCLUSIONS:
        if meeting is None:
            raise ValidationError({"meeting": _("Cần chọn hội nghị giao ban.")})
        return conclusions_notice(meeting=meeting, today=today)
    if period is None and session is None:
        raise ValidationError({"session": _("Cần chọn kỳ họp hoặc kỳ báo cáo.")})
    if kind == Kind.PETITIONS_SUMMARY:
        return selectors.petitions_summary(session=session, period=period, today=today)
    if kind == Kind.PETITIONS_RESULTS:
        return selectors.petitions_results(session=session, period=period, today=today)
    raise ValidationError({"kind": _("Loại báo cáo không hợp lệ.")})


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "docx":
        return render_docx(doc)
    if fmt == "pdf":
        return render_pdf(doc)
    raise ValidationError({"format": _("Định dạng phải là docx hoặc pdf.")})


@transaction.atomic
def document_draft(
    *,
    by: User,
    kind: str,
    period: str = "",
    session: CouncilSession | None = None,
    issue: Issue | None = None,
    meeting: Meeting | None = None,
) -> ReportDocument:
    """A draft of `kind` under its issuing body's letterhead: only that body's staff draft."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Loại báo cáo không hợp lệ.")})
    policy.require(by, "reports.report_draft", kind)
    try:
        parsed = parse_period(period) if period else None
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from error
    doc = build(kind=kind, period=parsed, session=session, issue=issue, meeting=meeting)
    report = ReportDocument.objects.create(
        kind=kind,
        period=parsed.code if parsed else "",
        session=session if kind in (Kind.PETITIONS_SUMMARY, Kind.PETITIONS_RESULTS) else None,
        issue=issue if kind == Kind.SITUATION else None,
        meeting=meeting if kind == Kind.CONCLUSIONS else None,
        title=doc.title,
        content=doc.to_json(),
        created_by=by,
    )
    audit.record(actor=by, action="report.draft", target=report, kind=kind, period=report.period)
    return report


@transaction.atomic
def document_edit(*, report: ReportDocument, by: User, texts: dict[str, str]) -> ReportDocument:
    """Change the wording of editable paragraphs before the document is issued."""
    policy.require(by, "reports.report_draft", report.kind)
    if report.state != ReportDocument.State.DRAFT:
        raise ValidationError(_("Văn bản đã ban hành, không thể sửa."))
    doc = Document.from_json(report.content)
    before = {b.key: b.text for b in doc.editable()}
    for block in doc.editable():
        if block.key in texts:
            text = texts[block.key].strip()
            if not text:
                raise ValidationError(
                    {block.key: _("«%(label)s» không được để trống.") % {"label": block.label}}
                )
            block.text = text
    report.content = doc.to_json()
    report.save(update_fields=["content"])
    changed = {k: v.text for v in doc.editable() for k in [v.key] if before.get(k) != v.text}
    audit.record(actor=by, action="report.edit", target=report, after=changed)
    return report


def _registered_number(*, report: ReportDocument, doc: Document, text: str) -> str:
    """The full number and symbol a document is issued under; a Vietnamese error on «number»
    when the text is not a number of this document's form, or when an issued document of the
    year already carries it (numbers run per year and per symbol, so per kind)."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            {"number": _("Cần nhập số văn bản (ví dụ 12) hoặc số, ký hiệu đầy đủ.")}
        )
    number = formats.registered_number(doc.form, doc.symbol, text)
    if number is None:
        example = formats.registered_number(doc.form, doc.symbol, "12")
        raise ValidationError(
            {
                "number": _(
                    "Số văn bản phải là số (ví dụ 12) hoặc số, ký hiệu đầy đủ đúng thể thức "
                    "(ví dụ %(example)s); «%(text)s» không hợp lệ."
                )
                % {"example": example, "text": text}
            }
        )
    bare = number.split("-" if doc.form == formats.Form.PARTY else "/", 1)[0]
    year = timezone.localdate().year
    # earlier documents may hold the bare number they were issued with
    used = ReportDocument.objects.filter(
        Q(number=number) | Q(kind=report.kind, number=bare),
        state=ReportDocument.State.ISSUED,
        issued_at__year=year,
    ).exclude(pk=report.pk)
    if used.exists():
        raise ValidationError(
            {
                "number": _(
                    "Số %(number)s đã được dùng cho một văn bản ban hành năm %(year)s; "
                    "hãy lấy số tiếp theo trong sổ đăng ký văn bản."
                )
                % {"number": number, "year": year}
            }
        )
    return number


@transaction.atomic
def document_issue(*, report: ReportDocument, by: User, number: str) -> ReportDocument:
    """Register the number, render DOCX and PDF once and freeze them: in the issuing body's
    number register, so only its staff issue."""
    policy.require(by, "reports.report_issue", report.kind)
    report = ReportDocument.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportDocument.State.DRAFT:
        raise ValidationError(_("Văn bản đã ban hành."))
    doc = Document.from_json(report.content)
    number = _registered_number(report=report, doc=doc, text=number)
    doc.number = f"Số {number}" if doc.form == formats.Form.PARTY else f"Số: {number}"
    docx_bytes, pdf_bytes = render_docx(doc), render_pdf(doc)
    stem = f"{report.kind}-{report.pk}"
    report.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
    report.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    report.sha256 = hashlib.sha256(docx_bytes + pdf_bytes).hexdigest()
    report.content = doc.to_json()
    report.number = number
    report.state = ReportDocument.State.ISSUED
    report.issued_by = by
    report.issued_at = timezone.now()
    report.save()
    audit.record(
        actor=by, action="report.issue", target=report, number=number, sha256=report.sha256
    )
    return report
