"""An issue's legal due date under its regime, the due-soon warning and the overdue flag
from the one working calendar, and the extensions a leader approves.

Feedback and petitions (phản ánh, kiến nghị) count working days per kind and urgency
(core's deadline rules, as before); complaints and denunciations count the days of their
law; voters' petitions are due before the council's next session. A time limit counted in
calendar days whose last day is a weekend or holiday ends on the next working day (Bộ
luật Dân sự 2015, Điều 148).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import hooks
from phoihop.cases.models import FEEDBACK_REGIME, Assignment, Issue
from phoihop.cases.regime_models import DeadlineExtension, DeadlineRegime, RegimeRule
from phoihop.core import audit, policy
from phoihop.core.calendar import WorkingCalendar
from phoihop.core.models import User
from phoihop.core.selectors import deadline_for, working_calendar, working_days_for

Step = RegimeRule.Step
Unit = RegimeRule.Unit
Kind = DeadlineRegime.Kind

# A warning goes out this many working days before the due date.
DUE_SOON_WORKING_DAYS = 2
# States in which the issue still waits for its answer.
OPEN_STATES = (
    Issue.State.RECEIVED,
    Issue.State.CLASSIFIED,
    Issue.State.ASSIGNED,
    Issue.State.IN_PROGRESS,
)
CIVIL_CODE_148 = "Điều 148 Bộ luật Dân sự 2015"

# Hook intake owns the answer to (STYLE.md example 13): the next council session after a
# day, as (opening day, title), or None when none is scheduled. Intake subscribes in ready().
next_council_session: list[Callable[[dt.date], tuple[dt.date, str] | None]] = []


@dataclass(frozen=True)
class Due:
    """A legal due date and why: `on` is None only for a voters' petition with no next
    session scheduled yet."""

    on: dt.date | None
    basis: str  # the legal basis shown next to the date
    rule: str  # how it was counted, in words
    acceptance_on: dt.date | None = None  # complaints: accepted (thụ lý) by this day


@dataclass(frozen=True)
class DueStatus:
    due: Due
    open: bool
    overdue: bool
    due_soon: bool
    working_days_left: int | None  # negative: working days late


def add_days(calendar: WorkingCalendar, start: dt.date, days: int, unit: str) -> dt.date:
    """`days` after `start` (the start day does not count), in working or calendar days; a
    calendar-day limit ending on a day off ends on the next working day."""
    if unit == Unit.WORKING:
        return calendar.add_working_days(start, days)
    end = start + dt.timedelta(days=days)
    while not calendar.is_working_day(end):
        end += dt.timedelta(days=1)
    return end


def unit_words(unit: str) -> str:
    """«ngày làm việc» or «ngày»: how an extension or a time limit counts."""
    return _("ngày làm việc") if unit == Unit.WORKING else _("ngày")


def _rules(regime: DeadlineRegime) -> dict[str, RegimeRule]:
    cached: dict[str, RegimeRule] | None = getattr(regime, "_rules_cache", None)
    if cached is None:
        cached = {r.step: r for r in regime.rules.all()}
        regime._rules_cache = cached  # type: ignore[attr-defined]
    return cached


def feedback_regime() -> DeadlineRegime | None:
    return DeadlineRegime.objects.filter(code=FEEDBACK_REGIME).first()


def regime_of(issue: Issue) -> DeadlineRegime | None:
    """The issue's regime; one without (made outside the services) follows feedback."""
    if issue.regime_id is None:
        return feedback_regime()
    return issue.regime


def accepted_on(issue: Issue) -> dt.date | None:
    """The day the lead agency took the issue on (thụ lý), if it did."""
    days = [
        timezone.localtime(a.accepted_at).date()
        for a in issue.assignments.all()
        if a.role == Assignment.Role.LEAD and a.accepted_at is not None
    ]
    return min(days) if days else None


def _resolution_step(issue: Issue) -> str:
    complex_ = issue.complexity != Issue.Complexity.NORMAL
    if issue.second_time:
        if issue.remote_area:
            return Step.SECOND_REMOTE_COMPLEX if complex_ else Step.SECOND_REMOTE
        return Step.SECOND_COMPLEX if complex_ else Step.SECOND
    if issue.remote_area:
        return Step.RESOLUTION_REMOTE_COMPLEX if complex_ else Step.RESOLUTION_REMOTE
    return Step.RESOLUTION_COMPLEX if complex_ else Step.RESOLUTION


