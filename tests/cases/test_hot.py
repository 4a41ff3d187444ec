"""Hot issues are visible where staff look: the issue list, «Việc của tôi» and the dashboard,
with the same score as on the issue's page; the dashboard counts each signal once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.factories import AgencyFactory, member

from phoihop.cases import hot, selectors, services
from phoihop.cases.models import Assignment, Issue
from phoihop.core import inbox
from phoihop.core.models import Membership
from phoihop.intake.models import Signal
from phoihop.reports import selectors as report_selectors
from phoihop.triage.normalize import content_hash


def _signals(issue: Issue, channels: list[str], hours_ago: float) -> None:
    at = timezone.now() - dt.timedelta(hours=hours_ago)
    for n, channel in enumerate(channels):
        text = f"{issue.title} — ý kiến {channel} {n} {hours_ago}"
        signal = Signal.objects.create(
            channel=channel,
            source="thu",
            raw_text=text,
            text=text,
            content_hash=content_hash(text),
            issue=issue,
        )
        Signal.objects.filter(pk=signal.pk).update(received_at=at)


@pytest.fixture
def heating(world: Any) -> dict[str, Issue]:
    """A: seven signals in the last hours on three channels, assigned to two agencies (so
    joins on assignments would double it); B: a slow issue with an old history."""
    made = {}
    for key, title in (("a", "Ngập úng khu dân cư"), ("b", "Đường liên xã xuống cấp")):
        issue = services.issue_create(by=world.coordinator, title=title, visibility="internal")
        services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
        services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
        made[key] = issue
    services.issue_assign(
        issue=made["a"], by=world.coordinator, agency=world.other, role=Assignment.Role.SUPPORT
    )
    _signals(made["a"], ["social", "social", "social", "news", "news", "feedback", "social"], 2)
    _signals(made["a"], ["news"], 24 * 40)  # an old one: the baseline spans every window
    _signals(made["b"], ["petition"], 24 * 3)
    _signals(made["b"], ["petition"], 24 * 30)
    return made


def test_batch_hotness_matches_the_issue_page(heating: dict[str, Issue]) -> None:
    now = timezone.now()
    scores = hot.hotness_of(issue_ids=[i.pk for i in heating.values()], now=now)
    for issue in heating.values():
        assert scores[issue.pk] == selectors.issue_hotness(issue=issue, now=now)
    assert scores[heating["a"].pk].alert and not scores[heating["b"].pk].alert


def test_dashboard_counts_each_signal_once_and_shows_heating(
    world: Any, heating: dict[str, Issue]
) -> None:
    board = report_selectors.dashboard(issues=selectors.issues_visible_to(user=world.coordinator))
    counts = {issue.pk: n for issue, n in board.hot}
    assert counts[heating["a"].pk] == 7  # two agencies assigned, still seven signals
    assert [issue.pk for issue, _h in board.heating] == [heating["a"].pk]
    page = Client()
    page.force_login(world.coordinator)
    html = page.get("/cong-viec/bao-cao/").content.decode()
    assert "Vấn đề đang nóng lên" in html and "Ngập úng khu dân cư" in html


def test_inbox_tells_coordinators_and_the_assigned_agencies(
    world: Any, heating: dict[str, Issue]
) -> None:
    stranger = member(AgencyFactory(code="so-yt", name="Sở Y tế"), Membership.Role.HANDLER)
    for user, sees in ((world.coordinator, True), (world.handler, True), (stranger, False)):
        items = [i for i in inbox.items_for(user) if i.queue == "Vấn đề đang nóng lên"]
        assert [i.title for i in items] == (
            [f"{heating['a'].code} — Ngập úng khu dân cư"] if sees else []
        )
    client = Client()
    client.force_login(world.handler)
    html = client.get("/cong-viec/").content.decode()
    assert "Vấn đề đang nóng lên" in html and "7 ý kiến trong 24 giờ qua" in html


def test_issue_list_marks_hot_issues(world: Any, heating: dict[str, Issue]) -> None:
    client = Client()
    client.force_login(world.coordinator)
    html = client.get("/cong-viec/van-de/").content.decode()
    row_a = html.split("Ngập úng khu dân cư", 1)[1].split("</tr>", 1)[0]
    row_b = html.split("Đường liên xã xuống cấp", 1)[1].split("</tr>", 1)[0]
    assert "Đang nóng lên" in row_a and "Đang nóng lên" not in row_b


def test_petitions_of_an_old_meeting_imported_today_are_not_a_surge(world: Any) -> None:
    """Seven petitions of a voter meeting three weeks ago, imported just now: hotness counts
    them on the meeting day (as the triage engine does), so nothing is heating up."""
    issue = services.issue_create(by=world.coordinator, title="Đường ĐT.234", visibility="public")
    services.issue_classify(issue=issue, by=world.coordinator, field=world.field)
    services.issue_assign(issue=issue, by=world.coordinator, agency=world.dept)
    meeting = timezone.now() - dt.timedelta(days=21)
    _signals(issue, ["petition", "petition", "social", "news", "news", "feedback", "social"], 1)
    Signal.objects.filter(issue=issue).update(occurred_at=meeting)
    now = timezone.now()
    page = selectors.issue_hotness(issue=issue, now=now)
    assert page.count == 0 and not page.alert
    assert hot.hotness_of(issue_ids=[issue.pk], now=now)[issue.pk] == page
    assert hot.hot_issues(issues=Issue.objects.all(), now=now) == []
    # the same petitions sent today are a surge
    Signal.objects.filter(issue=issue).update(occurred_at=None)
    assert selectors.issue_hotness(issue=issue, now=now).alert
    assert [i for i, _h in hot.hot_issues(issues=Issue.objects.all(), now=now)] == [issue]


def test_the_issue_page_dates_a_petition_by_its_meeting(world: Any) -> None:
    """As the cluster it came from did: the meeting's day, not the import's."""
    issue = services.issue_create(by=world.coordinator, title="Đường ĐT.234", visibility="public")
    _signals(issue, ["petition"], 1)
    meeting = timezone.make_aware(dt.datetime(2026, 11, 20))
    Signal.objects.filter(issue=issue).update(occurred_at=meeting)
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(reverse("cases:issue_detail", args=[issue.pk])).content.decode()
    assert "Kiến nghị cử tri, 20/11/2026" in page
