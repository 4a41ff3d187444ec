"""Staff decisions on proposals and clusters: accept in one click, correct (another issue,
field or agency), split a wrong cluster. Each is written to the engine's journal in the same
transaction; the worker applies it to its engine in place."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.cases.selectors import competence_of, happened_at, issue_receiving_signals
from phoihop.core import audit, policy
from phoihop.core.models import Agency, Field, User
from phoihop.core.text import title_from
from phoihop.intake.models import Signal
from phoihop.triaging import runtime
from phoihop.triaging.models import Cluster, GroupingFeedback, default_visibility
from phoihop.triaging.models import TriageProposal as P
from phoihop.triaging.services.journal import K, _decided, _pair, issue_text, journal


def _refresh_clusters(cluster_pks: Sequence[int]) -> None:
    """Keep each cluster's size and dates in step with its pending signals."""
    stats = {
        row["cluster"]: row
        for row in P.objects.filter(cluster_id__in=cluster_pks)
        .values("cluster")
        .annotate(
            n=Count("id"),
            first=Min(happened_at("signal__")),
            last=Max(happened_at("signal__")),
        )
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


TITLE_MAX = Issue._meta.get_field("title").max_length or 300


def new_issue_title(signal: Signal) -> str:
    """The title of an issue opened from `signal`: the title its source gave, else the
    citizen's first sentence. A field's name is no title: Open311 requests stored before
    their titles were dropped carry their service's name («Tài nguyên, môi trường»)."""
    title = signal.title.strip()
    if title and not Field.objects.filter(name__iexact=title).exists():
        return title[:TITLE_MAX]
    return title_from(signal.text, TITLE_MAX)


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
        title=title[:TITLE_MAX] if title.strip() else new_issue_title(signal),
        description=signal.text,
        place=place,
        visibility=visibility or default_visibility({signal.channel}),
    )
    if field is not None:
        lead = agency if agency is not None and agency.is_active else None
        cases.issue_classify(
            issue=issue, by=by, field=field, place=place, competence=competence_of(lead)
        )
        if lead is not None:
            cases.issue_assign(issue=issue, by=by, agency=lead)
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
        issue = issue_receiving_signals(issue=proposal.issue)
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
    if issue is not None:
        issue = issue_receiving_signals(issue=issue)
    if issue is None and lead.issue is not None and lead.decision == P.Decision.SUGGEST:
        issue = issue_receiving_signals(issue=lead.issue)
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
    if issue is not None:
        issue = issue_receiving_signals(issue=issue)
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
    left = signal.issue_id
    signal.issue = target
    signal.save(update_fields=["issue"])
    if left is not None and left != target.pk:  # the issue it leaves keeps the trail
        audit.record(
            actor=by,
            action="proposal.move_out",
            target=signal,
            scope=f"issue:{left}",
            signal=signal.pk,
            into=target.code,
        )
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
