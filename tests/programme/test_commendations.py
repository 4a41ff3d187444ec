"""Exemplary models and the commendation approval chain: only the agency whose turn it is acts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import AgencyFactory

from phoihop.core import policy
from phoihop.core.models import Agency, AuditEvent, Membership, User
from phoihop.demo.core import DEMO_PASSWORD, DEMO_TOTP_KEY
from phoihop.demo.loader import load_demo
from phoihop.programme import editing, permissions, selectors, services
from phoihop.programme.forms import CommendationForm
from phoihop.programme.models import CommendationProposal, ExemplaryModel
from phoihop.reports.periods import parse_period
from phoihop.reports.programme_report import programme_report

S = CommendationProposal.State


def _proposal(prog: Any, *, recognised: bool = True) -> CommendationProposal:
    """A draft proposal of the department for its exemplary model (recognised unless told)."""
    w = prog.world
    model = services.exemplary_create(
        by=w.handler,
        name="Tổ hòa giải thôn Bản Chu",
        kind=ExemplaryModel.Kind.COLLECTIVE,
        achievements="10 năm không có đơn thư vượt cấp",
        proposing_agency=w.dept,
    )
    if recognised:
        editing.exemplary_review(by=w.coordinator, model=model, approve=True)
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


def test_the_page_says_who_must_act_next_when_the_viewer_cannot(prog: Any) -> None:
    w = prog.world
    proposal = _proposal(prog)

    def page(user: Any) -> str:
        client = Client()
        client.force_login(user)
        return client.get(f"/cong-viec/chuong-trinh/khen-thuong/{proposal.pk}/").content.decode()

    waiting = f"Chờ lãnh đạo {w.dept.name} trình."
    assert waiting in page(w.handler)  # drafted it, may not submit it
    assert waiting not in page(w.leader) and "Trình đề xuất" in page(w.leader)
    services.commendation_submit(by=w.leader, proposal=proposal)
    assert f"Chờ {prog.home_affairs.name} thẩm định." in page(w.handler)
    services.commendation_review(by=prog.home_affairs_handler, proposal=proposal)
    assert f"Chờ lãnh đạo {prog.ubnd.name} phê duyệt." in page(w.coordinator)
    services.commendation_approve(by=prog.ubnd_leader, proposal=proposal, **DECISION)
    assert "Chờ " not in page(w.handler)


def test_the_demo_propaganda_department_has_a_leader_who_submits(db: None) -> None:
    load_demo()
    leader = User.objects.get(username="lanhdao.btgdv")
    department = permissions.propaganda_agency()
    assert department is not None
    assert department.pk in policy.agency_ids(leader, Membership.Role.LEADER)
    assert leader.check_password(DEMO_PASSWORD)
    assert TOTPDevice.objects.filter(user=leader, confirmed=True, key=DEMO_TOTP_KEY).exists()
    proposal = CommendationProposal.objects.create(
        nominee="Tổ tuyên truyền viên xã Bắc Sơn",
        nominee_kind=CommendationProposal.NomineeKind.COLLECTIVE,
        achievements="Tuyên truyền kịp thời",
        form="Giấy khen",
        year=2026,
        proposing_agency=department,
        reviewing_agency=department,
        approving_agency=department,
        created_by=User.objects.get(username="dieuphoi"),
    )
    assert policy.can(leader, "programme.commendation_submit", proposal)
    assert "`lanhdao.btgdv`" in (Path(__file__).parents[2] / "README.md").read_text()


def _reviewed(prog: Any, *, recognised: bool = True) -> CommendationProposal:
    proposal = _proposal(prog, recognised=recognised)
    services.commendation_submit(by=prog.world.leader, proposal=proposal)
    return services.commendation_review(by=prog.home_affairs_handler, proposal=proposal)


def test_approval_waits_until_the_exemplary_model_is_recognised(prog: Any) -> None:
    proposal = _reviewed(prog, recognised=False)
    with pytest.raises(ValidationError) as refused:
        services.commendation_approve(by=prog.ubnd_leader, proposal=proposal, **DECISION)
    assert refused.value.messages == [
        "Chưa phê duyệt được: điển hình «Tổ hòa giải thôn Bản Chu» chưa được công nhận "
        "(Chờ thẩm định). Cần công nhận điển hình trước khi phê duyệt khen thưởng."
    ]
    proposal.refresh_from_db()
    assert proposal.state == S.REVIEWED and not proposal.decision_number
    model = proposal.exemplary_model
    assert model is not None
    editing.exemplary_review(by=prog.world.coordinator, model=model, approve=True)
    services.commendation_approve(by=prog.ubnd_leader, proposal=proposal, **DECISION)
    assert proposal.state == S.APPROVED


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234/QĐ-UBND", "1234/QĐ-UBND"),
        (" 15/qđ-ctubnd ", "15/QĐ-CTUBND"),
        ("12/2026/QĐ-UBND", "12/2026/QĐ-UBND"),
        ("45-QĐ/TU", "45-QĐ/TU"),
    ],
)
def test_a_decision_number_in_the_official_form_is_accepted(
    prog: Any, typed: str, stored: str
) -> None:
    proposal = services.commendation_approve(
        by=prog.ubnd_leader, proposal=_reviewed(prog), decision_number=typed, decision_date=DAY
    )
    assert proposal.decision_number == stored


@pytest.mark.parametrize("typed", ["abc", "1234", "QĐ-UBND", "12/", "abc/xyz", "1234 QĐ UBND"])
def test_a_decision_number_not_in_the_official_form_is_refused(prog: Any, typed: str) -> None:
    proposal = _reviewed(prog)
    with pytest.raises(ValidationError) as refused:
        services.commendation_approve(
            by=prog.ubnd_leader, proposal=proposal, decision_number=typed, decision_date=DAY
        )
    (message,) = refused.value.error_dict["decision_number"][0].messages
    assert "ví dụ «1234/QĐ-UBND»" in message
    assert CommendationProposal.objects.get(pk=proposal.pk).state == S.REVIEWED


def test_each_step_says_what_was_done(prog: Any) -> None:
    w = prog.world
    proposal = _proposal(prog)
    base = f"/cong-viec/chuong-trinh/khen-thuong/{proposal.pk}/"

    def act(user: Any, action: str, data: dict[str, str] | None = None) -> Any:
        client = Client()
        client.force_login(user)
        return client.post(f"{base}{action}/", data or {}, follow=True)

    def said(response: Any) -> list[str]:
        return [str(m) for m in response.context["messages"]]

    assert said(act(w.leader, "submit")) == ["Đã trình đề xuất khen thưởng."]
    assert said(act(prog.home_affairs_handler, "review")) == ["Đã xác nhận hồ sơ đạt."]
    bad = act(
        prog.ubnd_leader,
        "approve",
        {"approve-decision_number": "abc", "approve-decision_date": "02/03/2026"},
    )
    assert bad.status_code == 400
    assert "Số quyết định «ABC» chưa đúng dạng" in bad.content.decode()
    good = act(
        prog.ubnd_leader,
        "approve",
        {"approve-decision_number": "1234/QĐ-UBND", "approve-decision_date": "02/03/2026"},
    )
    assert said(good) == ["Đã phê duyệt khen thưởng."]


def test_the_programme_report_lists_only_recognised_models(prog: Any) -> None:
    w = prog.world
    recognised = _proposal(prog).exemplary_model
    assert recognised is not None
    services.exemplary_create(
        by=w.handler,
        name="Chi hội nông dân thôn Khòn Pát",
        kind=ExemplaryModel.Kind.COLLECTIVE,
        achievements="Hiến đất làm đường",
        proposing_agency=w.dept,
    )
    doc = programme_report(period=parse_period(str(timezone.localdate().year)))
    tables = [b.table for b in doc.blocks if b.table is not None]
    (models,) = [t for t in tables if t.caption == "Điển hình tiên tiến, nhân tố mới"]
    assert [row[0] for row in models.rows] == [recognised.name]
    texts = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert "Ngoài ra, 1 điển hình đang chờ thẩm định, chưa đưa vào danh sách." in texts


def test_the_provincial_committee_heads_the_approving_agency_list(prog: Any) -> None:
    for n in range(3):
        AgencyFactory(code=f"xa-{n}", name=f"UBND Xã Bắc Sơn {n}", kind=Agency.Kind.COMMUNE)
    form = CommendationForm(agency_ids={prog.world.dept.pk})
    groups = form.fields["approving_agency"].choices[1:]  # after «---------»
    assert groups[0] == ("Ủy ban nhân dân", [(prog.ubnd.pk, prog.ubnd.name)])
    assert [label for label, _m in groups].index("Xã, phường") > 0
    # The reviewing agency keeps the usual order: departments first.
    assert form.fields["reviewing_agency"].choices[1][0] == "Sở, ban, ngành"
