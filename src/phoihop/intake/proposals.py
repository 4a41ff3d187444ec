"""Triage in the product: run the engine on each new signal, store its proposal with the
evidence, and let staff accept or correct it in one click. Decisions feed the engine back.

The engine (`phoihop.triage`) is plain Python; this module builds it from the database
(issues and their signals, the routing table, communes, the false-claim registry, staff
corrections) and keeps one per process, rebuilt when the data it was built from changes.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.core import audit
from phoihop.core.models import AdministrativeUnit, Agency, Field, RoutingEntry, User
from phoihop.intake import permissions
from phoihop.intake.models import GroupingFeedback, Signal, TriageProposal
from phoihop.triage.classify import Example, TextEncoder
from phoihop.triage.encoders import make_encoder
from phoihop.triage.engine import EngineConfig, TriageEngine
from phoihop.triage.engine import Proposal as EngineProposal
from phoihop.triage.grouping import Decision, LabelledPair, tune_thresholds
from phoihop.triage.routing import RoutingConfig

P = TriageProposal
_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "engine": None}
_encoders: dict[tuple[str, int], TextEncoder | None] = {}


def encoder() -> TextEncoder | None:
    """The optional sentence encoder the settings name, one per process (its cache of
    embeddings outlives engine rebuilds); None when ``PHOIHOP_TRIAGE_ENCODER`` is off."""
    key = (settings.PHOIHOP_TRIAGE_ENCODER, settings.PHOIHOP_TRIAGE_ENCODER_THREADS)
    if key not in _encoders:
        _encoders[key] = make_encoder(
            key[0], threads=key[1], store=settings.PHOIHOP_TRIAGE_ENCODER_STORE
        )
    return _encoders[key]


def _routing() -> RoutingConfig:
    active = Agency.objects.filter(is_active=True)

    def code_of(kind: str) -> str:
        agency = active.filter(kind=kind, unit__isnull=True).order_by("id").first()
        return agency.code if agency else ""

    province = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE).first()
    return RoutingConfig(
        field_agency={
            e.field.code: e.agency.current.code
            for e in RoutingEntry.objects.select_related("field", "agency")
        },
        default_agency=code_of(Agency.Kind.PEOPLES_COMMITTEE) or "ubnd",
        court=code_of(Agency.Kind.COURT) or "tand",
        procuracy=code_of(Agency.Kind.PROCURACY) or "vksnd",
        council=code_of(Agency.Kind.COUNCIL) or "hdnd",
        province_code=province.code if province else None,
        commune_agency={
            unit_code: code
            for unit_code, code in active.filter(
                kind=Agency.Kind.COMMUNE, unit__isnull=False
            ).values_list("unit__code", "code")
        },
    )


def _training_examples() -> list[Example]:
    """Fields staff confirmed: decided proposals and the signals of classified issues."""
    examples = [
        Example(text, code)
        for text, code in P.objects.filter(state__in=[P.State.ACCEPTED, P.State.CORRECTED])
        .exclude(field=None)
        .values_list("signal__text", "field__code")
    ]
    examples += [
        Example(text, code)
        for text, code in Signal.objects.exclude(issue=None)
        .exclude(issue__field=None)
        .values_list("text", "issue__field__code")[:20000]
    ]
    return examples


def _data_key() -> tuple[Any, ...]:
    from phoihop.factcheck.models import Claim

    linked = Signal.objects.exclude(issue=None)
    return (
        Issue.objects.count(),
        Issue.objects.aggregate(m=Max("updated_at"))["m"],
        linked.count(),
        linked.aggregate(m=Max("id"))["m"],
        P.objects.exclude(decided_at=None).aggregate(m=Max("decided_at"))["m"],
        Claim.objects.count(),
        Claim.objects.aggregate(m=Max("id"))["m"],
        RoutingEntry.objects.count(),
        GroupingFeedback.objects.count(),
    )


def build_engine() -> TriageEngine:
    """A fresh engine from the database."""
    from phoihop.factcheck.models import Claim
    from phoihop.triage.claims import Claim as EngineClaim

    routing = _routing()
    engine = TriageEngine(
        EngineConfig(province_code=routing.province_code), routing=routing, encoder=encoder()
    )
    engine.set_claims(
        [
            EngineClaim(
                str(c.pk), c.wording, getattr(getattr(c, "rebuttal", None), "portal_url", "")
            )
            for c in Claim.objects.exclude(status=Claim.Status.NOT_FALSE).select_related("rebuttal")
        ]
    )
    pairs = [
        LabelledPair(score, same)
        for score, same in GroupingFeedback.objects.values_list("score", "same")
    ]
    if pairs:
        engine.index.thresholds = tune_thresholds(pairs, engine.index.thresholds)
    examples = _training_examples()
    for example in examples:
        engine.correct_field(example.text, example.label)
    engine.retrain_fields()
    # Every open issue is represented by its own wording, so the first signal about an
    # issue a coordinator typed in by hand already finds it.
    for pk, title, description in (
        Issue.objects.exclude(state=Issue.State.CLOSED)
        .order_by("id")
        .values_list("id", "title", "description")
        .iterator()
    ):
        batch = engine.featurizer.transform([f"{title}. {description}".strip(". ")])
        engine.index.add_representative(str(pk), f"issue-{pk}", batch)
    rows = (
        Signal.objects.exclude(issue=None)
        .order_by("id")
        .values_list("id", "text", "channel", "received_at", "issue_id")
        .iterator(chunk_size=1000)
    )
    while chunk := list(itertools.islice(rows, 1000)):
        pks, texts, channels, ats, issues = zip(*chunk, strict=True)
        engine.place_batch(
            list(texts), [str(p) for p in pks], [str(i) for i in issues], list(channels), list(ats)
        )
    return engine


def engine() -> TriageEngine:
    """This process's engine, rebuilt when issues, corrections or claims have changed."""
    key = _data_key()
    with _lock:
        if _cache["engine"] is None or _cache["key"] != key:
            _cache["engine"] = build_engine()
            _cache["key"] = key
        return _cache["engine"]


