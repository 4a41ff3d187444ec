"""Each regime's arithmetic across weekends and Vietnamese holidays (Tết, 30/4–1/5, 2/9),
the due-soon warning and overdue flag from one calendar, and approved extensions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.factories import AssignmentFactory, IssueFactory
from tests.regimes import ensure_regimes

from phoihop.cases import deadlines
from phoihop.cases.models import Assignment, DeadlineExtension, Issue
from phoihop.core.models import AuditEvent
from phoihop.intake.models import CouncilSession

D = dt.date


@pytest.fixture
def regimes(db: None) -> dict[str, Any]:
    return ensure_regimes()


def _issue(regime: Any, received: dt.date, **extra: Any) -> Issue:
    return IssueFactory(regime=regime, received_on=received, **extra)


def _accepted(issue: Issue, on: dt.date) -> None:
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
    AssignmentFactory(issue=issue, state=Assignment.State.ACCEPTED, accepted_at=moment)


# ---- feedback and petitions: working days per kind and urgency, as before -------------


def test_feedback_counts_fifteen_working_days_over_tet(regimes: Any) -> None:
    # received Fri 24/01/2025; 27/01–01/02 are Tết, 2/2 a Sunday: 15 working days from 3/2
    issue = _issue(regimes["phan-anh"], D(2025, 1, 24))
    due = deadlines.legal_due(issue)
    assert due.on == D(2025, 2, 21)
    assert "15 ngày làm việc" in due.rule
    assert "Quy chế phối hợp" in due.basis


def test_an_agency_given_the_matter_later_has_what_is_left_of_the_promised_time(
    regimes: Any,
) -> None:
    """Re-routed after a return, the new lead's default deadline is the date citizens are
    shown (received Fri 24/01/2025 → 21/02), not 15 fresh working days; once that date has
    passed, the count from the day of assignment stands."""
    issue = _issue(regimes["phan-anh"], D(2025, 1, 24))
    lead, support = Assignment.Role.LEAD, Assignment.Role.SUPPORT
    assert deadlines.assignment_deadline(issue=issue, role=lead, start=D(2025, 2, 10)) == D(
        2025, 2, 21
    )
    # support: its own shorter count, but never past the promised date
    supporting = deadlines.assignment_deadline(issue=issue, role=support, start=D(2025, 2, 10))
    assert supporting <= D(2025, 2, 21)
    late = deadlines.assignment_deadline(issue=issue, role=lead, start=D(2025, 3, 3))
    assert late == deadlines.deadline_for(kind=lead, urgency=issue.urgency, start=D(2025, 3, 3))


def test_new_issues_follow_the_feedback_regime(regimes: Any, world: Any) -> None:
    from phoihop.cases import services

    issue = services.issue_create(by=world.coordinator, title="Rác thải ùn ứ chợ Kỳ Lừa")
    assert issue.regime.code == "phan-anh"
    bare = IssueFactory(regime=None)  # made outside the services: counted the same way
    assert deadlines.regime_of(bare) == regimes["phan-anh"]


def test_data_migration_gives_existing_issues_the_feedback_regime(regimes: Any) -> None:
    issue = IssueFactory(regime=None)
    ensure_regimes()  # the migration's own function
    issue.refresh_from_db()
    assert issue.regime.code == "phan-anh"


# ---- complaints (Luật Khiếu nại 2011) ----------------------------------------------------


def test_complaint_acceptance_and_resolution_roll_over_30_4_and_1_5(regimes: Any) -> None:
    # received Sun 20/04/2025: +10 days = Wed 30/04 (holiday), 1/5, 2/5 off, weekend →
    # accepted by Mon 05/05; resolution 30 days from then = Wed 04/06
    issue = _issue(regimes["khieu-nai"], D(2025, 4, 20))
    due = deadlines.legal_due(issue)
    assert due.acceptance_on == D(2025, 5, 5)
    assert due.on == D(2025, 6, 4)
    assert "Điều 27" in due.basis and "Điều 28" in due.basis and "Điều 148" in due.basis


def test_complaint_resolution_counts_from_the_day_it_was_accepted(regimes: Any) -> None:
    # accepted Sat 02/08/2025: +30 days = Mon 01/09, and 1/9–2/9 are National Day → 03/09
    issue = _issue(regimes["khieu-nai"], D(2025, 7, 28))
    _accepted(issue, D(2025, 8, 2))
    assert deadlines.legal_due(issue).on == D(2025, 9, 3)


@pytest.mark.parametrize(
    ("complexity", "remote", "second", "days", "expected"),
    [
        ("normal", False, False, 30, D(2025, 4, 2)),
        ("complex", False, False, 45, D(2025, 4, 17)),
        ("normal", True, False, 45, D(2025, 4, 17)),
        # +60 = Fri 02/05, a day off (in lieu of 26/04) → Mon 05/05
        ("complex", True, False, 60, D(2025, 5, 5)),
        ("normal", False, True, 45, D(2025, 4, 17)),
        ("complex", False, True, 60, D(2025, 5, 5)),
        ("normal", True, True, 60, D(2025, 5, 5)),
        ("very_complex", True, True, 70, D(2025, 5, 12)),
    ],
)
def test_complaint_time_limits_by_case(
    regimes: Any, complexity: str, remote: bool, second: bool, days: int, expected: dt.date
) -> None:
    # accepted Mon 03/03/2025
    issue = _issue(
        regimes["khieu-nai"],
        D(2025, 3, 1),
        complexity=complexity,
        remote_area=remote,
        second_time=second,
    )
    _accepted(issue, D(2025, 3, 3))
    assert deadlines.legal_due(issue).on == expected
    assert f"{days} ngày" in deadlines.legal_due(issue).rule


def test_second_complaint_remote_complex_70_days_lands_on_national_day(regimes: Any) -> None:
    issue = _issue(
        regimes["khieu-nai"],
        D(2025, 6, 20),
        complexity="complex",
        remote_area=True,
        second_time=True,
    )
    _accepted(issue, D(2025, 6, 23))  # +70 = Mon 01/09 → after 2/9: Wed 03/09
    due = deadlines.legal_due(issue)
    assert due.on == D(2025, 9, 3)
    assert "Điều 37" in due.basis


def test_complaints_allow_no_extension(regimes: Any, world: Any) -> None:
    issue = _issue(regimes["khieu-nai"], D(2025, 3, 1), state=Issue.State.IN_PROGRESS)
    with pytest.raises(ValidationError, match="không cho phép gia hạn"):
        deadlines.extension_request(
            issue=issue, by=world.coordinator, days=10, reason="Cần xác minh"
        )


# ---- denunciations (Luật Tố cáo 2018) -----------------------------------------------------


def test_denunciation_30_days_ending_after_tet(regimes: Any) -> None:
    # received Fri 03/01/2025, not yet accepted: +30 = Sun 02/02 → Mon 03/02
    issue = _issue(regimes["to-cao"], D(2025, 1, 3))
    due = deadlines.legal_due(issue)
    assert due.on == D(2025, 2, 3)
    assert "khoản 1 Điều 30 Luật Tố cáo 2018" in due.basis


def _led_issue(world: Any, regime: Any, complexity: str) -> Issue:
    issue = _issue(regime, D(2025, 1, 3), complexity=complexity, state=Issue.State.IN_PROGRESS)
    Assignment.objects.create(
        issue=issue,
        agency=world.dept,
        agency_name=world.dept.name,
        role=Assignment.Role.LEAD,
        state=Assignment.State.PENDING,
        deadline=D(2025, 2, 3),
    )
    return issue


def test_very_complex_denunciation_extends_twice_by_30_days(regimes: Any, world: Any) -> None:
    issue = _led_issue(world, regimes["to-cao"], "very_complex")
    for _round in range(2):
        ext = deadlines.extension_request(
            issue=issue, by=world.handler, days=30, reason="Vụ việc đặc biệt phức tạp"
        )
        deadlines.extension_decide(extension=ext, by=world.leader, approve=True)
    issue = Issue.objects.get(pk=issue.pk)
    # 03/02 + 30 = Wed 05/03; + 30 = Fri 04/04
    assert deadlines.legal_due(issue).on == D(2025, 4, 4)
    assert "khoản 3 Điều 30" in deadlines.legal_due(issue).basis
    with pytest.raises(ValidationError, match="tối đa 2 lần"):
        deadlines.extension_request(issue=issue, by=world.handler, days=30, reason="Thêm lần nữa")


def test_complex_denunciation_extends_once_at_most_30_days(regimes: Any, world: Any) -> None:
    issue = _led_issue(world, regimes["to-cao"], "complex")
    with pytest.raises(ValidationError, match="từ 1 đến 30"):
        deadlines.extension_request(issue=issue, by=world.handler, days=31, reason="Phức tạp")
    ext = deadlines.extension_request(issue=issue, by=world.handler, days=20, reason="Phức tạp")
    with pytest.raises(ValidationError, match="tối đa 1 lần"):
        deadlines.extension_request(issue=issue, by=world.handler, days=5, reason="Lần hai")
    deadlines.extension_decide(extension=ext, by=world.leader, approve=True)
    assert deadlines.legal_due(Issue.objects.get(pk=issue.pk)).on == D(2025, 2, 23 + 1)  # Sun→Mon


def test_a_plain_denunciation_cannot_be_extended(regimes: Any, world: Any) -> None:
    issue = _led_issue(world, regimes["to-cao"], "normal")
    with pytest.raises(ValidationError):
        deadlines.extension_request(issue=issue, by=world.handler, days=10, reason="Chậm")


def test_extension_needs_a_reason_and_a_leader_other_than_the_requester(
    regimes: Any, world: Any
) -> None:
    issue = _led_issue(world, regimes["to-cao"], "complex")
    with pytest.raises(ValidationError, match="lý do"):
        deadlines.extension_request(issue=issue, by=world.handler, days=10, reason="  ")
    with pytest.raises(PermissionDenied):
        deadlines.extension_request(issue=issue, by=world.other_handler, days=10, reason="X")
    ext = deadlines.extension_request(issue=issue, by=world.leader, days=10, reason="Cần giám định")
    with pytest.raises(PermissionDenied):
        deadlines.extension_decide(extension=ext, by=world.handler, approve=True)
    with pytest.raises(ValidationError, match="không tự duyệt"):
        deadlines.extension_decide(extension=ext, by=world.leader, approve=True)
    before = deadlines.legal_due(issue).on
    from tests.factories import member

    second_leader = member(world.dept, "leader", "lanhdao2")
    deadlines.extension_decide(extension=ext, by=second_leader, approve=False)
    assert deadlines.legal_due(Issue.objects.get(pk=issue.pk)).on == before  # refused: unchanged
    ext.refresh_from_db()
    assert ext.state == DeadlineExtension.State.REFUSED
    actions = list(
        AuditEvent.objects.filter(scope=f"issue:{issue.pk}").values_list("action", flat=True)
    )
    assert actions == ["issue.extension_request", "issue.extension_refuse"]


def test_approval_is_audited_with_the_due_date_before_and_after(regimes: Any, world: Any) -> None:
    issue = _led_issue(world, regimes["to-cao"], "complex")
    ext = deadlines.extension_request(issue=issue, by=world.handler, days=30, reason="Phức tạp")
    deadlines.extension_decide(extension=ext, by=world.leader, approve=True)
    event = AuditEvent.objects.get(action="issue.extension_approve")
    assert event.before == {"due": "03/02/2025"}
    assert event.after == {"due": "05/03/2025"}
    assert event.actor == world.leader


# ---- voters' petitions: before the next council session --------------------------------


def test_voter_petition_due_on_the_last_working_day_before_the_session(regimes: Any) -> None:
    CouncilSession.objects.create(
        term="XVII", number=3, title="Kỳ họp thứ 3", opens_on=D(2025, 7, 7)
    )
    CouncilSession.objects.create(
        term="XVII", number=4, title="Kỳ họp thứ 4", opens_on=D(2025, 9, 3)
    )
    early = _issue(regimes["kien-nghi-cu-tri"], D(2025, 6, 1))
    late = _issue(regimes["kien-nghi-cu-tri"], D(2025, 7, 8))
    assert deadlines.legal_due(early).on == D(2025, 7, 4)  # session Mon 07/07 → Fri 04/07
    # session Wed 03/09: 1–2/9 National Day, 30–31/8 a weekend → Fri 29/08
    due = deadlines.legal_due(late)
    assert due.on == D(2025, 8, 29)
    assert "Kỳ họp thứ 4" in due.rule


def test_voter_petition_without_a_next_session_has_no_date_and_is_never_overdue(
    regimes: Any,
) -> None:
    issue = _issue(regimes["kien-nghi-cu-tri"], D(2025, 6, 1))
    status = deadlines.due_status(issue, today=D(2030, 1, 1))
    assert status.due.on is None and not status.overdue
    assert "chưa có lịch" in status.due.rule


# ---- warnings and overdue from the same calendar -----------------------------------------


def test_due_soon_counts_working_days_over_a_holiday(regimes: Any) -> None:
    # denunciation received 03/01/2025 is due Mon 03/02/2025 (after Tết)
    issue = _issue(regimes["to-cao"], D(2025, 1, 3), state=Issue.State.IN_PROGRESS)
    # Wed 22/01: 23/01, 24/01 and 03/02 are left (Tết 27/01–01/02 is off): 3, no warning
    assert deadlines.due_status(issue, today=D(2025, 1, 22)).due_soon is False
    # Thu 23/01, eleven calendar days before: only 2 working days left → warn
    soon = deadlines.due_status(issue, today=D(2025, 1, 23))
    assert soon.due_soon and soon.working_days_left == 2
    assert deadlines.due_status(issue, today=D(2025, 2, 3)).overdue is False
    late = deadlines.due_status(issue, today=D(2025, 2, 4))
    assert late.overdue and not late.due_soon and late.working_days_left == -1


def test_answered_issues_are_not_overdue(regimes: Any) -> None:
    issue = _issue(regimes["to-cao"], D(2025, 1, 3), state=Issue.State.ANSWERED)
    assert deadlines.due_status(issue, today=D(2025, 3, 1)).overdue is False


def test_overdue_and_due_soon_lists(regimes: Any) -> None:
    today = D(2025, 1, 24)
    soon = _issue(regimes["to-cao"], D(2025, 1, 3), state=Issue.State.ASSIGNED)
    late = _issue(regimes["to-cao"], D(2024, 11, 1), state=Issue.State.ASSIGNED)
    _issue(regimes["to-cao"], D(2024, 11, 1), state=Issue.State.CLOSED)
    assert [i for i, _s in deadlines.issues_due_soon(today=today)] == [soon]
    assert [i for i, _s in deadlines.issues_overdue(today=today)] == [late]


def test_a_lead_assignment_under_a_legal_regime_gets_the_legal_due_date(
    regimes: Any, world: Any
) -> None:
    from phoihop.cases import services

    issue = services.issue_register(by=world.coordinator, title="Tố cáo cán bộ", field=world.field)
    deadlines.issue_set_regime(
        issue=issue, by=world.coordinator, regime=regimes["to-cao"], complexity="normal"
    )
    assignment = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    assert assignment.deadline == deadlines.legal_due(issue).on
    event = AuditEvent.objects.get(action="issue.set_regime")
    assert event.after["regime"] == regimes["to-cao"].pk


def test_an_approved_extension_moves_the_open_work_due_with_the_issue(
    regimes: Any, world: Any
) -> None:
    from phoihop.cases import services

    issue = _led_issue(world, regimes["to-cao"], "complex")  # lead due 03/02/2025, the legal date
    lead = issue.assignments.get()
    lead.escalated_at = timezone.now()  # escalated once already
    lead.save(update_fields=["escalated_at"])

    def support(agency: Any, deadline: dt.date) -> Assignment:
        return Assignment.objects.create(
            issue=issue,
            agency=agency,
            agency_name=agency.name,
            role=Assignment.Role.SUPPORT,
            deadline=deadline,
        )

    with_the_issue = support(world.other, D(2025, 2, 3))
    earlier = support(world.coordinator_agency, D(2025, 1, 20))
    ext = deadlines.extension_request(issue=issue, by=world.handler, days=30, reason="Phức tạp")
    deadlines.extension_decide(extension=ext, by=world.leader, approve=True)

    new_due = deadlines.legal_due(Issue.objects.get(pk=issue.pk)).on
    assert new_due == D(2025, 3, 5)
    lead.refresh_from_db()
    with_the_issue.refresh_from_db()
    earlier.refresh_from_db()
    assert (lead.deadline, lead.escalated_at) == (new_due, None)
    assert with_the_issue.deadline == new_due
    assert earlier.deadline == D(2025, 1, 20)  # its own internal deadline stays
    moved = AuditEvent.objects.filter(action="assignment.extend").order_by("id")
    assert [(e.target_id, e.before, e.after) for e in moved] == [
        (str(a.pk), {"deadline": "03/02/2025"}, {"deadline": "05/03/2025"})
        for a in (lead, with_the_issue)
    ]
    # Between the old and the new date, only the supporting agency's own deadline is late.
    assert services.escalate_overdue(today=D(2025, 2, 10)) == 1
    assert Assignment.objects.get(escalated_at__isnull=False) == earlier


def test_a_refused_extension_moves_no_assignment(regimes: Any, world: Any) -> None:
    issue = _led_issue(world, regimes["to-cao"], "complex")
    ext = deadlines.extension_request(issue=issue, by=world.handler, days=30, reason="Phức tạp")
    deadlines.extension_decide(extension=ext, by=world.leader, approve=False)
    assert issue.assignments.get().deadline == D(2025, 2, 3)
    assert not AuditEvent.objects.filter(action="assignment.extend").exists()


def test_the_feedback_basis_citizens_read_names_no_admin_table(regimes: Any) -> None:
    import importlib

    from django.apps import apps

    from phoihop.cases.models import DeadlineRegime

    issue = _issue(regimes["phan-anh"], D(2025, 1, 24))
    assert "bảng" not in deadlines.legal_due(issue).basis
    # an installation seeded before keeps nothing of the old wording after the migration
    migration = importlib.import_module(
        "phoihop.cases.migrations.0011_feedback_basis_public_wording"
    )
    DeadlineRegime.objects.filter(code="phan-anh").update(legal_basis=migration.OLD)
    migration.forward(apps, None)
    assert DeadlineRegime.objects.get(code="phan-anh").legal_basis == migration.NEW
