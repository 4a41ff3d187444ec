"""Merging and splitting issues: nothing is lost, history is kept, thresholds learn."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from phoihop.cases import selectors, services, timeline
from phoihop.cases.models import Assignment, Issue
from phoihop.core.models import AuditEvent
from phoihop.intake.models import Signal
from phoihop.triage.normalize import content_hash, fold
from phoihop.triaging import runtime
from phoihop.triaging import services as triaging
from phoihop.triaging.models import GroupingFeedback


def _signal(text: str, issue: Issue) -> Signal:
    return Signal.objects.create(
        channel=Signal.Channel.PETITION,
        source="t",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        search_text=fold(text),
        issue=issue,
    )


@pytest.fixture
def two(world: Any) -> tuple[Issue, Issue]:
    a = services.issue_create(by=world.coordinator, title="Chậm bồi thường cao tốc")
    services.issue_classify(issue=a, by=world.coordinator, field=world.field)
    services.issue_assign(issue=a, by=world.coordinator, agency=world.dept)
    b = services.issue_create(by=world.coordinator, title="Chưa nhận tiền đền bù đường cao tốc")
    services.issue_classify(issue=b, by=world.coordinator, field=world.field)
    services.issue_assign(issue=b, by=world.coordinator, agency=world.other)
    _signal("Cử tri hỏi khi nào được chi trả tiền bồi thường cao tốc", a)
    _signal("Hộ dân chưa nhận tiền đền bù làm đường cao tốc", b)
    _signal("Đền bù đất làm cao tốc còn chậm", b)
    runtime.forget()
    return a, b


def test_merge_moves_signals_cancels_open_work_and_keeps_the_trail(world: Any, two: Any) -> None:
    a, b = two
    services.issue_merge(source=b, target=a, by=world.coordinator)
    b.refresh_from_db()
    assert b.state == Issue.State.CLOSED and b.merged_into == a
    assert a.signals.count() == 3 and b.signals.count() == 0
    assert not b.assignments.filter(state__in=Assignment.OPEN_STATES).exists()
    assert b.assignments.get().state == Assignment.State.CANCELLED
    texts = " ".join(e.text for e in timeline.issue_timeline(issue=b))
    assert "Gộp vào vấn đề khác" in texts and a.code in texts
    assert AuditEvent.objects.filter(action="issue.absorb", target_id=str(a.pk)).exists()
    triaging.apply_journal()  # the triage worker scores the pair with its engine
    feedback = GroupingFeedback.objects.get()
    assert feedback.same and feedback.kind == "merge" and 0 < feedback.score <= 1


def test_split_moves_chosen_signals_to_a_new_issue(world: Any, two: Any) -> None:
    _a, b = two
    moving = b.signals.order_by("id").last()
    new = services.issue_split(issue=b, by=world.coordinator, signal_ids=[moving.pk], title="")
    assert list(new.signals.all()) == [moving]
    assert b.signals.count() == 1
    assert new.field == b.field and new.state == Issue.State.RECEIVED
    triaging.apply_journal()
    assert GroupingFeedback.objects.get(kind="split").same is False
    assert AuditEvent.objects.filter(action="issue.split_from", target_id=str(new.pk)).exists()


def test_regrouping_is_for_coordinators_and_refuses_nonsense(world: Any, two: Any) -> None:
    a, b = two
    with pytest.raises(PermissionDenied):
        services.issue_merge(source=b, target=a, by=world.handler)
    with pytest.raises(ValidationError):
        services.issue_merge(source=a, target=a, by=world.coordinator)
    with pytest.raises(ValidationError):
        services.issue_split(issue=b, by=world.coordinator, signal_ids=[], title="x")


def test_staff_feedback_retunes_the_grouping_thresholds(world: Any, two: Any) -> None:
    before = runtime.current().engine.thresholds
    for i in range(12):
        GroupingFeedback.objects.create(kind="merge", score=0.30 + i * 0.001, same=True)
        GroupingFeedback.objects.create(kind="split", score=0.10 + i * 0.001, same=False)
    runtime.forget()
    runtime.snapshot_path().unlink(missing_ok=True)
    after = runtime.current().engine.thresholds
    assert after != before
    assert after.suggest < before.suggest  # same-issue pairs around 0.3 now reach the suggest band


def test_merge_and_split_in_the_browser(world: Any, two: Any) -> None:
    a, b = two
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(f"/cong-viec/van-de/{b.pk}/").content.decode()
    assert "Gộp vấn đề này vào vấn đề khác" in page and "Tách một số tín hiệu" in page
    bad = client.post(
        f"/cong-viec/van-de/{b.pk}/nhom/gop/", {"target": "VD-0000-99999"}, follow=True
    )
    assert "Không có vấn đề mã" in bad.content.decode()
    response = client.post(f"/cong-viec/van-de/{b.pk}/nhom/gop/", {"target": a.code.lower()})
    assert response["Location"] == f"/cong-viec/van-de/{a.pk}/"
    b.refresh_from_db()
    assert b.merged_into == a


def test_an_issue_whose_signals_surge_across_channels_is_flagged_hot(world: Any, two: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    a, _b = two
    now = timezone.now()
    Signal.objects.filter(issue=a).update(received_at=now - dt.timedelta(days=10))
    for i, channel in enumerate(["news", "social", "social", "feedback", "petition", "social"]):
        signal = _signal(f"Bức xúc vì chậm bồi thường cao tốc, ý kiến số {i}", a)
        Signal.objects.filter(pk=signal.pk).update(channel=channel, received_at=now)
    hot = selectors.issue_hotness(issue=a, now=now)
    assert hot.alert and hot.count == 6 and len(hot.channels) == 4
    quiet = selectors.issue_hotness(issue=two[1], now=now)
    assert not quiet.alert
    page = Client()
    page.force_login(world.coordinator)
    assert "Đang nóng lên" in page.get(f"/cong-viec/van-de/{a.pk}/").content.decode()
