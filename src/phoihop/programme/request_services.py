"""Asking agencies for periodic progress on an annual plan (a quarter, six months…): one
request per period, audited, and announced to the agencies concerned through a hook."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.core.selectors import working_calendar
from phoihop.programme import hooks, inputs, plan_selectors
from phoihop.programme.models import AnnualPlan, ProgressRequest

QUARTERS = {1: "I", 4: "II", 7: "III", 10: "IV"}


def period_label(first_day: dt.date, last_day: dt.date) -> str:
    """How people name a period: «Quý IV/2026», «6 tháng đầu năm 2026», «Năm 2026», or
    its dates when it is none of these."""
    year = first_day.year
    month_end = calendar.monthrange(last_day.year, last_day.month)[1]
    whole_months = first_day.day == 1 and last_day.day == month_end and last_day.year == year
    span = (first_day.month, last_day.month)
    if whole_months and span[0] in QUARTERS and span[1] == span[0] + 2:
        return _("Quý %(quarter)s/%(year)s") % {"quarter": QUARTERS[span[0]], "year": year}
    if whole_months and span == (1, 6):
        return _("6 tháng đầu năm %(year)s") % {"year": year}
    if whole_months and span == (7, 12):
        return _("6 tháng cuối năm %(year)s") % {"year": year}
    if whole_months and span == (1, 12):
        return _("Năm %(year)s") % {"year": year}
    return _("từ %(first)s đến %(last)s") % {
        "first": first_day.strftime("%d/%m/%Y"),
        "last": last_day.strftime("%d/%m/%Y"),
    }


def _check_due(due: dt.date, first_day: dt.date) -> None:
    """A due date is a working day, today or later, not before the period begins."""
    if due < timezone.localdate():
        raise ValidationError({"due": _("Hạn báo cáo không được trước hôm nay.")})
    if due < first_day:
        raise ValidationError({"due": _("Hạn báo cáo không được trước ngày đầu kỳ báo cáo.")})
    days = working_calendar()
    if why := days.day_off_reason(due):
        raise ValidationError(
            {
                "due": _("Ngày %(day)s là ngày nghỉ (%(why)s). Chọn ngày làm việc, ví dụ %(next)s.")
                % {
                    "day": due.strftime("%d/%m/%Y"),
                    "why": why,
                    "next": days.add_working_days(due, 1).strftime("%d/%m/%Y"),
                }
            }
        )


@transaction.atomic
def progress_request(
    *,
    plan: AnnualPlan,
    by: User,
    first_day: dt.date,
    last_day: dt.date,
    due: dt.date,
    label: str = "",
) -> ProgressRequest:
    """Ask the lead and coordinating agencies of the plan's open tasks to report their
    progress for the period by `due`; each is told, and sees it in «Việc của tôi» until every
    one of its tasks has a report since the period began."""
    policy.require(by, "programme.progress_request")
    if last_day < first_day:
        raise ValidationError({"last_day": _("Ngày cuối kỳ không được trước ngày đầu kỳ.")})
    _check_due(due, first_day)
    if plan.progress_requests.filter(first_day=first_day, last_day=last_day).exists():
        raise ValidationError(_("Đã yêu cầu báo cáo tiến độ kỳ này của kế hoạch năm."))
    request = ProgressRequest.objects.create(
        plan=plan,
        label=inputs.text(label)[:100] or period_label(first_day, last_day),
        first_day=first_day,
        last_day=last_day,
        due_on=due,
        created_by=by,
    )
    agencies = plan_selectors.request_statuses([request])[0].agencies
    if not agencies:
        raise ValidationError(_("Kế hoạch năm không còn nhiệm vụ nào đang thực hiện."))
    audit.record(
        actor=by,
        action="progress.request",
        target=request,
        scope=f"programme:{plan.programme_id}",
        after={
            "label": request.label,
            "first_day": first_day,
            "last_day": last_day,
            "due_on": due,
        },
        agencies=[a.name for a in agencies],
    )
    for hook in hooks.progress_requested:
        hook(request, agencies)
    return request
