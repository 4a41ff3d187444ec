"""Reads of the triage app: clusters awaiting a decision, a signal's proposal panel with
only the issues the viewer may see, and the triage queue of «Việc của tôi»."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.cases.permissions import visible_issues_filter
from phoihop.core import policy
from phoihop.core.inbox import WorkItem
from phoihop.core.models import AdministrativeUnit, User
from phoihop.intake.models import Signal
from phoihop.triaging.forms import correction_form
from phoihop.triaging.models import Cluster, FieldModelVersion, default_visibility
from phoihop.triaging.models import TriageProposal as P


def open_clusters(*, user: User) -> QuerySet[Cluster]:
    """Clusters waiting for a coordinator, the largest and newest first."""
    if not policy.can(user, "triaging.proposal_decide"):
        return Cluster.objects.none()
    return (
        Cluster.objects.filter(state=Cluster.State.OPEN, size__gt=0)
        .select_related("founder", "founder__place")
        .order_by("-size", "-last_at", "-id")
    )


def cluster_for(*, user: User, pk: int) -> Cluster | None:
    return open_clusters(user=user).filter(pk=pk).first() or (
        Cluster.objects.filter(pk=pk).select_related("founder", "issue").first()
        if policy.can(user, "triaging.proposal_decide")
        else None
    )


@dataclass(frozen=True)
class ClusterSummary:
    """What a coordinator reads before deciding a cluster once."""

    cluster: Cluster
    wording: str
    channels: list[tuple[str, int]]  # (channel label, count)
    places: list[tuple[str, int]]
    members: list[P]
    suggested_issue: Issue | None
    lead: P | None


def cluster_members(*, cluster: Cluster) -> list[int]:
    """The signals still waiting in a cluster (ids), oldest first."""
    return list(
        P.objects.filter(cluster=cluster, state__in=[P.State.PENDING, P.State.AUTO])
        .order_by("signal_id")
        .values_list("signal_id", flat=True)
    )


def cluster_summary(*, user: User, cluster: Cluster, limit: int = 200) -> ClusterSummary:
    members = list(
        P.objects.filter(cluster=cluster)
        .select_related("signal", "signal__place", "place", "field", "agency", "issue")
        .order_by("signal_id")[:limit]
    )
    channel_labels = dict(Signal.Channel.choices)
    channels = [
        (channel_labels.get(row["signal__channel"], row["signal__channel"]), row["n"])
        for row in P.objects.filter(cluster=cluster)
        .values("signal__channel")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    lead = next(
        (m for m in members if m.signal_id == cluster.founder_id), members[0] if members else None
    )
    suggested = None
    if lead is not None and lead.issue_id is not None:
        suggested = Issue.objects.filter(visible_issues_filter(user), pk=lead.issue_id).first()
    return ClusterSummary(
        cluster=cluster,
        wording=cluster.founder.text,
        channels=channels,
        places=cluster_places(cluster_ids=[cluster.pk]).get(cluster.pk, [])[:8],
        members=members,
        suggested_issue=suggested,
        lead=lead,
    )


def cluster_places(*, cluster_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
    """Each cluster's places with their counts, the most frequent first: a signal's place
    is the one its proposal read from the text, else the one its source gave."""
    rows = (
        P.objects.filter(cluster_id__in=cluster_ids)
        .annotate(where=Coalesce("place_id", "signal__place_id"))
        .exclude(where=None)
        .values_list("cluster_id", "where")
        .annotate(n=Count("id"))
    )
    counts = list(rows)
    names = dict(
        AdministrativeUnit.objects.filter(pk__in={w for _c, w, _n in counts}).values_list(
            "id", "name"
        )
    )
    out: dict[int, list[tuple[str, int]]] = {}
    for cluster_id, where, n in counts:
        out.setdefault(cluster_id, []).append((names[where], n))
    for places in out.values():
        places.sort(key=lambda kv: (-kv[1], kv[0]))
    return out


@dataclass(frozen=True)
class ClusterRow:
    """A line of the cluster list: the cluster and its main place (as its page lists first)."""

    cluster: Cluster
    place: str | None


def cluster_rows(*, clusters: Iterable[Cluster]) -> list[ClusterRow]:
    clusters = list(clusters)
    places = cluster_places(cluster_ids=[c.pk for c in clusters])
    return [ClusterRow(c, places[c.pk][0][0] if places.get(c.pk) else None) for c in clusters]


def _visible_neighbours(user: User, evidence: dict[str, Any]) -> list[dict[str, Any]]:
    """The nearby issues of a proposal, only those the viewer may see (no hint that an
    internal or confidential issue exists)."""
    keys = [n.get("issue_id", "") for n in (evidence.get("group") or {}).get("neighbours", [])]
    ids = [int(k[2:]) for k in keys if k.startswith("i:")]
    issues = {i.pk: i for i in Issue.objects.filter(visible_issues_filter(user), pk__in=ids)}
    out = []
    for n in (evidence.get("group") or {}).get("neighbours", []):
        key = n.get("issue_id", "")
        issue = issues.get(int(key[2:])) if key.startswith("i:") else None
        if issue is not None:
            out.append({"issue": issue, "score": n.get("score", 0.0)})
    return out[:5]


def signal_panel(user: User, signal: Signal) -> tuple[str, dict[str, Any]] | None:
    """The proposal panel of a signal's page."""
    proposal = (
        P.objects.filter(signal=signal)
        .select_related("issue", "field", "agency", "place", "cluster")
        .first()
    )
    if proposal is None:
        return None
    issue = proposal.issue
    if issue is not None and not policy.can(user, "cases.issue_view", issue):
        issue = None
    return (
        "triaging/_proposal.html",
        {
            "proposal": proposal,
            "proposed_issue": issue,
            "neighbours": _visible_neighbours(user, proposal.evidence),
            "cluster": proposal.cluster
            if proposal.cluster and proposal.cluster.state == Cluster.State.OPEN
            else None,
            "can_decide": policy.can(user, "triaging.proposal_decide")
            and proposal.state in (P.State.PENDING, P.State.AUTO),
            "visibilities": Issue.Visibility.choices,
            "correction": correction_form(field_id=proposal.field_id, agency_id=proposal.agency_id),
            "default_visibility": default_visibility({signal.channel}),
        },
    )


def inbox_items(user: User) -> Iterable[WorkItem]:
    """For coordinators: clusters and single signals waiting to be triaged."""
    if not policy.can(user, "triaging.proposal_decide"):
        return []
    queue = _("Ý kiến chờ phân loại")
    items = [
        WorkItem(
            queue=queue,
            title=(c.founder.title or c.founder.text)[:160],
            url=reverse("triaging:cluster_detail", args=[c.pk]),
            note=_("Cụm %(n)s ý kiến") % {"n": c.size},
            order=30,
        )
        for c in open_clusters(user=user)[:30]
    ]
    singles = (
        P.objects.filter(state=P.State.PENDING)
        .filter(cluster__isnull=True)
        .select_related("signal")
        .order_by("signal_id")[:20]
    )
    items += [
        WorkItem(
            queue=queue,
            title=(p.signal.title or p.signal.text)[:160],
            url=reverse("intake:signal_detail", args=[p.signal_id]),
            note=_("Có thể cùng vấn đề đã có") if p.issue_id else _("Một ý kiến"),
            order=30,
        )
        for p in singles
    ]
    return items


def field_models() -> QuerySet[FieldModelVersion]:
    return FieldModelVersion.objects.all()