def extension_step(issue: Issue) -> RegimeRule | None:
    """The extension rule open to this issue, or None when its regime allows none."""
    regime = regime_of(issue)
    if regime is None:
        return None
    rules = _rules(regime)
    if regime.kind == Kind.DENUNCIATION:
        step = {
            Issue.Complexity.COMPLEX: Step.EXTENSION_COMPLEX,
            Issue.Complexity.VERY_COMPLEX: Step.EXTENSION_VERY_COMPLEX,
        }.get(Issue.Complexity(issue.complexity))
        return rules.get(step) if step else None
    return rules.get(Step.EXTENSION)


def _approved(issue: Issue) -> list[DeadlineExtension]:
    return [e for e in issue.extensions.all() if e.state == DeadlineExtension.State.APPROVED]


def legal_due(issue: Issue, *, calendar: WorkingCalendar | None = None) -> Due:
    """The issue's due date under its regime, approved extensions included."""
    calendar = calendar or working_calendar()
    regime = regime_of(issue)
    received = issue.received_on
    if regime is None or regime.kind == Kind.FEEDBACK:
        days = working_days_for(kind=Assignment.Role.LEAD, urgency=issue.urgency)
        due = calendar.add_working_days(received, days)
        basis = regime.legal_basis if regime else ""
        rule = _("%(n)s ngày làm việc kể từ ngày tiếp nhận (độ khẩn: %(u)s)") % {
            "n": days,
            "u": issue.get_urgency_display(),
        }
        acceptance = None
    elif regime.kind == Kind.VOTER_PETITION:
        session = None
        for hook in next_council_session:
            session = hook(received)
            if session is not None:
                break
        if session is None:
            return Due(None, regime.legal_basis, _("trước kỳ họp HĐND tiếp theo (chưa có lịch)"))
        opens_on, title = session
        due = opens_on - dt.timedelta(days=1)
        while not calendar.is_working_day(due):  # answered before the session opens
            due -= dt.timedelta(days=1)
        return _extended(
            issue,
            calendar,
            Due(
                due,
                regime.legal_basis,
                _("trước %(s)s (khai mạc %(d)s)")
                % {"s": title, "d": opens_on.strftime("%d/%m/%Y")},
            ),
        )
    else:
        rules = _rules(regime)
        acceptance_rule = rules.get(Step.ACCEPTANCE)
        acceptance = (
            add_days(calendar, received, acceptance_rule.days, acceptance_rule.unit)
            if acceptance_rule
            else None
        )
        # Resolution counts from acceptance (thụ lý); before it, from the last day allowed.
        start = accepted_on(issue) or acceptance or received
        step = _resolution_step(issue)
        rule_row = rules.get(step) or rules.get(Step.RESOLUTION)
        if rule_row is None:
            raise ValidationError(
                _("Chế độ «%(r)s» chưa có quy định thời hạn giải quyết.") % {"r": regime.name}
            )
        due = add_days(calendar, start, rule_row.days, rule_row.unit)
        basis = rule_row.legal_basis
        if acceptance_rule:
            basis = f"{acceptance_rule.legal_basis}; {basis}"
        rule = _("%(n)s %(unit)s kể từ ngày thụ lý (%(step)s)") % {
            "n": rule_row.days,
            "unit": unit_words(rule_row.unit),
            "step": rule_row.get_step_display(),
        }
        if rule_row.unit == Unit.CALENDAR:
            basis = f"{basis}; {CIVIL_CODE_148}"
    return _extended(issue, calendar, Due(due, basis, rule, acceptance))


def _extended(issue: Issue, calendar: WorkingCalendar, due: Due) -> Due:
    granted = _approved(issue) if issue.pk else []
    if not granted or due.on is None:
        return due
    on = due.on
    for extension in granted:
        on = add_days(calendar, on, extension.days, extension.unit)
    words = "; ".join(
        _("gia hạn %(n)s %(unit)s") % {"n": e.days, "unit": unit_words(e.unit)} for e in granted
    )
    bases = "; ".join(dict.fromkeys(e.legal_basis for e in granted))
    return Due(on, f"{due.basis}; {bases}", f"{due.rule}; {words}", due.acceptance_on)


