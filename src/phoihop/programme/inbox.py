"""What the programme asks of a person, for «Việc của tôi» (registered in `ProgrammeConfig`).

Guidance to acknowledge or co-sign, commendation proposals waiting on the user's agency,
programme tasks of the user's agency coming due, progress the coordinator asked the
agency for and it has not reported yet, and, for the sender, guidance that members still
have not acknowledged after a reminder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.inbox import WorkItem
from phoihop.core.models import Agency, Membership, User
from phoihop.core.policy import agency_ids
from phoihop.programme import permissions, plan_selectors
from phoihop.programme.models import (
    CommendationProposal,
    Guidance,
    GuidanceRecipient,
    ProgressRequest,
    Task,
)

R = Membership.Role
# A programme task shows up this many calendar days before its deadline.
TASK_DUE_WINDOW = dt.timedelta(days=14)


def programme_work(user: User) -> Iterator[WorkItem]:
    if not user.is_authenticated or not user.is_active:
        return
    today = timezone.localdate()
    yield from _guidance_to_acknowledge(user, today)
    yield from _guidance_to_cosign(user)
    yield from _guidance_unacknowledged(user)
    yield from _commendations(user)
    yield from _tasks_due(user, today)
    yield from _progress_requested(user, today)


def _guidance_to_acknowledge(user: User, today: dt.date) -> Iterator[WorkItem]:
    pending = (
        GuidanceRecipient.objects.filter(
            member__user=user,
            member__is_active=True,
            acknowledged_at__isnull=True,
            guidance__state=Guidance.State.ISSUED,
        )
        .filter(Q(guidance__valid_until__isnull=True) | Q(guidance__valid_until__gte=today))
        .select_related("guidance")
    )
    for recipient in pending:
        guidance = recipient.guidance
        note = _("Đã nhắc %(n)s lần") % {"n": recipient.reminders} if recipient.reminders else ""
        yield WorkItem(
            queue=_("Định hướng chờ xác nhận tiếp nhận"),
            title=guidance.title,
            url=reverse("programme:guidance_detail", args=[guidance.pk]),
            due=guidance.valid_until,
            urgent=recipient.reminders > 0,
            note=note,
            order=20,
        )


def _guidance_to_cosign(user: User) -> Iterator[WorkItem]:
    if not permissions.is_council_staff(user):
        return
    drafts = Guidance.objects.filter(
        state=Guidance.State.DRAFT, resolution__isnull=False, cosigned_at__isnull=True
    ).select_related("resolution")
    for guidance in drafts:
        assert guidance.resolution is not None
        yield WorkItem(
            queue=_("Định hướng chờ Thường trực HĐND đồng ký"),
            title=guidance.title,
            url=reverse("programme:guidance_detail", args=[guidance.pk]),
            note=_("Giải thích Nghị quyết %(number)s") % {"number": guidance.resolution.number},
            order=25,
        )


def _guidance_unacknowledged(user: User) -> Iterator[WorkItem]:
    """For the sender: guidance some members have not acknowledged despite a reminder."""
    if not permissions.is_propaganda_coordinator(user):
        return
    late = (
        Guidance.objects.filter(state=Guidance.State.ISSUED)
        .annotate(
            late=Count(
                "recipients",
                filter=Q(
                    recipients__acknowledged_at__isnull=True,
                    recipients__reminders__gt=0,
                    recipients__member__is_active=True,
                ),
            )
        )
        .filter(late__gt=0)
    )
    for guidance in late:
        yield WorkItem(
            queue=_("Định hướng còn thành viên chưa xác nhận"),
            title=guidance.title,
            url=reverse("programme:guidance_links", args=[guidance.pk]),
            due=guidance.valid_until,
            note=_("%(n)s thành viên chưa xác nhận dù đã được nhắc") % {"n": guidance.late},
            order=60,
        )


def _commendations(user: User) -> Iterator[WorkItem]:
    S = CommendationProposal.State
    leads = agency_ids(user, R.LEADER)
    staff = agency_ids(user, R.HANDLER, R.LEADER)
    waiting = CommendationProposal.objects.filter(
        Q(state=S.DRAFT, proposing_agency_id__in=leads)
        | Q(state=S.SUBMITTED, reviewing_agency_id__in=staff)
        | Q(state=S.REVIEWED, approving_agency_id__in=leads)
    ).select_related("proposing_agency")
    queues = {
        S.DRAFT: _("Đề xuất khen thưởng chờ trình"),
        S.SUBMITTED: _("Đề xuất khen thưởng chờ thẩm định"),
        S.REVIEWED: _("Đề xuất khen thưởng chờ phê duyệt"),
    }
    for proposal in waiting:
        yield WorkItem(
            queue=queues[S(proposal.state)],
            title=f"{proposal.nominee} — {proposal.form}",
            url=reverse("programme:commendation_detail", args=[proposal.pk]),
            note=_("Cơ quan đề xuất: %(agency)s")
            % {"agency": _agency_name(proposal.proposing_agency)},
            order=40,
        )


def _tasks_due(user: User, today: dt.date) -> Iterator[WorkItem]:
    """Open tasks of the user's agencies due soon or overdue that the agency has not finished."""
    mine = agency_ids(user, R.HANDLER, R.LEADER)
    if not mine:
        return
    tasks = list(
        Task.objects.filter(status__in=Task.OPEN_STATUSES, due_on__lte=today + TASK_DUE_WINDOW)
        .filter(Q(lead_agency_id__in=mine) | Q(coordinating_agencies__in=mine))
        .distinct()
        .select_related("lead_agency")
        .prefetch_related("coordinating_agencies")
        .order_by("due_on", "code")
    )
    latest = plan_selectors.latest_reports(tasks)
    for task in tasks:
        involved = [task.lead_agency, *task.coordinating_agencies.all()]
        for agency in involved:
            if agency.pk not in mine:
                continue
            report = latest.get((task.pk, agency.pk))
            if report is not None and report.percent >= 100:
                continue
            overdue = task.due_on < today
            percent = report.percent if report else 0
            yield WorkItem(
                queue=_("Nhiệm vụ chương trình đến hạn"),
                title=f"{task.code} — {task.title}",
                url=reverse("programme:task_detail", args=[task.pk]),
                due=task.due_on,
                urgent=overdue,
                note=_("%(agency)s · %(role)s · tiến độ %(percent)s%%")
                % {
                    "agency": _agency_name(agency),
                    "role": _("chủ trì") if agency.pk == task.lead_agency_id else _("phối hợp"),
                    "percent": percent,
                },
                order=30,
            )


