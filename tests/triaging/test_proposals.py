"""Triage in the product: each new signal gets a proposal with evidence; staff accept or
correct it in one click; corrections are audited and become training data."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.core.models import Agency, AuditEvent, Field, RoutingEntry
from phoihop.core.places import LANG_SON, places_load
from phoihop.factcheck.models import Claim, Sighting
from phoihop.intake.models import Signal
from phoihop.triage.normalize import content_hash, fold
from phoihop.triaging import runtime, services
from phoihop.triaging.models import TriageProposal

P = TriageProposal


def triage(signal: Signal) -> TriageProposal:
    services.triage_signals(signal_ids=[signal.pk])
    return TriageProposal.objects.get(signal=signal)


def _signal(text: str, *, issue: Issue | None = None, source: str = "test") -> Signal:
    return Signal.objects.create(
        channel=Signal.Channel.PETITION,
        source=source,
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        search_text=fold(text),
        issue=issue,
    )


@pytest.fixture
def province(world: Any) -> Any:
    """Lạng Sơn's communes, the court, fields with their routing, one land issue."""
    places_load(province_code=LANG_SON)
    Agency.objects.create(code="tand", name="Tòa án nhân dân tỉnh", kind=Agency.Kind.COURT)
    land = world.field
    RoutingEntry.objects.create(field=land, agency=world.dept)
    Field.objects.create(code="tu_phap", name="Tư pháp")
    issue = cases.issue_create(by=world.coordinator, title="Chậm bồi thường giải phóng mặt bằng")
    cases.issue_classify(issue=issue, by=world.coordinator, field=land)
    for i, text in enumerate(
        [
            "Cử tri đề nghị sớm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc",
            "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án đường cao tốc cho các hộ dân",
        ]
    ):
        _signal(text, issue=issue, source=f"seed-{i}")
    runtime.forget()
    world.issue = issue
    return world


def test_a_near_duplicate_without_diacritics_goes_to_the_existing_issue(province: Any) -> None:
    signal = _signal("cu tri de nghi som chi tra tien boi thuong giai phong mat bang du an cao toc")
    proposal = triage(signal)
    assert proposal.decision in (P.Decision.JOIN, P.Decision.SUGGEST)
    assert proposal.issue == province.issue
    assert proposal.score > 0.45
    assert proposal.evidence["group"]["neighbours"][0]["issue_id"] == f"i:{province.issue.pk}"
    if proposal.decision == P.Decision.JOIN:
        signal.refresh_from_db()
        assert signal.issue == province.issue and proposal.state == P.State.AUTO
    assert AuditEvent.objects.filter(action="signal.triage", target_id=str(signal.pk)).exists()


def test_a_court_matter_in_a_ward_is_routed_with_its_reason_and_place(province: Any) -> None:
    signal = _signal(
        "Người dân phường Lương Văn Tri đề nghị Tòa án công khai bản án vụ lừa đảo "
        "và thời gian xét xử phúc thẩm"
    )
    proposal = triage(signal)
    assert proposal.decision == P.Decision.NEW and proposal.issue is None
    assert proposal.cluster is not None and proposal.cluster.size == 1
    assert proposal.agency is not None and proposal.agency.code == "tand"
    assert proposal.route_reason  # the reason is shown to staff
    assert proposal.place is not None and proposal.place.name == "Phường Lương Văn Tri"
    assert proposal.state == P.State.PENDING


def test_accepting_a_new_issue_opens_classifies_and_assigns_it(province: Any) -> None:
    signal = _signal("Đề nghị Tòa án công khai bản án vụ lừa đảo đầu tư, xét xử đúng pháp luật")
    proposal = triage(signal)
    proposal.field = Field.objects.get(code="tu_phap")
    proposal.save()
    issue = services.proposal_accept(proposal=proposal, by=province.coordinator)
    signal.refresh_from_db()
    assert signal.issue == issue
    assert issue.state == Issue.State.ASSIGNED and issue.field.code == "tu_phap"
    assert issue.lead_assignment is not None and issue.lead_assignment.agency.code == "tand"
    proposal.refresh_from_db()
    assert proposal.state == P.State.ACCEPTED and proposal.decided_by == province.coordinator


