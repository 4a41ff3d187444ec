"""The one long-lived triage engine per partition, owned by the triage worker.

The engine is built from the database once (in batches, with a progress line), then kept
in memory and changed in place: new signals are ingested, and every staff decision reaches
it as an `EngineEvent` journal row that is applied in order. A snapshot under `var/`
(format version, last journal row, last signal) lets a restarted worker propose again in
seconds; it is rebuilt only when the snapshot is missing or stale. Web processes never
build an engine: they write journal rows and queue tasks.

Group keys in the engine: ``i:<issue pk>`` for an issue, ``s:<signal pk>`` for a cluster
of pending signals, keyed by its first signal (signal ids are ``s:<signal pk>`` too, and a
new group takes its first signal's id); an issue's own wording is ``t:<issue pk>``.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, Q

from phoihop.cases.models import Issue
from phoihop.cases.selectors import happened_at
from phoihop.core.models import AdministrativeUnit, Agency, RoutingEntry
from phoihop.intake.models import Signal
from phoihop.triage.classify import Example, TextEncoder
from phoihop.triage.encoders import make_encoder
from phoihop.triage.engine import EngineConfig, TriageEngine
from phoihop.triage.grouping import IndexConfig, LabelledPair, tune_thresholds
from phoihop.triage.routing import Router, RoutingConfig
from phoihop.triaging import hooks
from phoihop.triaging.models import EngineEvent, FieldModelVersion, GroupingFeedback
from phoihop.triaging.models import TriageProposal as P

log = logging.getLogger("phoihop.triage")

SNAPSHOT_FORMAT = 5  # bump when the engine's pickled shape, key scheme or matching form changes
BUILD_CHUNK = 5000


def issue_key(pk: int) -> str:
    return f"i:{pk}"


CLUSTER_PREFIX = "s:"


def signal_key(signal_pk: int) -> str:
    """A signal's id in the engine; a cluster it founds is keyed the same way."""
    return f"{CLUSTER_PREFIX}{signal_pk}"


cluster_key = signal_key


@dataclass
class Held:
    """An engine with what it has seen: the last journal row applied and the last signal."""

    engine: TriageEngine
    seq: int = 0
    watermark: int = 0
    triaged: int = 0  # signals with a proposal up to the watermark, to detect a foreign snapshot
    field_version: int = 0
    saved_at: float = field(default_factory=time.monotonic)
    dirty: bool = False
    routing: RoutingConfig | None = None  # what the engine's router was built from


_lock = threading.RLock()
_held: dict[str, Held] = {}


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


def partition() -> str:
    return str(settings.PHOIHOP_TRIAGE_PARTITION)


def snapshot_path(name: str | None = None) -> Path:
    return Path(settings.PHOIHOP_TRIAGE_SNAPSHOT_DIR) / f"engine-{name or partition()}.pickle"


# ---- routing and claims, read from the database ------------------------------------------


def routing_config() -> RoutingConfig:
    active = Agency.objects.filter(is_active=True)
    singles: dict[str, str] = {}
    for kind, code in active.filter(unit__isnull=True).order_by("-id").values_list("kind", "code"):
        singles[kind] = code  # the oldest of each kind wins (ordered newest first)
    province = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.PROVINCE).first()
    return RoutingConfig(
        field_agency={
            e.field.code: e.agency.current.code
            for e in RoutingEntry.objects.select_related("field", "agency", "agency__successor")
        },
        default_agency=singles.get(Agency.Kind.PEOPLES_COMMITTEE, "ubnd"),
        court=singles.get(Agency.Kind.COURT, "tand"),
        procuracy=singles.get(Agency.Kind.PROCURACY, "vksnd"),
        council=singles.get(Agency.Kind.COUNCIL, "hdnd"),
        province_code=province.code if province else None,
        commune_agency={
            unit_code: code
            for unit_code, code in active.filter(
                kind=Agency.Kind.COMMUNE, unit__isnull=False
            ).values_list("unit__code", "code")
        },
    )


def _claims() -> list[Any]:
    return [claim for source in hooks.claim_source for claim in source()]


# ---- the field model: learning that never makes it worse -----------------------------------


def confirmed_examples() -> list[Example]:
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


def retrain_fields(held: Held, *, examples: list[Example] | None = None) -> FieldModelVersion:
    """Retrain the field model on staff-confirmed examples through the engine's gate: the
    candidate replaces the model in use only when it scores better on held-out confirmed
    examples and not below the lexicon alone; with few examples the lexicon decides. Every
    decision is kept for the administrators' page."""
    engine = held.engine
    engine.field_examples = sorted(
        set(confirmed_examples() if examples is None else examples),
        key=lambda e: (e.text, e.label),
    )
    result = engine.retrain_fields()
    engine.field_examples = []  # the database keeps them; the snapshot need not
    held.field_version = result.version
    held.dirty = True

    def accuracy(name: str) -> float | None:
        score = result.score(name)  # type: ignore[arg-type]
        return round(score.accuracy, 4) if score is not None and score.total else None

    candidate = result.score("candidate")
    return FieldModelVersion.objects.create(
        version=result.version,
        adopted=result.chosen == "candidate",
        chosen=result.chosen,
        examples=candidate.training_size if candidate else result.training_size,
        held_out=result.held_out_size,
        lexicon_score=accuracy("lexicon"),
        current_score=accuracy("current"),
        candidate_score=accuracy("candidate"),
        reason=result.reason,
    )