def _progress_requested(user: User, today: dt.date) -> Iterator[WorkItem]:
    """Each progress request the user's agency still owes a report on some of its tasks."""
    mine = agency_ids(user, R.HANDLER, R.LEADER)
    if not mine:
        return
    involved = Q(plan__tasks__lead_agency_id__in=mine) | Q(
        plan__tasks__coordinating_agencies__in=mine
    )
    requests = list(
        ProgressRequest.objects.filter(involved, plan__tasks__status__in=Task.OPEN_STATUSES)
        .distinct()
        .select_related("plan")
        .order_by("due_on", "id")
    )
    for status in plan_selectors.request_statuses(requests):
        request = status.request
        for agency in status.unreported:
            if agency.pk not in mine:
                continue
            tasks = status.missing[agency.pk]
            url = (
                reverse("programme:task_detail", args=[tasks[0].pk])
                if len(tasks) == 1
                else reverse("programme:overview") + f"?nam={request.plan.year}"
            )
            yield WorkItem(
                queue=_("Yêu cầu báo cáo tiến độ"),
                title=_("Báo cáo tiến độ %(label)s") % {"label": request.label},
                url=url,
                due=request.due_on,
                urgent=request.due_on < today,
                note=_("%(agency)s · chưa báo cáo: %(tasks)s")
                % {"agency": _agency_name(agency), "tasks": ", ".join(t.code for t in tasks)},
                order=28,
            )


def _agency_name(agency: Agency) -> str:
    return agency.short_name or agency.name