def test_a_correction_moves_the_signal_is_audited_and_becomes_training_data(
    province: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    other = cases.issue_create(by=province.coordinator, title="Học phí trường THPT")
    signal = _signal("Phụ huynh phản ánh thu học phí cao ở trường trung học phổ thông")
    proposal = triage(signal)
    education = Field.objects.create(code="giao_duc", name="Giáo dục")
    with django_capture_on_commit_callbacks(execute=True):
        issue = services.proposal_correct(
            proposal=proposal, by=province.coordinator, issue=other, field=education
        )
    assert DBTaskResult.objects.filter(task_path__endswith="apply_journal").count() == 1
    assert issue == other
    signal.refresh_from_db()
    assert signal.issue == other
    proposal.refresh_from_db()
    assert proposal.state == P.State.CORRECTED and proposal.field == education
    event = AuditEvent.objects.get(action="proposal.correct")
    assert event.after["issue"] == other.code and event.after["field"] == "giao_duc"
    examples = {(e.text, e.label) for e in runtime.confirmed_examples()}
    assert (signal.text, "giao_duc") in examples


def test_only_coordinators_decide(province: Any) -> None:
    proposal = triage(_signal("Đường liên xã xuống cấp nghiêm trọng"))
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=proposal, by=province.handler)


def test_a_signal_like_a_registered_false_claim_is_linked_to_it(province: Any) -> None:
    claim = Claim.objects.create(
        wording="Tỉnh sẽ thu hồi toàn bộ đất nông nghiệp của xã Na Sầm để mở rộng khu kinh tế",
        summary="Tin đồn thu hồi đất Na Sầm",
        first_seen_on=timezone.localdate(),
        risk=Claim.Risk.HIGH,
        created_by=province.coordinator,
        competent_agency=province.dept,
    )
    runtime.forget()
    signal = _signal(
        "Nghe nói tỉnh sắp thu hồi toàn bộ đất nông nghiệp xã Na Sầm để mở rộng khu kinh tế"
    )
    proposal = triage(signal)
    assert proposal.evidence["claims"][0]["claim_id"] == str(claim.pk)
    assert Sighting.objects.filter(claim=claim, signal=signal).exists()


def test_the_signal_page_shows_the_proposal_and_accepts_in_one_click(province: Any) -> None:
    signal = _signal("Đề nghị sửa chữa cầu treo bị hư hỏng ở phường Tam Thanh")
    triage(signal)
    client = Client()
    client.force_login(province.coordinator)
    page = client.get(f"/cong-viec/tiep-nhan/{signal.pk}/").content.decode()
    assert "Đề xuất phân loại" in page and "Cơ quan có thẩm quyền" in page
    response = client.post(f"/cong-viec/tiep-nhan/{signal.pk}/de-xuat/chap-nhan/")
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.issue is not None
    assert P.objects.get(signal=signal).decided_by == province.coordinator
    # A handler neither sees a signal not yet linked to an issue nor decides on it.
    other = _signal("Đề nghị lắp đèn chiếu sáng đường vào thôn")
    triage(other)
    handler = Client()
    handler.force_login(province.handler)
    assert handler.post(f"/cong-viec/tiep-nhan/{other.pk}/de-xuat/chap-nhan/").status_code == 404
    assert P.objects.get(signal=other).state == P.State.PENDING


def test_the_router_is_rebuilt_only_when_agencies_or_routing_change(province: Any) -> None:
    """The worker reads the routing at every task and keeps its router while nothing changed;
    a court created between two signals routes the second one."""
    Agency.objects.filter(code="tand").delete()
    first = triage(_signal("Đề nghị Tòa án công khai bản án vụ lừa đảo đầu tư"))
    assert first.agency is None or first.agency.code != "toa"
    held = runtime.current()
    router = held.engine.router
    runtime.current()
    assert held.engine.router is router  # nothing changed: the same router
    Agency.objects.create(code="toa", name="Tòa án nhân dân tỉnh", kind=Agency.Kind.COURT)
    second = triage(_signal("Đề nghị Tòa án xét xử công khai vụ lừa đảo đầu tư đất nền"))
    assert held.engine.router is not router
    assert second.agency is not None and second.agency.code == "toa"


def test_a_new_issue_takes_its_title_from_the_citizens_first_sentence(province: Any) -> None:
    """A signal titled only with its field's name (an Open311 request stored so) or not at
    all opens an issue titled with the citizen's words, cut after a whole word."""
    text = (
        "Khói bụi từ trạm trộn bê tông ở phường Tam Thanh bay vào nhà dân suốt ngày đêm! "
        "Đề nghị kiểm tra và xử lý."
    )
    signal = _signal(text)
    Signal.objects.filter(pk=signal.pk).update(title=province.field.name)
    signal.refresh_from_db()
    proposal = triage(signal)
    assert proposal.decision == P.Decision.NEW
    issue = services.proposal_accept(proposal=proposal, by=province.coordinator)
    assert issue.title == (
        "Khói bụi từ trạm trộn bê tông ở phường Tam Thanh bay vào nhà dân suốt ngày đêm!"
    )
    long = _signal("Người dân thôn Nà Pàn phản ánh " + "đường liên xã xuống cấp nghiêm trọng " * 12)
    issue = services.proposal_accept(proposal=triage(long), by=province.coordinator)
    cut = issue.title.removesuffix("…")
    assert len(issue.title) <= 300 and cut != issue.title  # shortened, after a whole word
    assert long.text.startswith(cut) and long.text[len(cut)] == " "


