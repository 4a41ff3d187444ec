"""What citizens say of the answers, per lead agency: satisfaction and reopen rate, ranked
where enough citizens answered (the dashboard and the programme report)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from phoihop.cases.models import Assignment, ResolutionFeedback

# A ranking of agencies by what citizens say needs this many verdicts per agency.
SATISFACTION_MIN_SAMPLE = 20


@dataclass(frozen=True)
class AgencySatisfaction:
    agency_id: int | None
    name: str
    answered: int  # issues whose official answer this agency led, in the period
    verdicts: int  # citizens' answers to «đã được giải quyết chưa?»
    satisfied: int
    reopened: int
    rank: int | None  # None: fewer than the minimum sample, not ranked

    @property
    def satisfaction(self) -> float | None:
        return self.satisfied / self.verdicts if self.verdicts else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.answered if self.answered else None

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def satisfaction_by_agency(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    minimum: int = SATISFACTION_MIN_SAMPLE,
) -> list[AgencySatisfaction]:
    """Satisfaction (citizens who said «đã giải quyết» among those who answered) and reopen
    rate (answers reopened by a citizen among the answers led) per lead agency; ranked by
    satisfaction only where at least `minimum` citizens answered, the others listed after."""
    verdicts = ResolutionFeedback.objects.all()
    led = Assignment.objects.filter(role=Assignment.Role.LEAD, state=Assignment.State.RESPONDED)
    if start is not None:
        verdicts = verdicts.filter(created_at__date__gte=start)
        led = led.filter(completed_at__date__gte=start)
    if end is not None:
        verdicts = verdicts.filter(created_at__date__lte=end)
        led = led.filter(completed_at__date__lte=end)
    names: dict[int | None, str] = {}
    answered: dict[int | None, int] = {}
    # each responded lead assignment is one official answer the agency led
    for row in led.values("agency_id", "agency__name").annotate(n=models.Count("id")):
        names[row["agency_id"]] = row["agency__name"]
        answered[row["agency_id"]] = row["n"]
    counted: dict[int | None, tuple[int, int, int]] = {}
    for row in verdicts.values("agency_id", "agency__name", "agency_name").annotate(
        n=models.Count("id"),
        yes=models.Count("id", filter=Q(resolved=True)),
        reopened=models.Count("id", filter=Q(reopened=True)),
    ):
        key = row["agency_id"]
        names.setdefault(key, row["agency__name"] or row["agency_name"] or "—")
        n, yes, reopened = counted.get(key, (0, 0, 0))
        counted[key] = (n + row["n"], yes + row["yes"], reopened + row["reopened"])
    rows = [
        AgencySatisfaction(
            agency_id=key,
            name=names[key],
            # never below the answers citizens reopened (rows of answers since re-assigned)
            answered=max(answered.get(key, 0), counted.get(key, (0, 0, 0))[2]),
            verdicts=counted.get(key, (0, 0, 0))[0],
            satisfied=counted.get(key, (0, 0, 0))[1],
            reopened=counted.get(key, (0, 0, 0))[2],
            rank=None,
        )
        for key in names
    ]
    sample = sorted(
        (r for r in rows if r.verdicts >= minimum),
        key=lambda r: (-(r.satisfaction or 0.0), r.reopen_rate or 0.0, r.name),
    )
    ranked = [dataclasses.replace(r, rank=i) for i, r in enumerate(sample, start=1)]
    rest = sorted((r for r in rows if r.verdicts < minimum), key=lambda r: (-r.verdicts, r.name))
    return ranked + rest
