"""What a citizen reads when looking up a tracking code, at each step of the answer."""

from __future__ import annotations

from typing import Any

from django.test import Client

from phoihop.cases import services
from phoihop.cases.models import Issue
from phoihop.intake.models import Signal
from phoihop.intake.selectors import tracking_status
from phoihop.triage.normalize import content_hash

ANSWER = "Đã nạo vét cống thoát nước khối 5."


def _feedback_on_answered_issue(world: Any, visibility: str) -> Issue:
    issue = services.issue_create(by=world.coordinator, title="Cống tắc", visibility=visibility)
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    lead = services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    services.assignment_respond(assignment=lead, by=world.handler, text=ANSWER)
    services.issue_answer(issue=issue, by=world.leader, text=ANSWER)
    text = "Cống thoát nước khối 5 bị tắc."
    Signal.objects.create(
        channel=Signal.Channel.FEEDBACK,
        source="phan-anh",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        issue=issue,
        tracking_code="PA-AAAA-BBBB",
    )
    return issue


def test_an_approved_answer_waits_for_publication_and_then_is_shown(world: Any) -> None:
    issue = _feedback_on_answered_issue(world, Issue.Visibility.PUBLIC)
    waiting = tracking_status(code="PA-AAAA-BBBB")
    assert waiting is not None
    assert waiting.status == "Đã có trả lời, đang chờ công bố" and waiting.answer is None
    page = Client().get("/tra-cuu/", {"ma": "PA-AAAA-BBBB"}).content.decode()
    assert "đang chờ công bố" in page and ANSWER not in page
    services.issue_publish(issue=issue, by=world.coordinator)
    published = tracking_status(code="PA-AAAA-BBBB")
    assert published is not None
    assert published.status == "Đã có trả lời" and published.answer == ANSWER


def test_an_internal_answer_is_never_shown_and_says_so_once_closed(world: Any) -> None:
    issue = _feedback_on_answered_issue(world, Issue.Visibility.INTERNAL)
    services.issue_close(issue=issue, by=world.coordinator)
    status = tracking_status(code="PA-AAAA-BBBB")
    assert status is not None and status.answer is None
    assert "không đăng công khai" in status.status


def test_a_code_typed_without_hyphens_or_with_spaces_finds_the_feedback(world: Any) -> None:
    _feedback_on_answered_issue(world, Issue.Visibility.PUBLIC)
    for typed in ("PAAAAABBBB", "paaaaabbbb", "pa aaaa bbbb", " PA.AAAA.BBBB ", "AAAA BBBB"):
        status = tracking_status(code=typed)
        assert status is not None and status.code == "PA-AAAA-BBBB", typed
    page = Client().get("/tra-cuu/", {"ma": "PAAAAABBBB"}).content.decode()
    assert "Phản ánh mã PA-AAAA-BBBB" in page and "Không tìm thấy" not in page
    assert 'value="PA-AAAA-BBBB"' in page


def test_an_unknown_code_in_any_form_is_not_found_and_tells_nothing(world: Any) -> None:
    _feedback_on_answered_issue(world, Issue.Visibility.PUBLIC)
    for typed in ("PAAAAABBBC", "pa-aaaa-bbb", "AAAABBBBB", "PA-AAAA-BBBB-1"):
        assert tracking_status(code=typed) is None, typed
        page = Client().get("/tra-cuu/", {"ma": typed}).content.decode()
        assert "Không tìm thấy phản ánh có mã" in page and "Cống tắc" not in page, typed
        assert "Phản ánh mã" not in page and ANSWER not in page, typed