def due_status(
    issue: Issue, *, today: dt.date | None = None, calendar: WorkingCalendar | None = None
) -> DueStatus:
    """Whether the issue is open, overdue, or due within two working days, by one calendar."""
    calendar = calendar or working_calendar()
    today = today or timezone.localdate()
    due = legal_due(issue, calendar=calendar)
    is_open = issue.state in OPEN_STATES
    if due.on is None:
        return DueStatus(due, is_open, False, False, None)
    left = calendar.working_days_between(today, due.on)
    overdue = is_open and today > due.on
    soon = is_open and not overdue and left <= DUE_SOON_WORKING_DAYS
    return DueStatus(due, is_open, overdue, soon, left)


def due_statuses(
    issues: Iterable[Issue], *, today: dt.date | None = None
) -> list[tuple[Issue, DueStatus]]:
    """The status of many issues with one calendar (prefetch regime rules and assignments)."""
    calendar = working_calendar()
    today = today or timezone.localdate()
    return [(i, due_status(i, today=today, calendar=calendar)) for i in issues]


def open_issues_for_deadlines() -> Iterable[Issue]:
    """Every open issue, with what its due date needs, for the daily warnings."""
    return (
        Issue.objects.filter(state__in=OPEN_STATES, merged_into__isnull=True)
        .select_related("regime")
        .prefetch_related("regime__rules", "assignments", "extensions")
        .order_by("id")
    )


def issues_due_soon(*, today: dt.date | None = None) -> list[tuple[Issue, DueStatus]]:
    """Open issues due within two working days (not yet overdue), for the warning."""
    return [(i, s) for i, s in due_statuses(open_issues_for_deadlines(), today=today) if s.due_soon]


def issues_overdue(*, today: dt.date | None = None) -> list[tuple[Issue, DueStatus]]:
    return [(i, s) for i, s in due_statuses(open_issues_for_deadlines(), today=today) if s.overdue]


def assignment_deadline(*, issue: Issue, role: str, start: dt.date) -> dt.date:
    """The default deadline of a new assignment: the working-day rule counted from `start`,
    but never later than the issue's due date (the one citizens are shown): a lead given
    the matter after a return or a transfer has what is left of the promised time, not a
    fresh count. When that date has already passed, the count from `start` stands (the
    issue shows as overdue, which is true)."""
    default = deadline_for(kind=role, urgency=issue.urgency, start=start)
    due = legal_due(issue).on
    if due is None or due < start:
        return default
    return due if role == Assignment.Role.LEAD else min(default, due)


# ---- writes ----------------------------------------------------------------------------


def _scope(issue: Issue) -> str:
    return f"issue:{issue.pk}"


@transaction.atomic
def issue_set_regime(
    *,
    issue: Issue,
    by: User,
    regime: DeadlineRegime,
    complexity: str = Issue.Complexity.NORMAL,
    remote_area: bool = False,
    second_time: bool = False,
) -> Issue:
    """A coordinator says which law the issue is handled under, and the facts its time
    limits depend on (complex, remote area, second time)."""
    policy.require(by, "cases.issue_edit", issue)
    if not regime.is_active:
        raise ValidationError({"regime": _("Chế độ thời hạn «%s» không còn dùng.") % regime.name})
    if complexity not in Issue.Complexity.values:
        raise ValidationError({"complexity": _("Tính chất vụ việc không hợp lệ.")})
    names = ("regime", "complexity", "remote_area", "second_time")
    before = audit.snapshot(issue, names)
    issue.regime = regime
    issue.complexity = complexity
    issue.remote_area = remote_area
    issue.second_time = second_time
    after = audit.snapshot(issue, names)
    if before == after:
        return issue
    issue.save(update_fields=[*names, "updated_at"])
    audit.record(
        actor=by,
        action="issue.set_regime",
        target=issue,
        scope=_scope(issue),
        before=before,
        after=after,
    )
    return issue