# ---- build, load, save ---------------------------------------------------------------------


def _rows(qs: Any) -> Iterator[list[Any]]:
    it = qs.iterator(chunk_size=BUILD_CHUNK)
    while chunk := list(itertools.islice(it, BUILD_CHUNK)):
        yield chunk


def _signal_groups() -> Any:
    """Every signal the engine should hold, with its group key parts, oldest first."""
    return (
        Signal.objects.filter(Q(issue__isnull=False) | Q(proposal__cluster__isnull=False))
        .order_by("id")
        .annotate(happened=happened_at())
        .values_list("id", "text", "channel", "happened", "issue_id", "proposal__cluster__key")
    )


def build() -> Held:
    """A fresh engine from the database, in batches, with a progress line."""
    started = time.monotonic()
    seq = EngineEvent.objects.aggregate(m=Max("id"))["m"] or 0
    routing = routing_config()
    engine = TriageEngine(
        # clusters are pending groups: staff accept or split each one as a whole
        EngineConfig(
            province_code=routing.province_code, index=IndexConfig(pending_prefix=CLUSTER_PREFIX)
        ),
        routing=routing,
        encoder=encoder(),
    )
    engine.set_claims(_claims())
    _score_unscored_pairs(engine, up_to=seq)
    pairs = [
        LabelledPair(s, same) for s, same in GroupingFeedback.objects.values_list("score", "same")
    ]
    if pairs:
        engine.index.thresholds = tune_thresholds(pairs, engine.index.thresholds)
    engine.feedback = pairs
    held = Held(engine=engine, seq=seq)
    retrain_fields(held)
    for chunk in _rows(
        Issue.objects.exclude(state=Issue.State.CLOSED)
        .order_by("id")
        .values_list("id", "title", "description")
    ):
        for pk, title, description in chunk:
            batch = engine.featurizer.transform([f"{title}. {description}".strip(". ")])
            engine.index.add_representative(issue_key(pk), f"t:{pk}", batch)
    total = Signal.objects.filter(
        Q(issue__isnull=False) | Q(proposal__cluster__isnull=False)
    ).count()
    done = 0
    for chunk in _rows(_signal_groups()):
        pks, texts, channels, ats, issues, clusters = zip(*chunk, strict=True)
        keys = [
            issue_key(i) if i is not None else str(c) for i, c in zip(issues, clusters, strict=True)
        ]
        engine.place_batch(
            list(texts), [signal_key(p) for p in pks], keys, list(channels), list(ats)
        )
        done += len(chunk)
        log.warning("Dựng lại bộ phân loại: %s/%s ý kiến", done, total)
    held.watermark = Signal.objects.filter(proposal__isnull=False).aggregate(m=Max("id"))["m"] or 0
    held.triaged = P.objects.filter(signal_id__lte=held.watermark).count()
    held.dirty = True
    log.warning(
        "Bộ phân loại sẵn sàng: %s ý kiến, %.1f giây",
        len(engine.signal_issue),
        time.monotonic() - started,
    )
    return held


def _score_unscored_pairs(engine: TriageEngine, *, up_to: int) -> None:
    """Labelled pairs staff made before this build that no engine has scored yet."""
    done = set(
        GroupingFeedback.objects.exclude(journal_seq=None).values_list("journal_seq", flat=True)
    )
    for event in EngineEvent.objects.filter(kind=EngineEvent.Kind.PAIR, id__lte=up_to):
        if event.pk not in done:
            _keep_pair(engine, event.pk, event.data)


def _keep_pair(engine: TriageEngine, event_id: int, data: dict[str, Any]) -> float:
    score = engine._pair_score(data["a"], data["b"])
    GroupingFeedback.objects.get_or_create(
        journal_seq=event_id,
        defaults={
            "kind": data["kind"],
            "score": round(score, 4),
            "same": bool(data["same"]),
            "created_by_id": data.get("by"),
        },
    )
    return score


def save(held: Held, name: str | None = None) -> Path:
    """Write the snapshot atomically (a temporary file, then a rename)."""
    path = snapshot_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    state = {
        "format": SNAPSHOT_FORMAT,
        "seq": held.seq,
        "watermark": held.watermark,
        "triaged": held.triaged,
        "field_version": held.field_version,
        "engine": held.engine,
    }
    with tmp.open("wb") as out:
        pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    held.saved_at = time.monotonic()
    held.dirty = False
    return path


