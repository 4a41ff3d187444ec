"""Rebuttals waiting on someone reach «Việc của tôi»."""

from __future__ import annotations

from typing import Any

from phoihop.core import inbox
from phoihop.factcheck import services
from phoihop.factcheck.models import Claim

SIGN = "Bài phản bác chờ lãnh đạo xác nhận thông tin"
PUBLISH = "Bài phản bác đã xác nhận, chờ đăng"
RETURNED = "Bài phản bác được đề nghị sửa"


def _queues(user: Any) -> set[str]:
    return {item.queue for item in inbox.items_for(user)}


def test_a_leader_is_told_a_rebuttal_awaits_sign_off_then_the_department_to_publish(
    world: Any, court: Any, claim: Claim
) -> None:
    services.claim_start_verification(claim=claim, by=world.coordinator)
    rebuttal = services.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Không có chuyện xử oan", text="Xét xử đúng luật."
    )
    item = next(i for i in inbox.items_for(court.leader) if i.queue == SIGN)
    assert item.title == "Không có chuyện xử oan" and item.urgent
    assert item.url == f"/cong-viec/phan-bac/{claim.pk}/"
    assert SIGN not in _queues(court.handler) and SIGN not in _queues(world.leader)

    services.rebuttal_return(rebuttal=rebuttal, by=court.leader, reason="Ghi rõ số bản án.")
    assert SIGN not in _queues(court.leader)
    returned = next(i for i in inbox.items_for(world.coordinator) if i.queue == RETURNED)
    assert returned.note == "Ghi rõ số bản án."

    services.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Không có chuyện xử oan", text="Bản án số 12."
    )
    rebuttal.refresh_from_db()
    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader)
    assert SIGN not in _queues(court.leader)
    assert PUBLISH in _queues(world.coordinator)
    services.rebuttal_publish(rebuttal=rebuttal, by=world.coordinator, send_guidance=False)
    assert PUBLISH not in _queues(world.coordinator)