@transaction.atomic
def extension_request(*, issue: Issue, by: User, days: int, reason: str) -> DeadlineExtension:
    """Ask for more time, with a reason; within what the regime allows."""
    policy.require(by, "cases.extension_request", issue)
    if issue.state not in OPEN_STATES:
        raise ValidationError(_("Vấn đề %s đã có trả lời: không gia hạn.") % issue.code)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Cần nêu lý do gia hạn.")})
    rule = extension_step(issue)
    if rule is None:
        raise ValidationError({"days": _("Chế độ thời hạn của vấn đề này không cho phép gia hạn.")})
    if days < 1 or days > rule.days:
        raise ValidationError(
            {
                "days": _("Số ngày gia hạn từ 1 đến %(n)s %(unit)s (%(basis)s).")
                % {"n": rule.days, "unit": unit_words(rule.unit), "basis": rule.legal_basis}
            }
        )
    used = issue.extensions.exclude(state=DeadlineExtension.State.REFUSED).count()
    if used >= rule.max_times:
        raise ValidationError(
            {
                "days": _("Đã gia hạn (hoặc đang đề nghị) %(n)s lần, tối đa %(max)s lần (%(b)s).")
                % {"n": used, "max": rule.max_times, "b": rule.legal_basis}
            }
        )
    extension = DeadlineExtension.objects.create(
        issue=issue,
        days=days,
        unit=rule.unit,
        legal_basis=rule.legal_basis,
        reason=reason,
        requested_by=by,
    )
    audit.record(
        actor=by,
        action="issue.extension_request",
        target=issue,
        scope=_scope(issue),
        extension=extension.pk,
        days=days,
        unit=rule.unit,
        reason=reason,
    )
    for hook in hooks.extension_requested:
        hook(extension)
    return extension


@transaction.atomic
def extension_decide(*, extension: DeadlineExtension, by: User, approve: bool) -> DeadlineExtension:
    """A leader of the lead agency grants or refuses a requested extension; the requester
    cannot decide their own request."""
    issue = extension.issue
    policy.require(by, "cases.extension_decide", issue)
    if extension.state != DeadlineExtension.State.REQUESTED:
        raise ValidationError(_("Đề nghị gia hạn này đã được quyết định."))
    if extension.requested_by_id == by.pk:
        raise ValidationError(_("Người đề nghị gia hạn không tự duyệt đề nghị của mình."))
    before = legal_due(issue).on
    extension.state = (
        DeadlineExtension.State.APPROVED if approve else DeadlineExtension.State.REFUSED
    )
    extension.decided_by = by
    extension.decided_at = timezone.now()
    extension.save(update_fields=["state", "decided_by", "decided_at"])
    after = legal_due(Issue.objects.get(pk=issue.pk)).on
    audit.record(
        actor=by,
        action="issue.extension_approve" if approve else "issue.extension_refuse",
        target=issue,
        scope=_scope(issue),
        extension=extension.pk,
        before={"due": before.strftime("%d/%m/%Y") if before else None},
        after={"due": after.strftime("%d/%m/%Y") if after else None},
    )
    if approve and before is not None and after is not None and after > before:
        _assignments_follow_extension(issue=issue, by=by, before=before, after=after)
    for hook in hooks.extension_decided:
        hook(extension, after)
    return extension


def _assignments_follow_extension(
    *, issue: Issue, by: User, before: dt.date, after: dt.date
) -> None:
    """The issue's legal due date moved from `before` to `after`: the open work that was due
    with it follows, so «Việc của tôi», the overdue lists and escalation read the same date
    as the issue page. The lead answers the issue, so its deadline is the issue's; a
    supporting agency due by the old legal date or later follows too, while one given an
    earlier internal deadline (to feed the lead's answer in time) keeps it. No deadline
    moves earlier. A deadline that moves may be escalated again when the new one passes."""
    for assignment in issue.assignments.select_for_update().filter(
        state__in=Assignment.OPEN_STATES
    ):
        follows = assignment.role == Assignment.Role.LEAD or assignment.deadline >= before
        if not follows or assignment.deadline >= after:
            continue
        old = assignment.deadline
        assignment.deadline = after
        assignment.escalated_at = None
        assignment.save(update_fields=["deadline", "escalated_at"])
        audit.record(
            actor=by,
            action="assignment.extend",
            target=assignment,
            scope=_scope(issue),
            before={"deadline": old.strftime("%d/%m/%Y")},
            after={"deadline": after.strftime("%d/%m/%Y")},
            agency=assignment.agency_name,
        )
