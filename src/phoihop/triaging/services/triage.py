"""The worker's bulk path: new signals triaged in batches through the long-lived engine,
their proposals, clusters and audit records stored in bulk."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.cases.selectors import happened_at
from phoihop.core import audit, bulk
from phoihop.core.models import AdministrativeUnit, Agency, AuditEvent, Field
from phoihop.intake.models import Signal
from phoihop.triage.grouping import Decision
from phoihop.triage.parallel import Chunk, ParallelIngest
from phoihop.triage.proposal import Proposal as EngineProposal
from phoihop.triage.routing import named_by_source
from phoihop.triaging import hooks, runtime
from phoihop.triaging.models import Cluster
from phoihop.triaging.models import TriageProposal as P

# Issues past these states are not joined silently: a person sees the new signal first.
_OPEN_TO_AUTO_JOIN = (
    Issue.State.RECEIVED,
    Issue.State.CLASSIFIED,
    Issue.State.ASSIGNED,
    Issue.State.IN_PROGRESS,
)


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
            .annotate(happened=happened_at())
            .values_list("id", "text", "channel", "happened", "place_id", "metadata__agency")
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
                        [r[5] for r in batch],
                        [r[2] for r in batch],
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
    named_agencies: Sequence[str | None],
    channels: Sequence[str],
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
    agency_rows = list(Agency.objects.values_list("code", "id", "name", "is_active"))
    agencies = {code: pk for code, pk, _name, _active in agency_rows}
    active = {code: name for code, _pk, name, is_active in agency_rows if is_active}
    communes = dict(
        AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE).values_list(
            "code", "id"
        )
    )
    proposals: list[P] = []
    joins: dict[int, list[int]] = {}
    events: list[dict[str, Any]] = []
    for result, pk, key, signal_place, named, channel in zip(
        results, pks, final, signal_places, named_agencies, channels, strict=True
    ):
        group = result.group
        route = result.route
        if named and named in active:
            # the source names the competent agency (a petition file's column): propose it
            route = named_by_source(route, named, active[named], _source_label(channel))
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
                agency_id=agencies.get(route.agency),
                route_reason=route.reason,
                central_level=route.central_level,
                place_id=place or signal_place,
                evidence=_evidence(result),
                state=state,
            )
        )
        if state == P.State.AUTO and issue_id is not None:
            # the issue's history («Diễn biến») shows what joined it without a person
            events.append(
                {
                    "action": "proposal.auto_join",
                    "target_type": "intake.signal",
                    "target_id": str(pk),
                    "target_repr": "",
                    "scope": f"issue:{issue_id}",
                    "data": {"signal": pk, "score": round(group.score, 4)},
                }
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
                    "agency": route.agency,
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


def _source_label(channel: str) -> str:
    if channel == Signal.Channel.PETITION:
        return str(_("Tệp kiến nghị"))
    return str(_("Nguồn"))


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
