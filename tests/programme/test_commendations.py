"""Exemplary models and the commendation approval chain: only the agency whose turn it is acts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from phoihop.core.models import AuditEvent
from phoihop.programme import selectors, services
from phoihop.programme.models import CommendationProposal, ExemplaryModel

S = CommendationProposal.State


def _proposal(prog: Any) -> CommendationProposal:
    w = prog.world
    model = services.exemplary_create(
        by=w.handler,
        name="Tổ hòa giải thôn Bản Chu",
        kind=ExemplaryModel.Kind.COLLECTIVE,
        achievements="10 năm không có đơn thư vượt cấp",
        proposing_agency=w.dept,
    )
    return services.commendation_create(
        by=w.handler,
        nominee=model.name,
        nominee_kind=CommendationProposal.NomineeKind.COLLECTIVE,
        achievements=model.achievements,
        form="Bằng khen của Chủ tịch UBND tỉnh",
        year=2026,
        proposing_agency=w.dept,
        reviewing_agency=prog.home_affairs,
        approving_agency=prog.ubnd,
        exemplary_model=model,
    )


DAY = dt.date(2026, 3, 2)
DECISION = {"decision_number": "1234/QĐ-UBND", "decision_date": DAY}


def test_approval_records_the_decision_number_and_date(prog: Any) -> None:
    w = prog.world
    proposal = _proposal(prog)
    services.commendation_submit(by=w.leader, proposal=proposal)
    services.commendation_review(by=prog.home_affairs_handler, proposal=proposal)
    with pytest.raises(ValidationError) as missing:
        services.commendation_approve(
            by=prog.ubnd_leader, proposal=proposal, decision_number=" ", decision_date=DAY
        )
    assert "decision_number" in missing.value.error_dict
    future = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as late:
        services.commendation_approve(
            by=prog.ubnd_leader, proposal=proposal, decision_number="1/QĐ", decision_date=future
        )
    assert "decision_date" in late.value.error_dict
    proposal.refresh_from_db()
    assert proposal.state == S.REVIEWED and proposal.decision_number == ""
    services.commendation_approve(by=prog.ubnd_leader, proposal=proposal, **DECISION)
    event = AuditEvent.objects.get(action="commendation.approved", target_id=str(proposal.pk))
    assert event.data["decision_number"] == "1234/QĐ-UBND"


def test_approval_chain_with_the_right_agency_at_each_step(prog: Any) -> None:
    w = prog.world
    proposal = _proposal(prog)
    assert proposal.state == S.DRAFT

    for wrong in (w.handler, w.other_leader, prog.ubnd_leader):
        with pytest.raises(PermissionDenied):
            services.commendation_submit(by=wrong, proposal=proposal)
    services.commendation_submit(by=w.leader, proposal=proposal)
    assert proposal.state == S.SUBMITTED

    for wrong in (w.leader, prog.ubnd_leader):
        with pytest.raises(PermissionDenied):
            services.commendation_review(by=wrong, proposal=proposal)
    with pytest.raises(ValidationError, match="không thể chuyển"):  # not reviewed yet
        services.commendation_approve(by=prog.ubnd_leader, proposal=proposal, **DECISION)
    services.commendation_review(by=prog.home_affairs_handler, proposal=proposal)
    assert proposal.state == S.REVIEWED and proposal.reviewed_by == prog.home_affairs_handler

    with pytest.raises(PermissionDenied):
        services.commendation_approve(by=prog.home_affairs_handler, proposal=proposal, **DECISION)
    services.commendation_approve(by=prog.ubnd_leader, proposal=proposal, **DECISION)
    assert proposal.state == S.APPROVED
    proposal.refresh_from_db()
    assert (proposal.decision_number, proposal.decision_date) == ("1234/QĐ-UBND", DAY)
    actions = list(
        AuditEvent.objects.filter(target_id=str(proposal.pk), action__startswith="commendation.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "commendation.create",
        "commendation.submitted",
        "commendation.reviewed",
        "commendation.approved",
    ]
    assert selectors.commendation_counts(year=2026)["approved"] == 1


def test_rejection_needs_a_reason_and_the_agency_whose_turn_it_is(prog: Any) -> None:
    w = prog.world
    proposal = _proposal(prog)
    services.commendation_submit(by=w.leader, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.commendation_reject(by=prog.ubnd_leader, proposal=proposal, reason="Thiếu hồ sơ")
    with pytest.raises(ValidationError):
        services.commendation_reject(by=prog.home_affairs_handler, proposal=proposal, reason=" ")
    services.commendation_reject(
        by=prog.home_affairs_handler, proposal=proposal, reason="Thiếu xác nhận của xã"
    )
    assert proposal.state == S.REJECTED and proposal.reason == "Thiếu xác nhận của xã"
    with pytest.raises(ValidationError):
        services.commendation_review(by=prog.home_affairs_handler, proposal=proposal)


def test_staff_propose_only_for_their_own_agency(prog: Any) -> None:
    w = prog.world
    with pytest.raises(ValidationError):
        services.commendation_create(
            by=w.handler,
            nominee="Ông A",
            nominee_kind=CommendationProposal.NomineeKind.INDIVIDUAL,
            achievements="Hiến đất làm đường",
            form="Giấy khen",
            year=2026,
            proposing_agency=w.other,
            reviewing_agency=prog.home_affairs,
            approving_agency=prog.ubnd,
        )
    with pytest.raises(PermissionDenied):
        services.exemplary_create(
            by=w.viewer,
            name="x",
            kind=ExemplaryModel.Kind.INDIVIDUAL,
            achievements="y",
            proposing_agency=w.dept,
        )
