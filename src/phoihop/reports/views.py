"""Dashboards, report documents and exports for staff."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.cases import satisfaction as cases_satisfaction
from phoihop.cases import selectors as cases_selectors
from phoihop.cases.forms import IssueFilterForm
from phoihop.core import policy
from phoihop.core.collation import sort_key
from phoihop.core.models import Agency
from phoihop.core.web import attach_errors, staff_user
from phoihop.intake.forms import SignalFilterForm
from phoihop.intake.models import Signal
from phoihop.intake.selectors import signals_visible_to
from phoihop.reports import exports, selectors, services
from phoihop.reports.content import Document
from phoihop.reports.forms import DraftForm, IssueForm
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import parse_period
from phoihop.reports.programme_report import percent

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    agency = None
    if request.GET.get("co-quan"):
        agency = get_object_or_404(Agency, pk=request.GET["co-quan"])
        policy.require(user, "reports.dashboard_agency", agency)
    elif not policy.can(user, "reports.dashboard_province"):
        own = sorted(policy.agency_ids(user))
        if not own:
            policy.require(user, "reports.dashboard_province")
        agency = get_object_or_404(Agency, pk=own[0])
    board = selectors.dashboard(
        issues=cases_selectors.issues_visible_to(user=user),
        agency=agency,
        unlinked_signals=agency is None and policy.sees_everything_open(user),
    )
    peak = max(board.weekly_totals, default=0) or 1
    bars = []
    for i, (week, total) in enumerate(zip(board.weeks, board.weekly_totals, strict=True)):
        height = round(110 * total / peak)
        x = 10 + i * 44
        bars.append(
            {
                "week": week,
                "total": total,
                "height": height,
                "x": x,
                "cx": x + 15,
                "y": 135 - height,
                "label_y": 131 - height,
            }
        )
    my_agencies = sorted(
        Agency.objects.filter(pk__in=policy.agency_ids(user)), key=lambda a: sort_key(a.name)
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "agency": agency,
            "bars": bars,
            "my_agencies": my_agencies,
            "chart_width": 10 + 44 * len(bars),
            "rate": _percent(board.rate),
            "province": policy.can(user, "reports.dashboard_province"),
            # what citizens say of the answers, last 12 months; ranked from the minimum sample
            "satisfaction": _satisfaction_rows(agency),
            "satisfaction_minimum": cases_satisfaction.SATISFACTION_MIN_SAMPLE,
        },
    )


def _percent(share: float | None) -> str:
    return percent(None if share is None else share * 100)


def _satisfaction_rows(agency: Agency | None) -> list[dict[str, object]]:
    rows = cases_satisfaction.satisfaction_by_agency(
        start=timezone.localdate() - dt.timedelta(days=365)
    )
    if agency is not None:
        rows = [r for r in rows if r.agency_id == agency.pk]
    return [
        {
            "row": r,
            "satisfaction": _percent(r.satisfaction),
            "reopen_rate": _percent(r.reopen_rate),
        }
        for r in rows
    ]


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    kinds = selectors.draftable_kinds(user=user)
    if not kinds:
        # leaders, viewers and the coordinators of bodies that issue no report read what was
        # issued, and download it
        policy.require(user, "reports.report_read")
        return render(
            request,
            "reports/documents.html",
            {"form": None, "rows": selectors.document_rows(user=user, kinds=kinds)},
        )
    if request.method == "POST" and request.POST.get("kind") in ReportDocument.Kind.values:
        # another body's kind, not offered here: refused with the name of the body that issues it
        policy.require(user, "reports.report_draft", request.POST["kind"])
    # `?loai=situation&van-de=CODE` (from an issue's page) prefills the on-demand report.
    form = DraftForm(
        request.POST or None,
        kinds=kinds,
        initial={"kind": request.GET.get("loai", ""), "issue": request.GET.get("van-de", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.document_draft(by=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã lập dự thảo báo cáo."))
            return redirect("reports:document", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/documents.html",
        {"form": form, "rows": selectors.document_rows(user=user, kinds=kinds)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    report = get_object_or_404(ReportDocument, pk=pk)
    # the draft and its issuing are the issuing body's (its letterhead, its number register)
    policy.require(user, "reports.report_draft", report.kind)
    issue_form = IssueForm(request.POST if "number" in request.POST else None)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if "number" in request.POST:
                if issue_form.is_valid():
                    try:
                        services.document_issue(
                            report=report, by=user, number=issue_form.cleaned_data["number"]
                        )
                    except ValidationError as error:
                        issue_form.add_error(None, error)  # «number» errors stay on the field
                    else:
                        messages.success(request, _("Đã ban hành văn bản."))
                        return redirect("reports:document", pk=report.pk)
            else:
                texts = {k[5:]: str(v) for k, v in request.POST.items() if k.startswith("text-")}
                services.document_edit(report=report, by=user, texts=texts)
                messages.success(request, _("Đã lưu nội dung dự thảo."))
                return redirect("reports:document", pk=report.pk)
        except ValidationError as error:
            errors = error.messages
    doc = Document.from_json(report.content)
    return render(
        request,
        "reports/document_edit.html",
        {"report": report, "doc": doc, "issue_form": issue_form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    user = staff_user(request)
    report = get_object_or_404(ReportDocument, pk=pk)
    if report.state != ReportDocument.State.ISSUED or not policy.can(user, "reports.report_read"):
        policy.require(user, "reports.report_draft", report.kind)
    if fmt not in ("docx", "pdf"):
        raise Http404
    name = f"{file_stem(report)}.{fmt}"
    if report.state == ReportDocument.State.ISSUED:
        stored = report.docx if fmt == "docx" else report.pdf
        return FileResponse(
            stored.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt]
        )
    data = services.render(Document.from_json(report.content), fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


def file_stem(report: ReportDocument) -> str:
    """«Báo cáo kết quả thực hiện Chương trình phối hợp - Quý 4-2026»: the kind and period
    in words; «/» cannot be in a file name."""
    if report.period:
        when = parse_period(report.period).short_label
    elif report.session:
        when = str(report.session)
    else:
        when = str(report.pk)
    stem = f"{report.get_kind_display()} - {when}".replace("/", "-")
    return re.sub(r'[\\:*?"<>|\x00-\x1f]', "", stem)[:150]


EXPORT_NAMES = {
    "van-de": "Danh sách vấn đề",
    "tin-hieu": "Danh sách tín hiệu",
    "kien-nghi": "Danh sách kiến nghị cử tri",
}


@login_required
@require_GET
def export(request: HttpRequest, what: str, fmt: str) -> HttpResponseBase:
    user = staff_user(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if what == "van-de":
        header = exports.ISSUE_HEADER
        rows = exports.issue_rows(
            cases_selectors.issues_visible_to(
                user=user, filters=IssueFilterForm(request.GET or None).filters()
            )
        )
    elif what in ("tin-hieu", "kien-nghi"):
        filters = SignalFilterForm(request.GET or None).filters()
        if what == "kien-nghi":
            filters = dataclasses.replace(filters, channel=Signal.Channel.PETITION)
        signals = signals_visible_to(user=user, filters=filters)
        header, rows = exports.SIGNAL_HEADER, exports.signal_rows(signals)
    else:
        raise Http404
    name = f"{EXPORT_NAMES[what]} {timezone.localdate():%d-%m-%Y}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(header, rows), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = content_disposition_header(True, name) or "" or ""
        return response
    return FileResponse(
        exports.xlsx_file(header, rows),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES["xlsx"],
    )