def forget_engine() -> None:
    with _lock:
        _cache.update(key=None, engine=None)


def _jsonable(proposal: EngineProposal) -> dict[str, Any]:
    data = dataclasses.asdict(proposal)
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


@transaction.atomic
def triage_signal(*, signal: Signal) -> TriageProposal:
    """Run the engine on one signal and store its proposal. A join above the auto-join
    threshold links the signal to the issue at once; anything else waits for staff."""
    result = engine().triage(signal.text, channel=signal.channel, at=signal.received_at)
    group = result.group
    issue = None
    if group.issue_id is not None and group.action is not Decision.NEW:
        issue = Issue.objects.filter(pk=int(group.issue_id)).first()
    decision = P.Decision(group.action.value) if issue is not None else P.Decision.NEW
    ward = next((p for p in result.places if p.kind == "ward"), None)
    place = (
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.COMMUNE, code=ward.code
        ).first()
        if ward
        else None
    )
    values = {
        "decision": decision,
        "issue": issue,
        "score": round(group.score, 4),
        "field": Field.objects.filter(code=result.field.label).first(),
        "field_confidence": round(result.field.confidence, 4),
        "needs_review": result.field.needs_review,
        "agency": Agency.objects.filter(code=result.route.agency).first(),
        "route_reason": result.route.reason,
        "central_level": result.route.central_level,
        "place": place,
        "evidence": _jsonable(result),
        "state": P.State.AUTO if decision == P.Decision.JOIN else P.State.PENDING,
        "decided_by": None,
        "decided_at": None,
    }
    proposal, _created = P.objects.update_or_create(signal=signal, defaults=values)
    if decision == P.Decision.JOIN and signal.issue_id is None:
        signal.issue = issue
        signal.save(update_fields=["issue"])
    _link_claims(signal, result)
    audit.record(
        actor=None,
        action="signal.triage",
        target=signal,
        scope=f"signal:{signal.pk}",
        decision=decision,
        issue=issue.code if issue else None,
        score=proposal.score,
        field=result.field.label,
        agency=result.route.agency,
    )
    return proposal


def _link_claims(signal: Signal, result: EngineProposal) -> None:
    from phoihop.factcheck.models import Claim
    from phoihop.factcheck.services import claim_link_signal

    for match in result.claims:
        claim = Claim.objects.filter(pk=int(match.claim_id)).first()
        if claim is not None:
            claim_link_signal(claim=claim, signal=signal, score=round(match.score, 4))