def test_a_signal_sent_to_a_merged_issue_goes_where_it_was_merged(province: Any) -> None:
    """Merged issues close pointing at the one they joined: a signal picked for one follows
    the chain; a closed issue that was not merged takes no more signals."""
    kept = province.issue
    middle = cases.issue_create(by=province.coordinator, title="Bồi thường chậm ở cao tốc")
    absorbed = cases.issue_create(by=province.coordinator, title="Chưa nhận tiền bồi thường")
    cases.issue_merge(source=absorbed, target=middle, by=province.coordinator)
    cases.issue_merge(source=middle, target=kept, by=province.coordinator)  # a chain
    signal = _signal("Hộ dân chưa nhận tiền đền bù đất làm đường cao tốc")
    issue = services.proposal_correct(
        proposal=triage(signal), by=province.coordinator, issue=absorbed
    )
    signal.refresh_from_db()
    assert issue == kept and signal.issue == kept
    closed = cases.issue_create(by=province.coordinator, title="Xin cấp sổ đỏ")
    Issue.objects.filter(pk=closed.pk).update(state=Issue.State.CLOSED)
    other = _signal("Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho thôn Nà Pàn")
    with pytest.raises(ValidationError) as refused:
        services.proposal_correct(proposal=triage(other), by=province.coordinator, issue=closed)
    assert refused.value.message_dict["issue"][0].startswith("Ghép vào vấn đề: vấn đề ")
    other.refresh_from_db()
    assert other.issue is None


def test_the_signal_page_takes_a_code_typed_any_way_and_says_where_it_merged(
    province: Any,
) -> None:
    absorbed = cases.issue_create(by=province.coordinator, title="Chưa nhận tiền bồi thường")
    cases.issue_merge(source=absorbed, target=province.issue, by=province.coordinator)
    signal = _signal("Hộ dân chưa nhận tiền đền bù đất làm đường cao tốc")
    triage(signal)
    client = Client()
    client.force_login(province.coordinator)
    typed = absorbed.code.replace("-", "").lower()  # «vd202600002»
    response = client.post(
        f"/cong-viec/tiep-nhan/{signal.pk}/de-xuat/sua/", {"issue_code": typed}, follow=True
    )
    page = response.content.decode()
    kept = province.issue.code
    assert f"{absorbed.code} đã được gộp vào {kept}: ý kiến được ghép vào {kept}" in page
    signal.refresh_from_db()
    assert signal.issue == province.issue
    closed = cases.issue_create(by=province.coordinator, title="Xin cấp sổ đỏ")
    Issue.objects.filter(pk=closed.pk).update(state=Issue.State.CLOSED)
    other = _signal("Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho thôn Nà Pàn")
    triage(other)
    page = client.post(
        f"/cong-viec/tiep-nhan/{other.pk}/de-xuat/sua/", {"issue_code": closed.code}, follow=True
    ).content.decode()
    assert f"Ghép vào vấn đề: vấn đề {closed.code} đã đóng" in page
    other.refresh_from_db()
    assert other.issue is None


def test_a_cluster_corrected_to_a_merged_issue_goes_where_it_was_merged(province: Any) -> None:
    absorbed = cases.issue_create(by=province.coordinator, title="Chưa nhận tiền bồi thường")
    cases.issue_merge(source=absorbed, target=province.issue, by=province.coordinator)
    proposal = triage(_signal("Đề nghị Tòa án công khai bản án vụ lừa đảo đầu tư"))
    assert proposal.cluster is not None
    issue = services.cluster_accept(
        cluster=proposal.cluster, by=province.coordinator, issue=absorbed
    )
    assert issue == province.issue


def test_an_automatic_join_and_a_move_out_are_in_the_issues_history(province: Any) -> None:
    from phoihop.cases.timeline import issue_timeline

    text = "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án đường cao tốc cho các hộ dân"
    signal = _signal(text, source="another-round")
    proposal = triage(signal)
    assert proposal.decision == P.Decision.JOIN and proposal.issue == province.issue
    score = f"{proposal.score:.2f}".replace(".", ",")
    joined = f"Tự động ghép ý kiến số {signal.pk} (độ tương đồng {score})"
    assert joined in [e.text for e in issue_timeline(issue=province.issue)]
    other = cases.issue_create(by=province.coordinator, title="Bồi thường đất rừng")
    services.proposal_correct(proposal=proposal, by=province.coordinator, issue=other)
    moved = f"Chuyển ý kiến số {signal.pk} sang {other.code}"
    assert moved in [e.text for e in issue_timeline(issue=province.issue)]
    client = Client()
    client.force_login(province.coordinator)
    page = client.get(f"/cong-viec/van-de/{province.issue.pk}/").content.decode()
    assert joined in page and moved in page
