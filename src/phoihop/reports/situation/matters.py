"""The matters of a situation report's period: an issue, a triage cluster or the signals not
yet grouped, each with its opinions in the period and in the period before, its channels and
places, and the false claim it carries.

Every opinion counts in the period it happened in (a petition's meeting day, a post's time),
else when it reached us: `cases.selectors.happened_at`, the rule of the dashboard and of
hotness. A round of petitions imported in December from November's meetings is November's.

Matters are read with plain queries: a signal belongs to its issue, else to the issue its
triage proposal joined it to (automatically or accepted by staff), else to its triage
cluster (pending signals that say the same thing), else to the bucket of signals not yet
grouped. A proposal still waiting for staff («Có thể cùng vấn đề») only suggests an issue:
its signal is not counted under it.

A matter carries a false claim of the registry (factcheck) when the claim names its issue,
or when at least half of its opinions in the period were seen carrying the claim (triage's
claim matching or staff): a few posts repeating a rumour about a real grievance do not turn
the grievance into a rumour. Such a matter is proposed for verification and rebuttal, not
for an answer, and counts as rebutted once the claim is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from phoihop.cases.hot import hotness_of
from phoihop.cases.models import Issue
from phoihop.cases.selectors import happened_at
from phoihop.core.places import in_text
from phoihop.factcheck.models import Claim, Sighting
from phoihop.intake.models import Signal
from phoihop.reports.content import quoted
from phoihop.reports.periods import day_bounds, period_before
from phoihop.reports.programme_report import percent
from phoihop.triaging.models import TriageProposal

PLACES = 4  # place names a matter lists
CHANNELS = dict(Signal.Channel.choices)
ANSWERED_STATES = (Issue.State.ANSWERED, Issue.State.PUBLISHED, Issue.State.CLOSED)


WORDING = 200  # characters of a cluster's wording quoted as a matter's title


@dataclass
class Matter:
    """One matter of public opinion in the period: an issue and the signals about it."""

    issue: Issue | None  # None: signals not yet grouped into an issue
    signals: int = 0
    previous: int = 0  # signals in the period before (`period_before`)
    channels: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    wording: str = ""  # a triage cluster's representative wording, while it has no issue
    claim: Claim | None = None  # the false claim it carries (see the module's docstring)

    @property
    def title(self) -> str:
        if self.issue:
            return quoted(self.issue.title)
        return quoted(self.wording, limit=WORDING) or "Ý kiến, thông tin chưa gắn với vấn đề cụ thể"

    @property
    def growth(self) -> int:
        return self.signals - self.previous

    @property
    def rebutted(self) -> bool:
        return self.claim is not None and self.claim.status == Claim.Status.REBUTTED

    @property
    def answered(self) -> bool:
        return self.issue is not None and self.issue.state in ANSWERED_STATES

    def channel_text(self) -> str:
        return ", ".join(
            f"{CHANNELS.get(c, c).lower()} ({n})" for c, n in self.channels.most_common()
        )

    def place_names(self) -> list[str]:
        """The issue's own place first (staff set it), then the places its signals name, most
        named first; at most PLACES names."""
        names = [self.issue.place.name] if self.issue and self.issue.place else []
        names += [name for name, _n in self.places.most_common() if name not in names]
        return names[:PLACES]

    def place_text(self, *, in_sentence: bool = False) -> str:
        """The places, as a table cell writes them or (``in_sentence``) mid-sentence."""
        names = [in_text(n) for n in self.place_names()] if in_sentence else self.place_names()
        return ", ".join(names) or "chưa xác định địa bàn"

    def growth_text(self) -> str:
        if self.previous == 0:
            return "mới xuất hiện trong kỳ" if self.signals else "không đổi"
        rate = 100 * self.growth / self.previous
        sign = "tăng" if self.growth >= 0 else "giảm"
        return f"{sign} {abs(self.growth)} ({percent(abs(rate))}) so với kỳ trước"

    def status_text(self) -> str:
        if self.rebutted:
            return "đã phản bác thông tin sai sự thật"
        if self.claim is not None:
            return (
                f"khớp với thông tin sai sự thật «{quoted(self.claim.summary)}» "
                f"({self.claim.get_status_display().lower()})"
            )
        if self.issue is None:
            return "đang phân loại"
        if self.answered:
            return "đã trả lời"
        return f"chưa trả lời (trạng thái: {self.issue.get_state_display().lower()})"


# Proposals whose issue the signal belongs to; a pending or corrected one's does not count.
JOINED = (TriageProposal.State.AUTO, TriageProposal.State.ACCEPTED)


def _group_key(signal: Signal, proposal: TriageProposal | None) -> int | str | None:
    if signal.issue_id:
        return signal.issue_id
    if proposal is not None and proposal.issue_id and proposal.state in JOINED:
        return proposal.issue_id
    return proposal.cluster.key if proposal is not None and proposal.cluster else None


def matters(*, start: dt.date, end: dt.date, issue: Issue | None = None) -> list[Matter]:
    """Matters of the period, most signals first, then fastest growing, each signal counted
    in the period it happened in (``happened_at``), those of the period before
    (``period_before``) for the growth. Confidential issues stay out (the report travels
    beyond those cleared to read them)."""
    since, until = day_bounds(period_before(start, end), end)
    signals = (
        Signal.objects.annotate(at=happened_at())
        .filter(at__gte=since, at__lt=until)
        .select_related(
            "place",
            "proposal",
            "proposal__place",
            "proposal__cluster",
            "proposal__cluster__founder",
        )
    )
    if issue is not None:
        signals = signals.filter(
            Q(issue=issue)
            | Q(issue__isnull=True, proposal__issue=issue, proposal__state__in=JOINED)
        )
    found: dict[int | str | None, Matter] = {}
    key_of: dict[int, int | str | None] = {}  # the period's signals: their matter
    for signal in signals.iterator(chunk_size=500):
        proposal = getattr(signal, "proposal", None)
        cluster = proposal.cluster if proposal is not None else None
        key = _group_key(signal, proposal)
        matter = found.setdefault(key, Matter(issue=None))
        if cluster is not None and isinstance(key, str):
            matter.wording = cluster.founder.title or cluster.founder.text
        day = timezone.localtime(signal.at).date()
        if day < start:
            matter.previous += 1
            continue
        matter.signals += 1
        key_of[signal.pk] = key
        matter.channels[signal.channel] += 1
        # The place the text speaks of (read by triage) before where the signal came from
        # (a petition names the meeting's commune, whatever commune it is about).
        place = (proposal.place if proposal is not None else None) or signal.place
        if place is not None:
            matter.places[place.name] += 1
    issues = Issue.objects.filter(pk__in=[k for k in found if isinstance(k, int)]).select_related(
        "field", "place"
    )
    by_pk = {i.pk: i for i in issues}
    claims = _claims(found, key_of=key_of, seen=signals.filter(at__gte=day_bounds(start, end)[0]))
    result = []
    for key, matter in found.items():
        if matter.signals == 0:
            continue
        if isinstance(key, int):
            found_issue = by_pk.get(key)
            if found_issue is None or found_issue.visibility == Issue.Visibility.CONFIDENTIAL:
                continue
            matter.issue = found_issue
        matter.claim = claims.get(key)
        result.append(matter)
    # Clusters still being triaged come after the issues; the ungrouped bucket goes last.
    return sorted(
        result,
        key=lambda m: (m.issue is None, not m.wording, -m.signals, -m.growth, m.title),
    )


# Claims a matter can carry: those found true or dropped tell the report nothing.
CARRIED = (Claim.Status.NEW, Claim.Status.VERIFYING, Claim.Status.REBUTTED)


def _claims(
    found: dict[int | str | None, Matter],
    *,
    key_of: dict[int, int | str | None],
    seen: QuerySet[Signal],
) -> dict[int | str | None, Claim]:
    """The false claim each matter carries (the module's docstring says when): one still
    open before one rebutted, then the one most of its opinions carried."""
    carried: dict[int | str | None, Counter[int]] = defaultdict(Counter)
    for signal_id, claim_id in Sighting.objects.filter(
        signal__in=seen.values("pk"), claim__status__in=CARRIED
    ).values_list("signal_id", "claim_id"):
        carried[key_of.get(signal_id)][claim_id] += 1
    candidates: dict[int | str | None, set[int]] = defaultdict(set)
    for key, counts in carried.items():
        if key is None:  # opinions not grouped yet carry no matter
            continue
        candidates[key] |= {pk for pk, n in counts.items() if 2 * n >= found[key].signals}
    for issue_id, claim_id in Claim.objects.filter(
        issue_id__in=[k for k in found if isinstance(k, int)], status__in=CARRIED
    ).values_list("issue_id", "pk"):
        candidates[issue_id].add(claim_id)
    by_pk = Claim.objects.select_related(
        "competent_agency", "rebuttal", "rebuttal__confirming_agency"
    ).in_bulk({pk for pks in candidates.values() for pk in pks})
    return {
        key: min(
            (by_pk[pk] for pk in pks),
            key=lambda c: (c.status == Claim.Status.REBUTTED, -carried[key][c.pk], -c.pk),
        )
        for key, pks in candidates.items()
        if pks
    }


RISING = 5  # opinions in the period, at least, for a matter growing to be called rising


def rising_matters(found: list[Matter], *, until: dt.datetime) -> list[Matter]:
    """The matters the report calls «đang tăng» and asks guidance for: those with more
    opinions than in the period before and at least RISING (5) of them in the period, and the
    issues whose hotness raised an alert at the period's close (`until`, or now when the
    period is not over): the dashboard's «đang nóng lên». One or two opinions more than
    nothing is no rise."""
    now = min(until, timezone.now())
    hot = hotness_of(issue_ids=[m.issue.pk for m in found if m.issue is not None], now=now)
    return [
        m
        for m in found
        if (m.growth > 0 and m.signals >= RISING)
        or (m.issue is not None and m.issue.pk in hot and hot[m.issue.pk].alert)
    ]
