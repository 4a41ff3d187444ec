"""Triage in the product: the worker runs the long-lived engine over new signals in batches
and stores proposals, clusters and audit records in bulk; staff accept or correct a
proposal or a whole cluster in one click. Decisions are written to the engine's journal in
the same transaction and applied to the engine in place by the worker."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.core import audit, bulk, policy
from phoihop.core.models import AdministrativeUnit, Agency, AuditEvent, Field, User
from phoihop.intake.models import Signal
from phoihop.triage.engine import Proposal as EngineProposal
from phoihop.triage.grouping import Decision
from phoihop.triage.parallel import Chunk, ParallelIngest
from phoihop.triaging import hooks, runtime
from phoihop.triaging.models import Cluster, EngineEvent, GroupingFeedback, default_visibility
from phoihop.triaging.models import TriageProposal as P

K = EngineEvent.Kind
# Issues past these states are not joined silently: a person sees the new signal first.
_OPEN_TO_AUTO_JOIN = (
    Issue.State.RECEIVED,
    Issue.State.CLASSIFIED,
    Issue.State.ASSIGNED,
    Issue.State.IN_PROGRESS,
)


# Called (inside the transaction) after each staff decision that wrote to the journal.
decided: list[Callable[[], None]] = []


def _decided() -> None:
    for hook in decided:
        hook()


def journal(event: str, **data: Any) -> EngineEvent:
    """Write one change for the worker's engine (inside the caller's transaction)."""
    return EngineEvent.objects.create(kind=event, data=data)


# ---- the worker: triage in batches -------------------------------------------------------


def _evidence(result: EngineProposal) -> dict[str, Any]:
    """What staff may open under «Chi tiết», in plain JSON values."""
    group = result.group
    risk = result.reliability
    return {
        "group": {
            "action": group.action.value,
            "issue_id": group.issue_id,
            "score": round(group.score, 4),
            "reason": group.reason,
            "neighbours": [
                {"issue_id": n.issue_id, "score": round(n.score, 4)} for n in group.neighbours[:5]
            ],
        },
        "field": {
            "top_terms": list(result.field.top_terms),
            "source": result.field.source,
            "scores": dict(list(result.field.scores.items())[:3]),
        },
        "places": [{"kind": p.kind, "code": p.code, "name": p.name} for p in result.places],
        "claims": [dataclasses.asdict(c) for c in result.claims],
        "reliability": {"risk": risk.risk, "flag": risk.flag, "reason": risk.reason}
        if risk
        else None,
    }


BATCH = 1000  # signals grouped and written per transaction
BACKLOG = 20_000  # signals one task takes on when the worker is behind
ANALYZE_FROM = 2000  # signals triaged at once after which the planner's statistics are refreshed


def triage_signals(*, signal_ids: Sequence[int]) -> int:
    """Triage the given signals and whatever else waits (the backlog of an import that runs
    ahead of the worker, or signals a crash left without a task), oldest first, through the
    engine's bulk path; returns how many got a proposal. Signals triaged before are skipped,
    so a task that runs twice changes nothing."""
    held = runtime.current()
    engine = held.engine
    waiting = set(
        Signal.objects.filter(proposal__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:BACKLOG]
    )
    ids = sorted(waiting | set(signal_ids))
    rows = []
    for start in range(0, len(ids), 5000):
        rows += list(
            Signal.objects.filter(id__in=ids[start : start + 5000], proposal__isnull=True)
            .order_by("id")
            .values_list("id", "text", "channel", "received_at", "place_id")
        )
    rows = [r for r in rows if runtime.signal_key(r[0]) not in engine.signal_issue]
    batches = [rows[k : k + BATCH] for k in range(0, len(rows), BATCH)]
    try:
        with ParallelIngest(
            engine,
            workers=1 if len(rows) >= settings.PHOIHOP_TRIAGE_PARALLEL_FROM else 0,
            with_claims=True,
        ) as parallel:
            chunks = (
                Chunk(
                    [r[1] for r in b],
                    [runtime.signal_key(r[0]) for r in b],
                    [r[2] for r in b],
                    [r[3] for r in b],
                )
                for b in batches
            )
            for batch, results in zip(batches, parallel.ingest(chunks), strict=True):
                with transaction.atomic():
                    _store(
                        held,
                        results,
                        [r[0] for r in batch],
                        [r[4] for r in batch],
                        [r[3] for r in batch],
                    )
                held.watermark = max(held.watermark, batch[-1][0])
                held.triaged += len(batch)
                held.dirty = True
    except BaseException:
        runtime.forget()  # the engine saw what the database did not keep: reload it
        raise
    # snapshot when due, and always once the backlog is done (a quiet moment)
    idle = not Signal.objects.filter(proposal__isnull=True).exists()
    if idle and len(rows) >= ANALYZE_FROM:
        bulk.refresh_statistics(Signal, P, Cluster, AuditEvent)
    runtime.maybe_save(held, force=idle)
    return len(rows)


def _store(
    held: runtime.Held,
    results: list[EngineProposal],
    pks: Sequence[int],
    signal_places: Sequence[int | None],
    ats: Sequence[Any],
) -> None:
    engine = held.engine
    final = [engine.signal_issue[runtime.signal_key(pk)] for pk in pks]
    issue_ids = {int(k[2:]) for k in final if k.startswith("i:")}
    nearest = [r.group.issue_id or "" for r in results]
    issue_ids |= {int(k[2:]) for k in nearest if k.startswith("i:")}
    states = dict(Issue.objects.filter(pk__in=issue_ids).values_list("pk", "state"))
    known_issues = set(states)
    open_issues = {pk for pk, state in states.items() if state in _OPEN_TO_AUTO_JOIN}
    cluster_keys = {k for k in final if k.startswith("s:")}
    clusters = {c.key: c for c in Cluster.objects.select_for_update().filter(key__in=cluster_keys)}
    _grow_clusters(clusters, final, ats)
    fields = dict(Field.objects.values_list("code", "id"))
    agencies = dict(Agency.objects.values_list("code", "id"))
    communes = dict(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).values_list(
            "code", "id"
        )
    )
    proposals: list[P] = []
    joins: dict[int, list[int]] = {}
    events: list[dict[str, Any]] = []
    for result, pk, key, signal_place in zip(results, pks, final, signal_places, strict=True):
        group = result.group
        suggested = group.issue_id or ""
        cluster = clusters.get(key)
        issue_id: int | None = None
        state = P.State.PENDING
        if key.startswith("i:") and int(key[2:]) in known_issues:
            issue_id = int(key[2:])
            if group.action is Decision.JOIN and issue_id in open_issues:
                decision, state = P.Decision.JOIN, P.State.AUTO
                joins.setdefault(issue_id, []).append(pk)
            else:
                decision = P.Decision.SUGGEST  # answered or closed: a person decides
        elif suggested.startswith("i:") and int(suggested[2:]) in known_issues:
            issue_id = int(suggested[2:])
            decision = P.Decision.SUGGEST
        else:
            decision = P.Decision.NEW
        ward = next((p for p in result.places if p.kind == "ward"), None)
        place = communes.get(ward.code) if ward else None
        proposals.append(
            P(
                signal_id=pk,
                decision=decision,
                issue_id=issue_id,
                cluster=cluster,
                score=round(group.score, 4),
                field_id=fields.get(result.field.label),
                field_confidence=round(result.field.confidence, 4),
                needs_review=result.field.needs_review,
                agency_id=agencies.get(result.route.agency),
                route_reason=result.route.reason,
                central_level=result.route.central_level,
                place_id=place or signal_place,
                evidence=_evidence(result),
                state=state,
            )
        )
        events.append(
            {
                "action": "signal.triage",
                "target_type": "intake.signal",
                "target_id": str(pk),
                "target_repr": "",
                "scope": f"signal:{pk}",
                "data": {
                    "decision": decision,
                    "issue": issue_id,
                    "cluster": cluster.pk if cluster else None,
                    "score": round(group.score, 4),
                    "field": result.field.label,
                    "agency": result.route.agency,
                },
            }
        )
    bulk.insert_many(proposals)
    for issue_id, signal_pks in joins.items():
        Signal.objects.filter(pk__in=signal_pks, issue__isnull=True).update(issue_id=issue_id)
    audit.record_many(actor=None, events=events)
    for result, pk in zip(results, pks, strict=True):
        if result.claims and hooks.claim_matched:
            signal = Signal.objects.get(pk=pk)
            for match in result.claims:
                for hook in hooks.claim_matched:
                    hook(signal, match.claim_id, round(match.score, 4))


def _grow_clusters(clusters: dict[str, Cluster], keys: Sequence[str], ats: Sequence[Any]) -> None:
    """Open the batch's new clusters and count its signals into the existing ones, from the
    batch itself (no aggregate over the whole table)."""
    grown: dict[str, tuple[int, Any, Any]] = {}
    for key, at in zip(keys, ats, strict=True):
        if key.startswith("s:"):
            n, first, last = grown.get(key, (0, at, at))
            grown[key] = (n + 1, min(first, at), max(last, at))
    fresh = [
        Cluster(key=k, founder_id=int(k[2:]), size=n, first_at=first, last_at=last)
        for k, (n, first, last) in sorted(grown.items())
        if k not in clusters
    ]
    Cluster.objects.bulk_create(fresh, batch_size=500)
    ops = connection.ops
    rows = []
    for key, (n, first, last) in grown.items():
        cluster = clusters.get(key)
        if cluster is not None:
            cluster.size += n
            cluster.first_at = min(filter(None, (cluster.first_at, first)))
            cluster.last_at = max(filter(None, (cluster.last_at, last)))
            rows.append(
                (
                    cluster.size,
                    ops.adapt_datetimefield_value(cluster.first_at),
                    ops.adapt_datetimefield_value(cluster.last_at),
                    cluster.pk,
                )
            )
    if rows:  # one prepared statement for all grown clusters (the worker is their writer)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Cluster._meta.db_table} "  # noqa: S608 - the table name is ours
                "SET size = %s, first_at = %s, last_at = %s WHERE id = %s",
                rows,
            )
    clusters.update({c.key: c for c in Cluster.objects.filter(key__in=[c.key for c in fresh])})


def _refresh_clusters(cluster_pks: Sequence[int]) -> None:
    """Keep each cluster's size and dates in step with its pending signals."""
    stats = {
        row["cluster"]: row
        for row in P.objects.filter(cluster_id__in=cluster_pks)
        .values("cluster")
        .annotate(n=Count("id"), first=Min("signal__received_at"), last=Max("signal__received_at"))
    }
    changed = []
    for cluster in Cluster.objects.filter(pk__in=cluster_pks):
        row = stats.get(cluster.pk)
        cluster.size = row["n"] if row else 0
        cluster.first_at = row["first"] if row else None
        cluster.last_at = row["last"] if row else None
        if cluster.size == 0 and cluster.state == Cluster.State.OPEN:
            cluster.state = Cluster.State.EMPTY
        changed.append(cluster)
    Cluster.objects.bulk_update(changed, ["size", "first_at", "last_at", "state"])