def load(name: str | None = None) -> Held | None:
    """The snapshot if it exists and still matches the database, else None."""
    path = snapshot_path(name)
    try:
        with path.open("rb") as src:
            state = pickle.load(src)  # noqa: S301 - only files this module wrote under var/
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    if not isinstance(state, dict) or state.get("format") != SNAPSHOT_FORMAT:
        return None
    seq, watermark = int(state["seq"]), int(state["watermark"])
    last_event = EngineEvent.objects.aggregate(m=Max("id"))["m"] or 0
    if seq > last_event or P.objects.filter(signal_id__lte=watermark).count() != state["triaged"]:
        log.warning("Bản lưu bộ phân loại không khớp cơ sở dữ liệu: dựng lại.")
        return None
    # the encoder is never pickled: the one the settings name now goes back in
    state["engine"].set_encoder(encoder())
    held = Held(
        engine=state["engine"],
        seq=seq,
        watermark=watermark,
        triaged=int(state["triaged"]),
        field_version=int(state.get("field_version", 0)),
    )
    _catch_up(held)
    return held


def _catch_up(held: Held) -> None:
    """Signals triaged after the snapshot was written (by a worker that then died) are put
    back in their groups, so nothing is triaged twice or forgotten."""
    engine = held.engine
    rows = (
        Signal.objects.filter(id__gt=held.watermark, proposal__isnull=False)
        .order_by("id")
        .annotate(happened=happened_at())
        .values_list("id", "text", "channel", "happened", "issue_id", "proposal__cluster__key")
    )
    for chunk in _rows(rows):
        fresh = [r for r in chunk if signal_key(r[0]) not in engine.signal_issue]
        if fresh:
            pks, texts, channels, ats, issues, clusters = zip(*fresh, strict=True)
            keys = [
                issue_key(i) if i is not None else (c or cluster_key(p))
                for p, i, c in zip(pks, issues, clusters, strict=True)
            ]
            engine.place_batch(
                list(texts), [signal_key(p) for p in pks], keys, list(channels), list(ats)
            )
        held.watermark = max(held.watermark, chunk[-1][0])
        held.dirty = True
    held.triaged = P.objects.filter(signal_id__lte=held.watermark).count()


def current(name: str | None = None) -> Held:
    """This process's engine for the partition: in memory, else the snapshot, else built;
    then brought up to date with the journal."""
    key = name or partition()
    with _lock:
        held = _held.get(key)
        if held is None:
            held = load(key) or build()
            _held[key] = held
        sync(held)
        return held


def forget(name: str | None = None) -> None:
    """Drop the in-memory engine (after a failed write, or in tests); the snapshot stays."""
    with _lock:
        if name is None:
            _held.clear()
        else:
            _held.pop(name, None)


def maybe_save(held: Held, name: str | None = None, *, force: bool = False) -> bool:
    due = time.monotonic() - held.saved_at >= settings.PHOIHOP_TRIAGE_SNAPSHOT_SECONDS
    if held.dirty and (force or due):
        save(held, name)
        return True
    return False


# ---- the journal, applied in place -------------------------------------------------------


def sync(held: Held) -> int:
    """Apply every journal row the engine has not seen, in order."""
    applied = 0
    retrain = False
    for event in EngineEvent.objects.filter(id__gt=held.seq).order_by("id").iterator():
        retrain |= apply(held, event.kind, event.data, event_id=event.pk)
        held.seq = event.pk
        held.dirty = True
        applied += 1
    if retrain:
        retrain_fields(held)
    # agencies and routing rules are read at every task, the router rebuilt only when they
    # changed (building it took 5–8 ms of each signal's triage)
    routing = routing_config()
    if routing != held.routing:
        held.engine.router = Router(routing)
        held.routing = routing
    return applied


def _move(engine: TriageEngine, signal_ids: list[str], target: str) -> None:
    by_group: dict[str, list[str]] = {}
    for sid in signal_ids:
        group = engine.signal_issue.get(sid)
        if group is not None and group != target:
            by_group.setdefault(group, []).append(sid)
    for group, sids in by_group.items():
        engine.index.move_signals(sids, group, target)
        for sid in sids:
            engine.signal_issue[sid] = target


def apply(held: Held, kind: str, data: dict[str, Any], *, event_id: int) -> bool:
    """Apply one change; returns True when the field model should be retrained."""
    engine = held.engine
    K = EngineEvent.Kind
    if kind == K.PLACE:
        _move(engine, [signal_key(s) for s in data["signals"]], data["group"])
    elif kind == K.MERGE:
        engine.merge_issues(data["target"], data["source"])
    elif kind == K.SPLIT:
        moving = [signal_key(s) for s in data["signals"] if signal_key(s) in engine.signal_issue]
        if moving:
            engine.split_issue(data["group"], moving, data["new"])
    elif kind == K.PAIR:
        score = _keep_pair(engine, event_id, data)
        engine.feedback.append(LabelledPair(score, bool(data["same"])))
        engine.index.thresholds = tune_thresholds(engine.feedback, engine.index.thresholds)
    elif kind == K.FIELD:
        return True
    elif kind == K.ISSUE:
        batch = engine.featurizer.transform([data["text"]])
        engine.index.add_representative(issue_key(data["issue"]), f"t:{data['issue']}", batch)
    elif kind == K.CLAIMS:
        engine.set_claims(_claims())
    return False
