"""An answer approved as «Đang giải quyết» with its roadmap: the outcome and the roadmap are
read where the answer is read (the issue page, the preview before publishing, the public page,
the citizen's look-up by tracking code)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from phoihop.cases import services
from phoihop.cases.models import Issue
from phoihop.intake import services as intake_services

pytestmark = pytest.mark.django_db

ROADMAP = "Quý I/2027 khảo sát, lập dự toán; quý II/2027 thi công sửa chữa."


def test_the_outcome_and_the_roadmap_are_shown_wherever_the_answer_is(world: Any) -> None:
    issue = services.issue_create(
        by=world.coordinator, title="Đường ĐT.234 xuống cấp", visibility="public"
    )
    received = intake_services.feedback_submit(content="Đường ĐT.234 nhiều ổ gà, đề nghị sửa")
    received.signal.issue = issue
    received.signal.save(update_fields=["issue"])
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    services.assignment_accept(assignment=lead, by=world.handler)
    services.assignment_respond(assignment=lead, by=world.handler, text="Đã bố trí vốn.")
    services.issue_answer(
        issue=issue,
        by=world.leader,
        text="Đã bố trí vốn sửa chữa.",
        outcome=Issue.Outcome.IN_PROGRESS,
        roadmap=ROADMAP,
    )
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    page = coordinator.get(f"/cong-viec/van-de/{issue.pk}/").content.decode()
    answer_card = page[page.index('class="card answer"') :]
    answer_card = answer_card[: answer_card.index("</section>")]
    preview = page[page.index('class="preview"') :]
    preview = preview[: preview.index("</div>")]
    for part in (answer_card, preview):
        assert "Kết quả giải quyết:</strong> Đang giải quyết" in part
        assert ROADMAP in part
    services.issue_publish(issue=issue, by=world.coordinator)
    public = Client().get(f"/tra-loi/{issue.pk}/").content.decode()
    assert "Đang giải quyết" in public and ROADMAP in public
    assert public.count("Ngày tiếp nhận") == 1
    # and the citizen who sent it reads them by their tracking code
    look_up = Client().get(f"/tra-cuu/?ma={received.signal.tracking_code}").content.decode()
    assert "Đang giải quyết" in look_up and ROADMAP in look_up