def triage_pending(*, limit: int | None = None) -> int:
    """Triage every signal that has no proposal yet (oldest first); returns how many."""
    ids = list(
        Signal.objects.filter(proposal__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return triage_signals(signal_ids=ids)


def apply_journal() -> int:
    """Bring the worker's engine up to date with the decisions staff made (a task)."""
    held = runtime.current()
    runtime.maybe_save(held)
    return held.seq


# ---- staff decisions -----------------------------------------------------------------------


def _decide(proposals: Sequence[P], *, by: User, state: str) -> None:
    now = timezone.now()
    P.objects.filter(pk__in=[p.pk for p in proposals]).update(
        state=state, decided_by=by, decided_at=now
    )


def group_of(proposal: P) -> str:
    """The engine group the proposal's signal sits in now."""
    if proposal.signal.issue_id is not None:
        return runtime.issue_key(proposal.signal.issue_id)
    if proposal.cluster_id is not None and proposal.cluster is not None:
        return proposal.cluster.key
    return runtime.cluster_key(proposal.signal_id)


def _locked(proposal: P) -> P:
    return (
        P.objects.select_for_update(of=("self",))
        .select_related("signal", "issue", "cluster", "field", "agency", "place")
        .get(pk=proposal.pk)
    )


def _open_issue(
    proposal: P,
    *,
    by: User,
    field: Field | None,
    agency: Agency | None,
    visibility: str | None,
    title: str = "",
) -> Issue:
    signal = proposal.signal
    place = proposal.place or signal.place
    issue = cases.issue_create(
        by=by,
        title=(title or signal.title or signal.text)[:300],
        description=signal.text,
        place=place,
        visibility=visibility or default_visibility({signal.channel}),
    )
    if field is not None:
        cases.issue_classify(issue=issue, by=by, field=field, place=place)
        if agency is not None and agency.is_active:
            cases.issue_assign(issue=issue, by=by, agency=agency)
    return issue


@transaction.atomic
def proposal_accept(*, proposal: P, by: User, visibility: str | None = None) -> Issue:
    """One click: join the proposed issue; for a signal in a cluster, decide the whole
    cluster; otherwise open the new issue with the proposed field, place and agency."""
    policy.require(by, "triaging.proposal_decide")
    proposal = _locked(proposal)
    if proposal.state not in (P.State.PENDING, P.State.AUTO):
        raise ValidationError(_("Đề xuất này đã được xử lý."))
    if proposal.issue is None and proposal.cluster is not None:
        return cluster_accept(cluster=proposal.cluster, by=by, visibility=visibility)
    signal = proposal.signal
    if proposal.issue is not None:
        issue = proposal.issue
        if proposal.decision == P.Decision.SUGGEST:
            _pair(
                signal.text, issue_text(issue), same=True, kind=GroupingFeedback.Kind.ACCEPT, by=by
            )
        journal(K.PLACE, signals=[signal.pk], group=runtime.issue_key(issue.pk))
    else:
        issue = _open_issue(
            proposal, by=by, field=proposal.field, agency=proposal.agency, visibility=visibility
        )
        journal(K.MERGE, target=runtime.issue_key(issue.pk), source=group_of(proposal))
    signal.issue = issue
    signal.save(update_fields=["issue"])
    if proposal.cluster_id is not None:  # it leaves its cluster for the issue
        left = proposal.cluster_id
        P.objects.filter(pk=proposal.pk).update(cluster=None, issue=issue)
        _refresh_clusters([left])
    _decide([proposal], by=by, state=P.State.ACCEPTED)
    audit.record(
        actor=by,
        action="proposal.accept",
        target=signal,
        scope=f"issue:{issue.pk}",
        issue=issue.code,
        decision=proposal.decision,
    )
    _decided()
    return issue


def _members(cluster: Cluster) -> list[P]:
    return list(
        P.objects.filter(cluster=cluster, state__in=[P.State.PENDING, P.State.AUTO])
        .select_related("signal")
        .order_by("signal_id")
    )


def _founder_proposal(cluster: Cluster, members: list[P]) -> P:
    founder = next((p for p in members if p.signal_id == cluster.founder_id), None)
    if founder is None:
        founder = members[0]
    return P.objects.select_related("signal", "field", "agency", "place", "issue").get(
        pk=founder.pk
    )


def _lock_cluster(cluster: Cluster) -> Cluster:
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if cluster.state != Cluster.State.OPEN:
        raise ValidationError(_("Cụm ý kiến này đã được xử lý."))
    return cluster


@transaction.atomic
def cluster_accept(
    *,
    cluster: Cluster,
    by: User,
    visibility: str | None = None,
    issue: Issue | None = None,
    field: Field | None = None,
    agency: Agency | None = None,
    title: str = "",
) -> Issue:
    """Decide a cluster once: every pending signal in it goes to one issue (the one proposed,
    one the coordinator picked, or a new one opened with the field, place and agency)."""
    policy.require(by, "triaging.proposal_decide")
    cluster = _lock_cluster(cluster)
    members = _members(cluster)
    if not members:
        raise ValidationError(_("Cụm ý kiến này không còn ý kiến nào chờ xử lý."))
    lead = _founder_proposal(cluster, members)
    corrected = issue is not None or field is not None or agency is not None
    if issue is None and lead.issue is not None and lead.decision == P.Decision.SUGGEST:
        issue = lead.issue
        _pair(
            lead.signal.text, issue_text(issue), same=True, kind=GroupingFeedback.Kind.ACCEPT, by=by
        )
    elif issue is not None and lead.issue is not None and issue != lead.issue:
        _pair(
            lead.signal.text,
            issue_text(lead.issue),
            same=False,
            kind=GroupingFeedback.Kind.REJECT,
            by=by,
        )
    if issue is None:
        issue = _open_issue(
            lead,
            by=by,
            field=field or lead.field,
            agency=agency or lead.agency,
            visibility=visibility or default_visibility({m.signal.channel for m in members}),
            title=title,
        )
    if field is not None and field != lead.field:
        for member in members:
            journal(K.FIELD, text=member.signal.text, field=field.code)
    journal(K.MERGE, target=runtime.issue_key(issue.pk), source=cluster.key)
    signal_pks = [m.signal_id for m in members]
    Signal.objects.filter(pk__in=signal_pks).update(issue=issue)
    P.objects.filter(pk__in=[m.pk for m in members]).update(issue=issue)
    if field is not None or agency is not None:
        P.objects.filter(pk__in=[m.pk for m in members]).update(
            **({"field": field} if field is not None else {}),
            **({"agency": agency} if agency is not None else {}),
        )
    _decide(members, by=by, state=P.State.CORRECTED if corrected else P.State.ACCEPTED)
    cluster.state = Cluster.State.DECIDED
    cluster.issue = issue
    cluster.decided_by = by
    cluster.decided_at = timezone.now()
    cluster.save(update_fields=["state", "issue", "decided_by", "decided_at"])
    audit.record(
        actor=by,
        action="cluster.correct" if corrected else "cluster.accept",
        target=cluster,
        scope=f"issue:{issue.pk}",
        issue=issue.code,
        signals=signal_pks,
    )
    _decided()
    return issue


@transaction.atomic
def cluster_split(*, cluster: Cluster, by: User, signal_ids: Sequence[int]) -> Cluster:
    """A wrong cluster: the chosen signals leave it for a cluster of their own. One action,
    audited; the engine learns the pair is not the same."""
    policy.require(by, "triaging.proposal_decide")
    cluster = _lock_cluster(cluster)
    members = {m.signal_id: m for m in _members(cluster)}
    moving = [pk for pk in sorted(set(signal_ids)) if pk in members]
    if not moving:
        raise ValidationError({"signals": _("Chọn ít nhất một ý kiến để tách.")})
    if len(moving) == len(members):
        raise ValidationError({"signals": _("Không thể tách tất cả ý kiến ra khỏi cụm.")})
    key = runtime.cluster_key(moving[0])
    if key == cluster.key or Cluster.objects.filter(key=key).exists():
        key = f"{key}/{cluster.pk}"  # the signal the old cluster is keyed by leaves it
    new = Cluster.objects.create(key=key, founder_id=moving[0])
    P.objects.filter(pk__in=[members[pk].pk for pk in moving]).update(cluster=new)
    if cluster.founder_id in moving:
        staying = min(pk for pk in members if pk not in moving)
        cluster.founder_id = staying
        cluster.save(update_fields=["founder"])
    journal(K.SPLIT, group=cluster.key, signals=moving, new=new.key)
    staying_text = members[min(pk for pk in members if pk not in moving)].signal.text
    _pair(
        members[moving[0]].signal.text,
        staying_text,
        same=False,
        kind=GroupingFeedback.Kind.SPLIT,
        by=by,
    )
    _refresh_clusters([cluster.pk, new.pk])
    audit.record(
        actor=by,
        action="cluster.split",
        target=cluster,
        scope=f"cluster:{cluster.pk}",
        into=new.pk,
        signals=moving,
    )
    _decided()
    new.refresh_from_db()
    return new


@transaction.atomic
def proposal_correct(
    *,
    proposal: P,
    by: User,
    issue: Issue | None = None,
    new_issue: bool = False,
    field: Field | None = None,
    agency: Agency | None = None,
    visibility: str | None = None,
) -> Issue:
    """Staff say otherwise: another issue (or a new one), another field or agency. The
    correction is training data; the worker applies it to its engine."""
    policy.require(by, "triaging.proposal_decide")
    proposal = _locked(proposal)
    if proposal.state in (P.State.ACCEPTED, P.State.CORRECTED):
        raise ValidationError(_("Đề xuất này đã được xử lý."))
    if issue is None and not new_issue:
        raise ValidationError({"issue": _("Chọn vấn đề để ghép, hoặc mở vấn đề mới.")})
    before = {
        "issue": proposal.issue.code if proposal.issue else None,
        "field": proposal.field.code if proposal.field else None,
        "agency": proposal.agency.code if proposal.agency else None,
    }
    signal = proposal.signal
    if field is not None:
        if field != proposal.field:
            journal(K.FIELD, text=signal.text, field=field.code)
        proposal.field = field
    if agency is not None:
        proposal.agency = agency
    if proposal.issue is not None and issue != proposal.issue:
        _pair(
            signal.text,
            issue_text(proposal.issue),
            same=False,
            kind=GroupingFeedback.Kind.REJECT,
            by=by,
        )
    target = issue or _open_issue(
        proposal, by=by, field=proposal.field, agency=proposal.agency, visibility=visibility
    )
    journal(K.PLACE, signals=[signal.pk], group=runtime.issue_key(target.pk))
    signal.issue = target
    signal.save(update_fields=["issue"])
    proposal.issue = target
    if proposal.cluster is not None:
        cluster = proposal.cluster
        proposal.cluster = None
        proposal.save(update_fields=["field", "agency", "issue", "cluster"])
        _refresh_clusters([cluster.pk])
    else:
        proposal.save(update_fields=["field", "agency", "issue"])
    _decide([proposal], by=by, state=P.State.CORRECTED)
    audit.record(
        actor=by,
        action="proposal.correct",
        target=signal,
        scope=f"issue:{target.pk}",
        before=before,
        after={
            "issue": target.code,
            "field": proposal.field.code if proposal.field else None,
            "agency": proposal.agency.code if proposal.agency else None,
        },
    )
    _decided()
    return target


def issue_text(issue: Issue) -> str:
    """The wording that stands for an issue: its first signal, else its title and text."""
    first = issue.signals.order_by("id").values_list("text", flat=True).first()
    return first or f"{issue.title}. {issue.description}".strip(". ")


def _pair(a: str, b: str, *, same: bool, kind: str, by: User | None) -> EngineEvent:
    """A labelled pair from a staff decision; the worker scores it with its engine, keeps it
    as grouping feedback and re-tunes the thresholds."""
    return journal(K.PAIR, a=a, b=b, same=same, kind=kind, by=by.pk if by else None)


# ---- news from the apps below and above ------------------------------------------------------


def on_issue_created(issue: Issue) -> None:
    journal(K.ISSUE, issue=issue.pk, text=f"{issue.title}. {issue.description}".strip(". "))


def on_issue_merged(kept: Issue, absorbed: Issue) -> None:
    _pair(
        issue_text(absorbed), issue_text(kept), same=True, kind=GroupingFeedback.Kind.MERGE, by=None
    )
    journal(K.MERGE, target=runtime.issue_key(kept.pk), source=runtime.issue_key(absorbed.pk))


def on_issue_split(issue: Issue, new: Issue, signal_ids: list[int]) -> None:
    moving = Signal.objects.filter(pk__in=signal_ids).order_by("id").first()
    if moving is not None:
        staying = issue.signals.exclude(pk__in=signal_ids).order_by("id").first()
        _pair(
            moving.text,
            staying.text if staying else issue_text(issue),
            same=False,
            kind=GroupingFeedback.Kind.SPLIT,
            by=None,
        )
    journal(
        K.SPLIT,
        group=runtime.issue_key(issue.pk),
        signals=signal_ids,
        new=runtime.issue_key(new.pk),
    )


def claims_changed() -> None:
    """The false-claim registry changed (a claim registered, withdrawn, its rebuttal
    published): the worker reloads its registry from the registered source."""
    journal(K.CLAIMS)
    _decided()
