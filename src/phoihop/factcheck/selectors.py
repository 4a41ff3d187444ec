"""Read-side questions about claims: the registry, where a claim spreads over time, and the
published rebuttal that answers a signal."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, QuerySet
from django.utils import timezone

from phoihop.core import search
from phoihop.factcheck import hooks
from phoihop.factcheck.models import Claim, Rebuttal, Sighting
from phoihop.intake.models import Signal


def claims(*, status: str = "", q: str = "") -> QuerySet[Claim]:
    """The registry, with how many signals carried each claim."""
    result = Claim.objects.select_related("competent_agency", "rebuttal").annotate(
        sighting_count=Count("sightings")
    )
    if status:
        result = result.filter(status=status)
    result = search.matching(result, search.terms(q))
    return result.order_by("-first_seen_on", "-id")


def sightings_over_time(*, claim: Claim) -> list[tuple[dt.date, int]]:
    """Signals carrying the claim, counted per day (local time), oldest first."""
    days: Counter[dt.date] = Counter()
    for seen_at in Sighting.objects.filter(claim=claim).values_list("seen_at", flat=True):
        days[timezone.localtime(seen_at).date()] += 1
    return sorted(days.items())


def sightings(*, claim: Claim) -> QuerySet[Sighting]:
    return claim.sightings.select_related("signal", "linked_by").order_by("-seen_at")


def rebuttals_for_signal(*, signal: Signal) -> QuerySet[Rebuttal]:
    """Published rebuttals of the claims this signal was matched to: staff answer with them."""
    return Rebuttal.objects.filter(
        state=Rebuttal.State.PUBLISHED, claim__sightings__signal=signal
    ).select_related("claim")


def published_rebuttals() -> QuerySet[Rebuttal]:
    return Rebuttal.objects.filter(state=Rebuttal.State.PUBLISHED).select_related("claim")


def rebuttals_published_between(
    *, since: dt.datetime, until: dt.datetime
) -> list[hooks.PublishedRebuttal]:
    """Every rebuttal published from `since` until before `until`, oldest first: the
    registry's own and those published straight on the portal (`hooks`), each once."""
    found = [
        hooks.PublishedRebuttal(title=r.title, claim=r.claim.summary, published_at=r.published_at)
        for r in Rebuttal.objects.filter(
            state=Rebuttal.State.PUBLISHED, published_at__gte=since, published_at__lt=until
        )
        .select_related("claim")
        .order_by("published_at", "id")
        if r.published_at is not None
    ]
    for source in hooks.rebuttals_published_elsewhere:
        found += source(since, until)
    return sorted(found, key=lambda r: r.published_at)
