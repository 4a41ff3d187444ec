"""Hot issues everywhere staff look: the hotness of many issues at once (lists, dashboard)
and the «Việc của tôi» items for issues heating up. The score is the triage engine's
(`triage.hotness`), the same as on an issue's page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Max, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.cases.permissions import visible_issues_filter
from phoihop.cases.selectors import happened_at
from phoihop.core import inbox, policy
from phoihop.core.models import User
from phoihop.triage.hotness import Hotness, HotnessConfig, hotness


def _signals() -> QuerySet[Any]:
    """Signals through the issue's reverse relation: cases sits below intake and does not
    import it."""
    model = Issue._meta.get_field("signals").related_model
    assert isinstance(model, type)
    return model._default_manager.all()


OPEN_STATES = (
    Issue.State.RECEIVED,
    Issue.State.CLASSIFIED,
    Issue.State.ASSIGNED,
    Issue.State.IN_PROGRESS,
)


def hotness_of(*, issue_ids: Iterable[int], now: dt.datetime | None = None) -> dict[int, Hotness]:
    """The hotness of each issue, in two queries: the signals of the scoring horizon, and the
    first signal of each issue (which decides how many baseline windows it has lived)."""
    now = now or timezone.now()
    ids = list(issue_ids)
    if not ids:
        return {}
    cfg = HotnessConfig()
    horizon = now - cfg.window * (cfg.baseline_windows + 1)
    events: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    recent = (
        _signals()
        .filter(issue_id__in=ids)
        .annotate(at=happened_at())
        .filter(at__gt=horizon)
        .values_list("issue_id", "at", "channel")
    )
    for issue_id, at, channel in recent.iterator(chunk_size=2000):
        events[issue_id].append((at, channel))
    firsts = (
        Issue.objects.filter(pk__in=ids)
        .annotate(first=Min(happened_at("signals__")))
        .values_list("pk", "first")
    )
    for issue_id, first in firsts:
        if first is not None and first <= horizon:
            # Older than the baseline: it only tells `hotness` the issue lived all windows.
            events[issue_id].append((first, ""))
    return {pk: hotness(events[pk], now, cfg) for pk in ids if events.get(pk)}


def hot_issues(
    *, issues: QuerySet[Issue], now: dt.datetime | None = None, limit: int = 10
) -> list[tuple[Issue, Hotness]]:
    """Open issues whose hotness raises an alert, hottest first."""
    now = now or timezone.now()
    horizon = now - HotnessConfig().window
    candidates: list[Issue] = list(
        issues.filter(state__in=OPEN_STATES)
        .annotate(last=Max(happened_at("signals__")))
        .filter(last__gt=horizon)
        .order_by("pk")
    )
    scores = hotness_of(issue_ids=[i.pk for i in candidates], now=now)
    found = [(i, scores[i.pk]) for i in candidates if i.pk in scores and scores[i.pk].alert]
    return sorted(found, key=lambda pair: -pair[1].score)[:limit]


def inbox_items(user: User) -> list[inbox.WorkItem]:
    """«Việc của tôi»: issues heating up that the user can act on: coordinators see every
    one they may see; agency staff those assigned to their agency."""
    if not user.is_authenticated:
        return []
    issues = Issue.objects.filter(visible_issues_filter(user))
    if not policy.is_coordinator(user):
        issues = issues.filter(assignments__agency_id__in=policy.agency_ids(user))
    items = []
    for issue, hot in hot_issues(issues=issues, limit=20):
        items.append(
            inbox.WorkItem(
                queue=_("Vấn đề đang nóng lên"),
                title=f"{issue.code} — {issue.title}",
                url=reverse("cases:issue_detail", args=[issue.pk]),
                urgent=True,
                note=_("%(n)s ý kiến trong 24 giờ qua, gấp %(r)s lần mức nền")
                % {"n": hot.count, "r": f"{hot.ratio:.1f}".replace(".", ",")},
                order=10,
            )
        )
    return items
