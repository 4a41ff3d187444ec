"""Báo cáo tình hình dư luận xã hội: the Propaganda Department's monthly (or on-demand)
public-opinion situation report, drafted from the period's signals and issues: the top
matters by volume and growth with their channels and places, what was answered or rebutted
and what is still open, and proposals. Staff then edit it paragraph by paragraph.

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
from django.utils.translation import gettext as _

from phoihop.cases.hot import hotness_of
from phoihop.cases.models import Assignment, Issue
from phoihop.cases.selectors import happened_at
from phoihop.core.places import in_text
from phoihop.factcheck import selectors as factcheck
from phoihop.factcheck.hooks import PublishedRebuttal
from phoihop.factcheck.models import Claim, Rebuttal, Sighting
from phoihop.intake.models import Signal
from phoihop.reports.content import Block, Document, Table, quoted
from phoihop.reports.issuers import issuers_of
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import Period
from phoihop.reports.programme_report import percent
from phoihop.reports.selectors import report_heading
from phoihop.triaging.models import TriageProposal

TOP = 8
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


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a period of local days covers: from `start`'s midnight to the midnight
    after `end` (excluded), in the province's time zone, so that the last day counts whole."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


def period_before(start: dt.date, end: dt.date) -> dt.date:
    """The first day of «kỳ trước»: the calendar months before when the period is whole months
    (November before December, not the 31 days from 31/10), else as many days before."""
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = start.year * 12 + start.month - 1 - months
        return dt.date(index // 12, index % 12 + 1, 1)
    return start - dt.timedelta(days=(end - start).days + 1)


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


def _claim_proposal(claim: Claim, found: list[Matter]) -> str:
    """What the report proposes for the matters carrying a claim not yet rebutted: the agency
    competent for the facts verifies them, so that the department can rebut the claim."""
    rebuttal: Rebuttal | None = getattr(claim, "rebuttal", None)
    summary = f"«{quoted(claim.summary)}»"
    subject = ("vấn đề " if len(found) == 1 else "các vấn đề ") + "; ".join(
        f"«{m.title}»" for m in found
    )
    if rebuttal is not None and rebuttal.state == Rebuttal.State.CONFIRMED:
        return (
            f"Ban Tuyên giáo và Dân vận Tỉnh ủy đăng bài phản bác «{quoted(rebuttal.title)}» "
            f"({rebuttal.confirming_agency.current.name} đã xác nhận thông tin) đối với thông "
            f"tin sai sự thật {summary} ({subject})."
        )
    return (
        f"Đề nghị {claim.competent_agency.current.name} khẩn trương xác minh, cung cấp thông "
        f"tin chính thức về {subject} để Ban Tuyên giáo và Dân vận Tỉnh ủy phản "
        f"bác thông tin sai sự thật {summary}"
        + (
            f"; dự thảo bài phản bác «{quoted(rebuttal.title)}» đang chờ xác nhận."
            if rebuttal is not None and rebuttal.state == Rebuttal.State.DRAFT
            else "."
        )
    )


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


def _lead_agency(issue: Issue) -> str:
    for assignment in issue.assignments.select_related("agency"):
        if assignment.role == Assignment.Role.LEAD and assignment.state not in (
            Assignment.State.RETURNED,
            Assignment.State.TRANSFERRED,
            Assignment.State.CANCELLED,
        ):
            return assignment.agency.current.name
    return ""


REBUTTALS = 5  # rebuttals the report names; the rest are counted


def _rebuttals_text(rebuttals: list[PublishedRebuttal]) -> str:
    """The published rebuttals by their own titles, each with the claim it answers."""
    named = [
        f"«{quoted(r.title)}»"
        + (f" (phản bác thông tin «{quoted(r.claim, limit=WORDING)}»)" if r.claim.strip() else "")
        for r in rebuttals[:REBUTTALS]
    ]
    more = len(rebuttals) - REBUTTALS
    return "; ".join(named) + (f" và {more} bài khác" if more > 0 else "")


def situation_report(
    *, period: Period, issue: Issue | None = None, today: dt.date | None = None
) -> Document:
    """The draft of the situation report for a period, or on demand for one matter."""
    today = today or timezone.localdate()
    found = matters(start=period.start, end=period.end, issue=issue)
    total = sum(m.signals for m in found)
    ungrouped = sum(m.signals for m in found if m.issue is None and not m.wording)
    channels: Counter[str] = Counter()
    for m in found:
        channels.update(m.channels)
    if issue is None:
        title = f"Tình hình dư luận xã hội {period.label}"
        scope = f"Trong {period.label}"
    else:
        title = f"Tình hình dư luận xã hội về «{issue.title}»"
        scope = f"Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
    doc = Document(
        **report_heading(
            issuers=issuers_of(ReportDocument.Kind.SITUATION),
            kind_symbol="BC",
            today=today,
            title=title,
        ),
        recipients=[
            "Thường trực Tỉnh ủy",
            "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
            "Thường trực HĐND tỉnh",
            "UBND tỉnh",
            "Lưu Văn phòng Ban",
        ],
    )
    doc.blocks.append(Block(kind="heading", text="I. Tình hình chung"))
    by_channel = "; ".join(f"{CHANNELS.get(c, c).lower()}: {n}" for c, n in channels.most_common())
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="overview",
            label=_("Đoạn tổng quan"),
            text=(
                f"{scope}, Ban Tuyên giáo và Dân vận Tỉnh ủy nắm bắt {total} ý kiến, thông tin của "
                f"cán bộ, đảng viên và Nhân dân"
                + (f" ({by_channel})" if by_channel else "")
                + f", tập trung vào {sum(1 for m in found if m.issue or m.wording)} vấn đề"
                + (
                    f"; {ungrouped} ý kiến chưa được gắn với vấn đề cụ thể, đang được phân loại."
                    if ungrouped
                    else "."
                )
            ),
        )
    )
    doc.blocks.append(Block(kind="heading", text="II. Những vấn đề nổi lên được dư luận quan tâm"))
    top = [m for m in found if m.issue is not None or m.wording][:TOP]
    if not top:
        doc.blocks.append(
            Block(
                kind="paragraph",
                key="matters",
                label=_("Đoạn về các vấn đề nổi lên"),
                text="Trong kỳ không có vấn đề nổi lên.",
            )
        )
    for n, matter in enumerate(top, 1):
        field_name = matter.issue.field.name if matter.issue and matter.issue.field else ""
        doc.blocks.append(
            Block(
                kind="paragraph",
                key=f"m{n}",
                label=_("Vấn đề thứ %(n)s: %(title)s") % {"n": n, "title": matter.title},
                text=(
                    f"{n}. {matter.title}"
                    + (f" (lĩnh vực {field_name})" if field_name else "")
                    + f": {matter.signals} ý kiến, {matter.growth_text()}; kênh: "
                    f"{matter.channel_text()}; địa bàn: {matter.place_text(in_sentence=True)}. "
                    f"Tình hình xử lý: {matter.status_text()}."
                ),
            )
        )
    if top:
        doc.blocks.append(
            Block(
                kind="table",
                table=Table(
                    caption="Các vấn đề theo số ý kiến và mức tăng",
                    header=[
                        "STT",
                        "Vấn đề",
                        "Số ý kiến",
                        "Kỳ trước",
                        "Tăng, giảm",
                        "Kênh",
                        "Địa bàn",
                    ],
                    rows=[
                        [
                            str(n),
                            m.title,
                            str(m.signals),
                            str(m.previous),
                            f"{m.growth:+d}",
                            m.channel_text(),
                            m.place_text(),
                        ]
                        for n, m in enumerate(top, 1)
                    ],
                ),
            )
        )
    doc.blocks.append(Block(kind="heading", text="III. Kết quả trả lời, phản bác"))
    answered = [m for m in top if m.answered or m.rebutted]
    still_open = [m for m in top if not (m.answered or m.rebutted)]
    since, until = day_bounds(period.start, period.end)
    rebuttals = factcheck.rebuttals_published_between(since=since, until=until)
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="answered",
            label=_("Đoạn về các vấn đề đã trả lời, phản bác"),
            text=(
                f"Đã trả lời, phản bác {len(answered)} vấn đề"
                + (": " + "; ".join(m.title for m in answered) if answered else "")
                + f". Trong kỳ đăng {len(rebuttals)} bài phản bác thông tin sai sự thật"
                + (": " + _rebuttals_text(rebuttals) if rebuttals else "")
                + "."
            ),
        )
    )
    open_lines = []
    for m in still_open:
        if m.claim is not None:
            open_lines.append(
                f"{m.title} ({m.claim.get_status_display().lower()} thông tin sai sự thật, "
                f"{m.claim.competent_agency.current.name})"
            )
            continue
        if m.issue is None:
            open_lines.append(f"{m.title} (đang phân loại, chưa giao cơ quan)")
            continue
        agency = _lead_agency(m.issue)
        open_lines.append(f"{m.title} ({agency or 'chưa giao cơ quan chủ trì'})")
    doc.blocks.append(
        Block(
            kind="paragraph",
            key="open",
            label=_("Đoạn về các vấn đề đang xử lý"),
            text=(
                f"Còn {len(still_open)} vấn đề đang xử lý: " + "; ".join(open_lines) + "."
                if still_open
                else "Không còn vấn đề nổi lên chưa được trả lời."
            ),
        )
    )
    doc.blocks.append(Block(kind="heading", text="IV. Đề xuất, kiến nghị"))
    proposals = []
    rising = rising_matters(still_open, until=until)
    by_claim: dict[int, list[Matter]] = defaultdict(list)
    for m in still_open:
        if m.claim is not None:
            by_claim[m.claim.pk].append(m)
    for m in still_open:
        if m.claim is not None:
            # one proposal for all the matters carrying the claim, where the first stands
            if m.claim.pk in by_claim:
                proposals.append(_claim_proposal(m.claim, by_claim.pop(m.claim.pk)))
            continue
        agency = _lead_agency(m.issue) if m.issue is not None else ""
        proposals.append(
            f"Đề nghị {agency or 'UBND tỉnh chỉ đạo cơ quan có thẩm quyền'} sớm trả lời, công khai "
            f"kết quả giải quyết vấn đề «{m.title}»."
        )
    if rising:
        proposals.append(
            "Ban Tuyên giáo và Dân vận Tỉnh ủy ban hành định hướng tuyên truyền đối với các vấn đề "
            "đang tăng: "
            + "; ".join(f"{m.title} ({m.signals} ý kiến, {m.growth_text()})" for m in rising)
            + "."
        )
    proposals.append(
        "Các cơ quan báo chí, đội ngũ báo cáo viên, tuyên truyền viên tiếp tục thông tin kịp thời, "
        "chính xác, đấu tranh phản bác thông tin sai sự thật."
    )
    for n, text in enumerate(proposals, 1):
        doc.blocks.append(
            Block(
                kind="paragraph",
                key=f"p{n}",
                label=_("Đề xuất, kiến nghị thứ %(n)s") % {"n": n},
                text=f"{n}. {text}",
            )
        )
    return doc


def on_demand_period(*, today: dt.date, days: int = 30) -> Period:
    """The window of an on-demand report: the last `days` days up to today."""
    return Period(code="", start=today - dt.timedelta(days=days - 1), end=today)
