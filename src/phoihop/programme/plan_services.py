"""Writes on the signed programme, its annual plans, tasks and progress reports (one by
one or in bulk from a spreadsheet): one function per verb, atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import Agency, User
from phoihop.core.selectors import lineage_ids
from phoihop.programme import inputs, permissions, spreadsheet
from phoihop.programme.models import (
    AnnualPlan,
    ContentArea,
    Decision,
    Programme,
    ProgressReport,
    Task,
)
from phoihop.triage.normalize import normalize_text

TASK_FIELDS = ("title", "lead_agency", "due_on", "status", "progress", "completed_on")


@transaction.atomic
def programme_create(
    *,
    by: User,
    title: str,
    signed_on: dt.date,
    number: str = "",
    legal_basis: str = "",
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
    parties: Iterable[Agency] = (),
    areas: Iterable[str] = (),
) -> Programme:
    """Record the signed programme with its parties and numbered content areas."""
    policy.require(by, "programme.manage")
    title = inputs.required(title, "title", _("Cần nhập tên chương trình."))
    if term_start and term_end and term_end < term_start:
        raise ValidationError({"term_end": _("Ngày kết thúc không được trước ngày bắt đầu.")})
    programme = Programme.objects.create(
        title=title,
        number=inputs.text(number),
        signed_on=signed_on,
        legal_basis=(legal_basis or "").strip(),
        term_start=term_start,
        term_end=term_end,
    )
    programme.parties.set(list(parties))
    for number_, area in enumerate(areas, start=1):
        ContentArea.objects.create(programme=programme, number=number_, title=inputs.text(area))
    audit.record(
        actor=by,
        action="programme.create",
        target=programme,
        scope=f"programme:{programme.pk}",
        after={"title": title, "signed_on": signed_on},
        parties=[a.name for a in programme.parties.all()],
    )
    return programme


@transaction.atomic
def plan_create(*, by: User, programme: Programme, year: int, title: str = "") -> AnnualPlan:
    """Open the annual plan of `year`."""
    policy.require(by, "programme.manage")
    if programme.plans.filter(year=year).exists():
        raise ValidationError(
            {"year": _("Chương trình đã có kế hoạch năm %(year)s.") % {"year": year}}
        )
    plan = AnnualPlan.objects.create(
        programme=programme,
        year=year,
        title=inputs.text(title)
        or _("Kế hoạch thực hiện chương trình phối hợp năm %(year)s") % {"year": year},
    )
    audit.record(
        actor=by, action="plan.create", target=plan, scope=f"programme:{programme.pk}", year=year
    )
    return plan


def _next_task_code(plan: AnnualPlan) -> str:
    prefix = f"{plan.year}-"
    numbers = [
        int(code.rsplit("-", 1)[1])
        for code in Task.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code.rsplit("-", 1)[1].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


@transaction.atomic
def task_create(
    *,
    by: User,
    plan: AnnualPlan,
    title: str,
    lead_agency: Agency,
    due_on: dt.date,
    coordinating_agencies: Iterable[Agency] = (),
    area: ContentArea | None = None,
    code: str = "",
    description: str = "",
    expected_output: str = "",
    decision: Decision | None = None,
) -> Task:
    """Add a task to an annual plan with its lead and coordinating agencies and due date."""
    policy.require(by, "programme.manage")
    title = inputs.required(title, "title", _("Cần nhập tên nhiệm vụ."))
    if lead_agency is None:
        raise ValidationError({"lead_agency": _("Cần chọn cơ quan chủ trì.")})
    if not lead_agency.is_active:
        raise ValidationError(
            {
                "lead_agency": _("Cơ quan «%(old)s» đã ngừng hoạt động; hãy giao cho «%(new)s».")
                % {"old": lead_agency.name, "new": lead_agency.current.name}
            }
        )
    if area is not None and area.programme_id != plan.programme_id:
        raise ValidationError({"area": _("Nội dung phối hợp không thuộc chương trình này.")})
    code = inputs.text(code) or _next_task_code(plan)
    if Task.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã nhiệm vụ «%(code)s» đã được dùng.") % {"code": code}})
    supporters = [a for a in coordinating_agencies if a.pk != lead_agency.pk]
    task = Task.objects.create(
        plan=plan,
        area=area,
        code=code,
        title=title,
        description=(description or "").strip(),
        expected_output=(expected_output or "").strip(),
        lead_agency=lead_agency,
        due_on=due_on,
        decision=decision,
        created_by=by,
    )
    task.coordinating_agencies.set(supporters)
    audit.record(
        actor=by,
        action="task.create",
        target=task,
        scope=f"task:{task.pk}",
        after=audit.snapshot(task, TASK_FIELDS),
        coordinating=[a.name for a in supporters],
        decision=decision.pk if decision else None,
    )
    return task


@transaction.atomic
def task_cancel(*, by: User, task: Task, reason: str) -> Task:
    """Stop a task that no longer makes sense; the reason stays in the audit log."""
    policy.require(by, "programme.manage")
    reason = inputs.required(reason, "reason", _("Cần nêu lý do dừng thực hiện."))
    if not task.is_open:
        raise ValidationError(_("Nhiệm vụ đã kết thúc, không thể dừng."))
    before = audit.snapshot(task, TASK_FIELDS)
    task.status = Task.Status.CANCELLED
    task.save(update_fields=["status"])
    audit.record(
        actor=by,
        action="task.cancel",
        target=task,
        scope=f"task:{task.pk}",
        before=before,
        after=audit.snapshot(task, TASK_FIELDS),
        reason=reason,
    )
    return task


def _latest_report(task: Task, agency: Agency) -> ProgressReport | None:
    """The agency's latest report, or its predecessor's before a merge or rename."""
    return (
        task.reports.filter(agency_id__in=lineage_ids(agency))
        .order_by("-reported_on", "-id")
        .first()
    )


def _refresh_status(task: Task, *, by: User | None) -> None:
    """The task's progress is its lead agency's latest report; 100% means done."""
    lead = _latest_report(task, task.lead_agency)
    before = audit.snapshot(task, TASK_FIELDS)
    task.progress = lead.percent if lead else 0
    if task.status == Task.Status.CANCELLED:
        return
    if lead is not None and lead.percent >= 100:
        task.status = Task.Status.DONE
        task.completed_on = task.completed_on or lead.reported_on
    elif task.reports.filter(percent__gt=0).exists():
        task.status = Task.Status.IN_PROGRESS
        task.completed_on = None
    else:
        task.status = Task.Status.NOT_STARTED
        task.completed_on = None
    task.save(update_fields=["progress", "status", "completed_on"])
    after = audit.snapshot(task, TASK_FIELDS)
    if after["status"] != before["status"]:
        audit.record(
            actor=by,
            action="task.status",
            target=task,
            scope=f"task:{task.pk}",
            before={"status": before["status"]},
            after={"status": after["status"]},
        )


def _check_percent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError({"percent": _("Tiến độ phải là số nguyên từ 0 đến 100.")})
    return int(value)


def _report(
    *,
    by: User,
    task: Task,
    agency: Agency,
    percent: int,
    narrative: str,
    evidence: str,
    reported_on: dt.date,
    source: str,
) -> ProgressReport | None:
    narrative = (narrative or "").strip()
    evidence = (evidence or "").strip()
    latest = _latest_report(task, agency)
    # Compare with the report in effect on that date, not the newest one: a back-dated row
    # imported twice must not be stored twice.
    in_effect = (
        task.reports.filter(agency=agency, reported_on__lte=reported_on)
        .order_by("-reported_on", "-id")
        .first()
    )
    if (
        in_effect is not None
        and in_effect.percent == percent
        and in_effect.narrative == narrative
        and in_effect.evidence == evidence
    ):
        return None  # the same report again: nothing new to store
    report = ProgressReport.objects.create(
        task=task,
        agency=agency,
        percent=percent,
        narrative=narrative,
        evidence=evidence,
        reported_on=reported_on,
        reported_by=by,
        source=source,
    )
    audit.record(
        actor=by,
        action="task.report",
        target=task,
        scope=f"task:{task.pk}",
        before={"percent": latest.percent} if latest else None,
        after={"percent": percent},
        agency=agency.name,
        source=source,
    )
    _refresh_status(task, by=by)
    return report


@transaction.atomic
def progress_report(
    *,
    by: User,
    task: Task,
    agency: Agency,
    percent: int,
    narrative: str = "",
    evidence: str = "",
    reported_on: dt.date | None = None,
) -> ProgressReport | None:
    """An agency reports its progress on a task. Returns None when nothing changed."""
    policy.require(by, "programme.task_report", task)
    if agency.pk not in permissions.reportable_agency_ids(by, task):
        raise ValidationError(
            {"agency": _("Bạn không được báo cáo tiến độ thay «%(agency)s».") % {"agency": agency}}
        )
    percent = _check_percent(percent)
    reported_on = reported_on or timezone.localdate()
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("Ngày báo cáo không được sau hôm nay.")})
    return _report(
        by=by,
        task=task,
        agency=agency,
        percent=percent,
        narrative=narrative,
        evidence=evidence,
        reported_on=reported_on,
        source="web",
    )


@dataclass(frozen=True)
class ImportResult:
    rows: int
    created: int
    unchanged: int
    blank: int = 0  # template rows left unfilled, skipped
    notes: tuple[str, ...] = ()  # rows stored in the history but older than the latest report


def _find_agency(value: str) -> Agency | None:
    text = normalize_text(value)
    agency = Agency.objects.filter(code=text.lower()).first()
    if agency is None:
        agency = (
            Agency.objects.filter(name__iexact=text).first()
            or Agency.objects.filter(short_name__iexact=text).first()
        )
    return agency


@transaction.atomic
def progress_import(*, by: User, file: IO[bytes], filename: str = "") -> ImportResult:
    """Update progress in bulk from an XLSX (one row per task and agency).

    Every row is checked first; if any row is wrong, nothing is stored and the error names
    each bad row («Dòng N: …»). Rows that repeat an agency's latest report are skipped, so
    importing the same file twice stores nothing new.
    """
    policy.require(by, "programme.progress_report")
    try:
        rows = spreadsheet.read_rows(file)
    except spreadsheet.SheetError as error:
        raise ValidationError(str(error)) from error
    if not rows:
        raise ValidationError(_("Bảng tính không có dòng dữ liệu nào."))
    errors: list[str] = []
    parsed: list[tuple[int, Task, Agency, int, str, str, dt.date]] = []
    seen: dict[tuple[int, int], int] = {}
    today = timezone.localdate()
    tasks = {t.code: t for t in Task.objects.prefetch_related("coordinating_agencies")}
    blank = 0
    for row in rows:
        if spreadsheet.is_unfilled(row):
            blank += 1
            continue
        problems: list[str] = []
        v = row.values
        code = normalize_text(str(v.get("task") or ""))
        task = tasks.get(code)
        if not code:
            problems.append(_("thiếu mã nhiệm vụ"))
        elif task is None:
            problems.append(_("không có nhiệm vụ mã «%(code)s»") % {"code": code})
        agency_text = normalize_text(str(v.get("agency") or ""))
        agency = _find_agency(agency_text) if agency_text else None
        if not agency_text:
            problems.append(_("thiếu cơ quan"))
        elif agency is None:
            problems.append(_("không có cơ quan «%(agency)s»") % {"agency": agency_text})
        percent = spreadsheet.parse_percent(v.get("percent"), percent_format=row.percent_format)
        if percent is None or not 0 <= percent <= 100:
            problems.append(
                _("tiến độ «%(value)s» phải là số nguyên từ 0 đến 100")
                % {"value": "" if v.get("percent") is None else v.get("percent")}
            )
        reported_on = today
        if v.get("reported_on") not in (None, ""):
            parsed_date = spreadsheet.parse_date(v["reported_on"])
            if parsed_date is None:
                problems.append(
                    _("ngày báo cáo «%(value)s» không đúng dạng ngày/tháng/năm")
                    % {"value": v["reported_on"]}
                )
            elif parsed_date > today:
                problems.append(_("ngày báo cáo không được sau hôm nay"))
            else:
                reported_on = parsed_date
        if task is not None and agency is not None:
            if task.status == Task.Status.CANCELLED:
                problems.append(_("nhiệm vụ «%(code)s» đã dừng thực hiện") % {"code": code})
            involved = {task.lead_agency_id, *(a.pk for a in task.coordinating_agencies.all())}
            if agency.pk not in involved:
                problems.append(
                    _("«%(agency)s» không chủ trì hay phối hợp nhiệm vụ «%(code)s»")
                    % {"agency": agency.name, "code": code}
                )
            elif agency.pk not in permissions.reportable_agency_ids(by, task):
                problems.append(
                    _("bạn không được báo cáo thay «%(agency)s»") % {"agency": agency.name}
                )
            key = (task.pk, agency.pk)
            if key in seen:
                problems.append(
                    _("trùng nhiệm vụ và cơ quan với dòng %(row)s") % {"row": seen[key]}
                )
            seen.setdefault(key, row.number)
        if problems:
            errors.append(
                _("Dòng %(row)s: %(problems)s.")
                % {"row": row.number, "problems": "; ".join(problems)}
            )
            continue
        assert task is not None and agency is not None and percent is not None
        parsed.append(
            (
                row.number,
                task,
                agency,
                percent,
                str(v.get("narrative") or ""),
                str(v.get("evidence") or ""),
                reported_on,
            )
        )
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("Chưa có dòng nào được điền tiến độ."))
    created = 0
    notes: list[str] = []
    source = f"import:{filename}"[:255] if filename else "import"
    for number, task, agency, percent, narrative, evidence, reported_on in parsed:
        latest = _latest_report(task, agency)
        report = _report(
            by=by,
            task=task,
            agency=agency,
            percent=percent,
            narrative=narrative,
            evidence=evidence,
            reported_on=reported_on,
            source=source,
        )
        created += report is not None
        if report is not None and latest is not None and latest.reported_on > reported_on:
            notes.append(
                _(
                    "Dòng %(row)s: báo cáo ngày %(date)s (%(percent)s%%) đã lưu vào lịch sử, "
                    "nhưng «%(agency)s» đã có báo cáo mới hơn ngày %(latest_date)s "
                    "(%(latest)s%%), nên tiến độ hiện tại của nhiệm vụ %(code)s vẫn là "
                    "%(latest)s%%."
                )
                % {
                    "row": number,
                    "date": reported_on.strftime("%d/%m/%Y"),
                    "percent": percent,
                    "agency": agency.name,
                    "latest_date": latest.reported_on.strftime("%d/%m/%Y"),
                    "latest": latest.percent,
                    "code": task.code,
                }
            )
    return ImportResult(
        rows=len(parsed),
        created=created,
        unchanged=len(parsed) - created,
        blank=blank,
        notes=tuple(notes),
    )
