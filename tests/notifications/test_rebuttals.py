"""The bell for the rebuttal sign-off: the confirming agency's leaders hear, once per round
of drafting, that a rebuttal's facts wait for them."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from phoihop.core.models import Agency, User
from phoihop.factcheck import services as factcheck
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.notifications.models import Notification

pytestmark = pytest.mark.django_db
K = Notification.Kind


def _notes(user: User, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind).order_by("id"))


def _claim(world: Any, agency: Agency) -> Claim:
    claim = factcheck.claim_register(
        by=world.coordinator,
        wording="Thuốc trừ sâu làm chết cá hàng loạt trên sông Kỳ Cùng",
        summary="Cá chết vì thuốc trừ sâu",
        first_seen_on=timezone.localdate(),
        risk=Claim.Risk.HIGH,
        competent_agency=agency,
    )
    factcheck.claim_start_verification(claim=claim, by=world.coordinator)
    return claim


def test_the_confirming_leader_hears_once_that_a_rebuttal_waits_for_sign_off(
    world: Any,
) -> None:
    claim = _claim(world, world.dept)
    rebuttal = factcheck.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Cá chết không do thuốc trừ sâu", text="Kết quả."
    )
    [note] = _notes(world.leader, K.REBUTTAL_TO_CONFIRM)
    assert note.url == f"/cong-viec/phan-bac/{claim.pk}/"
    assert "Cá chết không do thuốc trừ sâu" in note.text and world.dept.name in note.text
    # only the leaders of the confirming agency: not its handler, not another agency's leader
    for other in (world.handler, world.viewer, world.other_leader, world.coordinator):
        assert _notes(other, K.REBUTTAL_TO_CONFIRM) == []

    # the department polishes the draft while it waits: the leader was already asked
    factcheck.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Cá chết không do thuốc trừ sâu", text="Sửa."
    )
    assert len(_notes(world.leader, K.REBUTTAL_TO_CONFIRM)) == 1

    # sent back and rewritten: a new round, asked again
    factcheck.rebuttal_return(
        rebuttal=rebuttal, by=world.leader, reason="Ghi rõ kết quả xét nghiệm"
    )
    factcheck.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Cá chết không do thuốc trừ sâu", text="Mẫu nước."
    )
    assert len(_notes(world.leader, K.REBUTTAL_TO_CONFIRM)) == 2
    rebuttal.refresh_from_db()
    factcheck.rebuttal_confirm(rebuttal=rebuttal, by=world.leader)
    assert rebuttal.state == Rebuttal.State.CONFIRMED
    assert len(_notes(world.leader, K.REBUTTAL_TO_CONFIRM)) == 2


def test_a_draft_moved_to_another_agency_is_told_to_that_agencys_leaders(world: Any) -> None:
    claim = _claim(world, world.dept)
    factcheck.rebuttal_draft(claim=claim, by=world.coordinator, title="Không đúng", text="X.")
    factcheck.rebuttal_draft(
        claim=claim,
        by=world.coordinator,
        title="Không đúng",
        text="X.",
        confirming_agency=world.other,
    )
    assert len(_notes(world.leader, K.REBUTTAL_TO_CONFIRM)) == 1
    assert len(_notes(world.other_leader, K.REBUTTAL_TO_CONFIRM)) == 1