def triage_pending(*, limit: int | None = None) -> int:
    """Triage signals that have no proposal yet (oldest first); returns how many."""
    ids = list(
        Signal.objects.filter(proposal__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return triage_many(signal_ids=ids)


def triage_many(*, signal_ids: list[int]) -> int:
    done = 0
    for signal in Signal.objects.filter(pk__in=signal_ids).order_by("id").iterator():
        triage_signal(signal=signal)
        done += 1
    return done


def _decide(proposal: TriageProposal, *, by: User, state: str) -> None:
    proposal.state = state
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save()


@transaction.atomic
def proposal_accept(*, proposal: TriageProposal, by: User) -> Issue:
    """One click: join the proposed issue, or open the new issue with the proposed field,
    place and competent agency."""
    permissions.require(by, "proposal.decide")
    proposal = (
        P.objects.select_for_update(of=("self",)).select_related("signal").get(pk=proposal.pk)
    )
    if proposal.state not in (P.State.PENDING, P.State.AUTO):
        raise ValidationError(_("Đề xuất này đã được xử lý."))
    signal = proposal.signal
    if proposal.issue is not None:
        issue = proposal.issue
        if proposal.decision == P.Decision.SUGGEST:
            record_pair(
                a=signal.text,
                b=issue_text(issue),
                same=True,
                kind=GroupingFeedback.Kind.ACCEPT,
                by=by,
            )
    else:
        issue = _open_issue(proposal, by=by, field=proposal.field, agency=proposal.agency)
    signal.issue = issue
    signal.save(update_fields=["issue"])
    _decide(proposal, by=by, state=P.State.ACCEPTED)
    audit.record(
        actor=by,
        action="proposal.accept",
        target=signal,
        scope=f"issue:{issue.pk}",
        issue=issue.code,
        decision=proposal.decision,
    )
    return issue


def _open_issue(
    proposal: TriageProposal, *, by: User, field: Field | None, agency: Agency | None
) -> Issue:
    signal = proposal.signal
    title = (signal.title or signal.text)[:300]
    issue = cases.issue_create(
        by=by,
        title=title,
        description=signal.text,
        place=proposal.place,
        visibility=Issue.Visibility.INTERNAL,
    )
    if field is not None:
        cases.issue_classify(issue=issue, by=by, field=field, place=proposal.place)
        if agency is not None and agency.is_active:
            cases.issue_assign(issue=issue, by=by, agency=agency)
    return issue


@transaction.atomic
def proposal_correct(
    *,
    proposal: TriageProposal,
    by: User,
    issue: Issue | None = None,
    new_issue: bool = False,
    field: Field | None = None,
    agency: Agency | None = None,
) -> Issue:
    """Staff say otherwise: another issue (or a new one), another field or agency. The
    correction is kept as training data and the engine learns from it."""
    permissions.require(by, "proposal.decide")
    proposal = (
        P.objects.select_for_update(of=("self",))
        .select_related("signal", "issue")
        .get(pk=proposal.pk)
    )
    if proposal.state in (P.State.ACCEPTED, P.State.CORRECTED):
        raise ValidationError(_("Đề xuất này đã được xử lý."))
    if issue is None and not new_issue:
        raise ValidationError({"issue": _("Chọn vấn đề để ghép, hoặc mở vấn đề mới.")})
    before = {
        "issue": proposal.issue.code if proposal.issue else None,
        "field": proposal.field.code if proposal.field else None,
        "agency": proposal.agency.code if proposal.agency else None,
    }
    if field is not None:
        proposal.field = field
    if agency is not None:
        proposal.agency = agency
    if proposal.issue is not None and issue != proposal.issue:
        record_pair(
            a=proposal.signal.text,
            b=issue_text(proposal.issue),
            same=False,
            kind=GroupingFeedback.Kind.REJECT,
            by=by,
        )
    target = issue or _open_issue(proposal, by=by, field=proposal.field, agency=proposal.agency)
    signal = proposal.signal
    signal.issue = target
    signal.save(update_fields=["issue"])
    proposal.issue = target
    _decide(proposal, by=by, state=P.State.CORRECTED)
    # The correction is training data: the worker retrains the field model with it.
    transaction.on_commit(_queue_retraining)
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
    return target


def _queue_retraining() -> None:
    from phoihop.intake.tasks import retrain_triage

    retrain_triage.enqueue()


def retrain() -> dict[str, int]:
    """Rebuild the engine from the database with every staff correction (a background task)."""
    forget_engine()
    built = engine()
    return {"examples": len(built.field_examples), "signals": len(built.signal_issue)}


def issue_text(issue: Issue) -> str:
    """The wording that stands for an issue: its first signal, else its title and text."""
    first = issue.signals.order_by("id").values_list("text", flat=True).first()
    return first or f"{issue.title}. {issue.description}".strip(". ")


def similarity(a: str, b: str) -> float:
    vectors = engine().featurizer.vectors([a, b])
    return float(vectors[0].multiply(vectors[1]).sum())


def record_pair(*, a: str, b: str, same: bool, kind: str, by: User | None) -> GroupingFeedback:
    """Keep one labelled pair from a staff decision; the thresholds are re-tuned on them."""
    return GroupingFeedback.objects.create(
        kind=kind, score=round(similarity(a, b), 4), same=same, created_by=by
    )


def thresholds() -> tuple[float, float]:
    current = engine().index.thresholds
    return current.auto_join, current.suggest
