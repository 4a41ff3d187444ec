"""The rebuttal path: claim → verification → draft → sign-off by the competent agency →
publication with ClaimReview and guidance to the network; each step by the right people."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from tests.factcheck.conftest import signal
from tests.factories import AgencyFactory, member

from phoihop.core.models import AuditEvent, Membership
from phoihop.factcheck import selectors, services
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.portal.models import Article
from phoihop.programme import services as programme
from phoihop.programme.models import Guidance, NetworkMember

S = Claim.Status


def _draft(world: Any, claim: Claim) -> Rebuttal:
    services.claim_start_verification(claim=claim, by=world.coordinator)
    return services.rebuttal_draft(
        claim=claim,
        by=world.coordinator,
        title="Không có chuyện tòa án xử oan nông dân",
        text="Bản án đã được xét xử công khai, đúng pháp luật.",
    )


def test_claim_to_published_rebuttal(world: Any, court: Any, claim: Claim) -> None:
    programme.network_member_add(
        by=world.coordinator,
        user=world.handler,
        kind=NetworkMember.Kind.REPORTER,
        agency=world.dept,
    )
    rebuttal = _draft(world, claim)
    assert claim.status == S.VERIFYING and rebuttal.confirming_agency == court.agency

    with pytest.raises(ValidationError):  # not confirmed yet
        services.rebuttal_publish(rebuttal=rebuttal, by=world.coordinator)

    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader, note="Đúng nội dung bản án")
    assert rebuttal.state == Rebuttal.State.CONFIRMED
    assert rebuttal.confirmed_by == court.leader and rebuttal.confirmed_at is not None

    services.rebuttal_publish(rebuttal=rebuttal, by=world.coordinator)
    claim.refresh_from_db()
    rebuttal.refresh_from_db()
    assert claim.status == S.REBUTTED
    assert rebuttal.state == Rebuttal.State.PUBLISHED
    # Published on the portal as a rebuttal article carrying the ClaimReview.
    article = Article.objects.get(title=rebuttal.title)
    assert rebuttal.portal_url == article.get_absolute_url()
    assert article.state == Article.State.PUBLISHED
    page = Client().get(rebuttal.portal_url).content.decode()
    assert '"@type": "ClaimReview"' in page or '"@type":"ClaimReview"' in page
    assert claim.wording in page
    review = rebuttal.claim_review()
    assert review["claimReviewed"] == claim.wording
    assert review["reviewRating"]["alternateName"] == "Sai sự thật"
    assert review["author"]["name"] == "Ban Tuyên giáo và Dân vận"
    assert review["datePublished"] == timezone.localdate().isoformat()
    assert review["reviewBody"] == rebuttal.text

    guidance = rebuttal.guidance
    assert guidance is not None and guidance.state == Guidance.State.ISSUED
    assert [r.member.user for r in guidance.recipients.all()] == [world.handler]

    actions = list(
        AuditEvent.objects.filter(scope=f"claim:{claim.pk}")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "claim.register",
        "claim.link_signal",
        "claim.verify",
        "rebuttal.draft",
        "rebuttal.confirm",
        "rebuttal.publish",
        "claim.rebut",
    ]


def test_only_the_competent_agency_leader_signs_off(world: Any, court: Any, claim: Claim) -> None:
    rebuttal = _draft(world, claim)
    procuracy = AgencyFactory(code="vksnd", kind="procuracy", name="Viện kiểm sát")
    wrong_leader = member(procuracy, Membership.Role.LEADER, "lanhdao.vks")
    for wrong in (world.coordinator, world.leader, wrong_leader, court.handler):
        with pytest.raises(PermissionDenied):
            services.rebuttal_confirm(rebuttal=rebuttal, by=wrong)
    assert Rebuttal.objects.get(pk=rebuttal.pk).state == Rebuttal.State.DRAFT
    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader)


def test_only_propaganda_coordinators_draft_and_publish(
    world: Any, court: Any, claim: Claim
) -> None:
    hdnd = AgencyFactory(code="hdnd", kind="council")
    other_coordinator = member(hdnd, Membership.Role.COORDINATOR, "hdnd")
    with pytest.raises(PermissionDenied):
        services.claim_start_verification(claim=claim, by=other_coordinator)
    services.claim_start_verification(claim=claim, by=world.coordinator)
    with pytest.raises(PermissionDenied):
        services.rebuttal_draft(claim=claim, by=court.leader, title="x", text="y")
    rebuttal = services.rebuttal_draft(claim=claim, by=world.coordinator, title="x", text="y")
    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader)
    with pytest.raises(PermissionDenied):
        services.rebuttal_publish(rebuttal=rebuttal, by=court.leader)
    with pytest.raises(PermissionDenied):
        services.rebuttal_publish(rebuttal=rebuttal, by=other_coordinator)


def test_rewriting_a_confirmed_draft_asks_for_confirmation_again(
    world: Any, court: Any, claim: Claim
) -> None:
    rebuttal = _draft(world, claim)
    services.rebuttal_return(rebuttal=rebuttal, by=court.leader, reason="Sửa số bản án")
    assert rebuttal.returned_reason == "Sửa số bản án"
    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader)
    rebuttal = services.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Tiêu đề mới", text="Nội dung mới"
    )
    assert rebuttal.state == Rebuttal.State.DRAFT and rebuttal.confirmed_by is None


def test_claim_closed_as_not_false_needs_a_reason(world: Any, claim: Claim) -> None:
    with pytest.raises(ValidationError):
        services.claim_close(claim=claim, by=world.coordinator, outcome=S.NOT_FALSE, reason="")
    services.claim_close(
        claim=claim, by=world.coordinator, outcome=S.NOT_FALSE, reason="Thông tin đúng"
    )
    assert claim.status == S.NOT_FALSE
    with pytest.raises(ValidationError):
        services.claim_start_verification(claim=claim, by=world.coordinator)


def test_signals_are_counted_over_time_and_linked_once(world: Any, claim: Claim) -> None:
    second = signal("Lại thấy tin tòa án xử oan", source="bao")
    assert services.claim_link_signal(claim=claim, signal=second, score=0.8) is not None
    assert services.claim_link_signal(claim=claim, signal=second) is None
    assert selectors.sightings_over_time(claim=claim) == [(timezone.localdate(), 2)]
    assert selectors.claims().get(pk=claim.pk).sighting_count == 2  # type: ignore[attr-defined]
    assert list(selectors.claims(q="toa an xu oan")) == [claim]


def test_a_signal_matched_to_a_rebutted_claim_shows_its_rebuttal(
    world: Any, court: Any, claim: Claim
) -> None:
    rebuttal = _draft(world, claim)
    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader)
    services.rebuttal_publish(rebuttal=rebuttal, by=world.coordinator, send_guidance=False)
    later = signal("Tin đồn tòa án xử oan nông dân lại lan truyền", source="zalo")
    assert not selectors.rebuttals_for_signal(signal=later).exists()
    services.claim_link_signal(claim=claim, signal=later, score=0.9)
    assert list(selectors.rebuttals_for_signal(signal=later)) == [rebuttal]


def test_issue_repeating_a_rebutted_claim_is_answered_with_it_in_one_step(
    world: Any, court: Any, claim: Claim
) -> None:
    from phoihop.cases import services as cases
    from phoihop.cases.models import Issue

    rebuttal = _draft(world, claim)
    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader)
    services.rebuttal_publish(rebuttal=rebuttal, by=world.coordinator, send_guidance=False)

    issue = cases.issue_create(by=world.coordinator, title="Dư luận về vụ án đất đai")
    cases.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = cases.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    cases.assignment_accept(assignment=lead, by=world.handler)
    repeated = signal("Người ta nói tòa án xử oan nông dân", source="zalo")
    repeated.issue = issue
    repeated.save()

    with pytest.raises(PermissionDenied):
        services.answer_with_rebuttal(by=world.other_leader, signal=repeated, rebuttal=rebuttal)
    services.answer_with_rebuttal(by=world.leader, signal=repeated, rebuttal=rebuttal)
    issue.refresh_from_db()
    assert issue.state == Issue.State.ANSWERED
    assert rebuttal.text in issue.answer and issue.answer.startswith("Sai sự thật")
    assert list(selectors.rebuttals_for_signal(signal=repeated)) == [rebuttal]
