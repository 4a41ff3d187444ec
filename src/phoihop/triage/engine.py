"""The triage facade: one call turns a signal into a proposal with its evidence."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .claims import Claim, ClaimMatch, ClaimRegistry
from .classify import (
    ClassifierConfig,
    Example,
    FieldClassifier,
    TextClassifier,
    TextEncoder,
    train,
)
from .features import Batch, FeatureConfig, Featurizer
from .gate import MIN_HELD_OUT, GateResult, gate_field_model, split_held_out
from .grouping import (
    Decision,
    GroupDecision,
    IndexConfig,
    IssueIndex,
    LabelledPair,
    Thresholds,
    tune_thresholds,
)
from .hotness import Hotness, HotnessConfig, hotness
from .places import Gazetteer, Place
from .proposal import Prepared, Proposal, ReliabilityRisk
from .routing import Route, Router, RoutingConfig


@dataclass
class EngineConfig:
    province_code: int | None = 20
    thresholds: Thresholds = field(default_factory=Thresholds)
    index: IndexConfig = field(default_factory=IndexConfig)
    # accent-free syllables: a signal typed without diacritics stays close to its original
    features: FeatureConfig = field(default_factory=lambda: FeatureConfig(accented_words=False))
    hotness: HotnessConfig = field(default_factory=HotnessConfig)
    claims_k: int = 3
    claim_min_score: float = 0.55
    # with the optional encoder: the blended score proposing a claim as often as n-grams do at
    # claim_min_score on sentences that state no claim (bench/RESULTS.md, encoder section)
    claim_min_score_encoder: float = 0.63
    reliability_flag_at: float = 0.7
    fake_label: str = "fake"
    join_suggestions: bool = False  # in ingest, treat SUGGEST as JOIN (False: new issue)


class TriageEngine:
    """Holds the issue index, field model, routing config, gazetteer and claim registry."""

    encoder: TextEncoder | None = None  # class default: engines pickled before it existed

    def __init__(
        self,
        config: EngineConfig | None = None,
        routing: RoutingConfig | None = None,
        gazetteer: Gazetteer | None = None,
        field_classifier: FieldClassifier | None = None,
        claims: ClaimRegistry | None = None,
        reliability: TextClassifier | None = None,
        encoder: TextEncoder | None = None,
    ) -> None:
        self.config = config or EngineConfig()
        # optional sentence encoder (``encoders.make_encoder``): re-ranks the claim shortlist
        self.encoder = encoder
        self.featurizer = Featurizer(self.config.features)
        self.index = IssueIndex(self.featurizer, self.config.thresholds, self.config.index)
        routing = routing or RoutingConfig(province_code=self.config.province_code)
        self.router = Router(routing)
        self.gazetteer = gazetteer or Gazetteer.from_vietnam_provinces()
        self.fields = field_classifier or FieldClassifier()
        self.claims = claims or ClaimRegistry(
            min_score=self.config.claim_min_score,
            encoder_min_score=self.config.claim_min_score_encoder,
        )
        if encoder is not None:
            self.claims.encoder = encoder
        self.reliability = reliability
        self.events: dict[str, list[tuple[datetime, str]]] = {}  # issue → arrivals
        self.signal_issue: dict[str, str] = {}
        self.signal_text: dict[str, str] = {}
        self.feedback: list[LabelledPair] = []
        self.field_examples: list[Example] = []
        self.field_gate: GateResult | None = None  # the last retraining decision
        self.keep_texts = True
        self._next = 0

    # -- setup ------------------------------------------------------------------------------
    def fit_idf(self, texts: Sequence[str]) -> None:
        """Fit idf weights on a reference corpus; do this before indexing signals."""
        if len(self.index.rep_issue):
            raise RuntimeError("fit idf before indexing signals")
        self.featurizer.fit_idf(texts)

    def set_claims(self, claims: Sequence[Claim]) -> None:
        self.claims = ClaimRegistry(
            claims,
            min_score=self.config.claim_min_score,
            encoder=self.encoder,
            encoder_min_score=self.config.claim_min_score_encoder,
        )

    def set_encoder(self, encoder: TextEncoder | None) -> None:
        """Attach (or with None, detach) the optional encoder, e.g. after ``from_bytes``:
        the encoder is never pickled."""
        self.encoder = encoder
        self.claims.encoder = encoder
        # blended scores have their own threshold (also for registries pickled before it)
        self.claims.encoder_min_score = self.config.claim_min_score_encoder

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["encoder"] = None
        return state

    @property
    def thresholds(self) -> Thresholds:
        return self.index.thresholds

    # -- proposals --------------------------------------------------------------------------
    def prepare(self, texts: Sequence[str], with_claims: bool = True) -> Prepared:
        """Everything about a batch that does not depend on the issue index: features, field,
        places, route, claim matches, reliability risk. Pure with respect to the index, so it
        may run in another process (``phoihop.triage.parallel``) while the index is busy."""
        texts = list(texts)
        batch = self.featurizer.transform(texts)
        preds = self.fields.classify_keys(batch.keys, texts, batch.accented)
        claim_matches: list[tuple[ClaimMatch, ...]] = [() for _ in texts]
        if with_claims and len(self.claims):
            claim_matches = [tuple(m) for m in self.claims.match_many(texts, self.config.claims_k)]
        risks: list[ReliabilityRisk | None] = [None] * len(texts)
        if self.reliability is not None:
            proba = self.reliability.predict_proba(texts)
            classes = self.reliability.classes
            if self.config.fake_label in classes:
                col = classes.index(self.config.fake_label)
                for i, row in enumerate(proba):
                    r = float(row[col])
                    flag = r >= self.config.reliability_flag_at
                    risks[i] = ReliabilityRisk(
                        round(r, 4),
                        flag,
                        self.config.fake_label,
                        (
                            f"Mô hình đánh giá khả năng tin sai lệch {r:.0%}"
                            + (" — cần cán bộ kiểm chứng (không phải kết luận)." if flag else ".")
                        ),
                    )
        pc = self.config.province_code
        places: list[tuple[Place, ...]] = []
        routes: list[Route] = []
        for i in range(len(texts)):
            found = self.gazetteer.extract_keys(batch.accented[i], batch.keys[i], pc)
            places.append(tuple(found))
            routes.append(self.router.route(batch.keys[i], preds[i].label, found))
        return Prepared(texts, batch, preds, places, routes, claim_matches, risks)

    def analysis_copy(self) -> TriageEngine:
        """A copy holding only what ``prepare`` needs (no index, no history): small to send
        to a worker process."""
        clone = copy.copy(self)
        clone.index = IssueIndex(self.featurizer, self.index.thresholds, self.index.config)
        clone.events, clone.signal_issue, clone.signal_text = {}, {}, {}
        clone.feedback, clone.field_examples = [], []
        return clone

    @staticmethod
    def _proposals(
        prep: Prepared,
        groups: Sequence[GroupDecision],
        channels: Sequence[str],
        ats: Sequence[datetime],
        signal_ids: Sequence[str | None],
        issue_ids: Sequence[str | None],
    ) -> list[Proposal]:
        b = prep.batch
        return [
            Proposal(
                signal_ids[i],
                b.hashes[i],
                b.accented[i],
                channels[i],
                ats[i],
                groups[i],
                prep.fields[i],
                prep.routes[i],
                prep.places[i],
                prep.claims[i],
                prep.risks[i],
                issue_ids[i],
            )
            for i in range(len(prep.texts))
        ]

    def triage_batch(
        self,
        texts: Sequence[str],
        channel: str = "petition",
        at: datetime | None = None,
        with_claims: bool = True,
    ) -> list[Proposal]:
        """Proposals for texts against the current index, without changing anything."""
        at = at or datetime.now(UTC)
        prep = self.prepare(texts, with_claims)
        groups = self.index.query(prep.batch)
        n = len(prep.texts)
        return self._proposals(prep, groups, [channel] * n, [at] * n, [None] * n, [None] * n)

    def triage(self, text: str, channel: str = "petition", at: datetime | None = None) -> Proposal:
        return self.triage_batch([text], channel, at)[0]

    def _new_id(self) -> str:
        self._next += 1
        return f"s{self._next}"

    def _commit(
        self,
        texts: Sequence[str],
        batch: Batch,
        signal_ids: Sequence[str] | None,
        channels: Sequence[str] | None,
        ats: Sequence[datetime] | None,
    ) -> tuple[list[GroupDecision], list[str], list[str], list[datetime], list[str | None]]:
        n = len(texts)
        sids = list(signal_ids) if signal_ids is not None else [self._new_id() for _ in texts]
        chans = list(channels) if channels is not None else ["petition"] * n
        now = datetime.now(UTC)
        times = list(ats) if ats is not None else [now] * n
        groups = self.index.ingest(batch, sids, join_suggestions=self.config.join_suggestions)
        issue_ids: list[str | None] = []
        for i, g in enumerate(groups):
            joined = g.action is Decision.JOIN or (
                self.config.join_suggestions and g.action is Decision.SUGGEST
            )
            issue = g.issue_id if joined and g.issue_id is not None else sids[i]
            issue_ids.append(issue)
            self.signal_issue[sids[i]] = issue
            self.events.setdefault(issue, []).append((times[i], chans[i]))
            if self.keep_texts:
                self.signal_text[sids[i]] = texts[i]
        return groups, sids, chans, times, issue_ids

    def ingest_prepared(
        self,
        prep: Prepared,
        signal_ids: Sequence[str] | None = None,
        channels: Sequence[str] | None = None,
        ats: Sequence[datetime] | None = None,
    ) -> list[Proposal]:
        """Commit a prepared batch in order (see ``ingest_batch``)."""
        groups, sids, chans, times, issue_ids = self._commit(
            prep.texts, prep.batch, signal_ids, channels, ats
        )
        return self._proposals(prep, groups, chans, times, list(sids), issue_ids)

    def ingest_batch(
        self,
        texts: Sequence[str],
        signal_ids: Sequence[str] | None = None,
        channels: Sequence[str] | None = None,
        ats: Sequence[datetime] | None = None,
        with_claims: bool = True,
        analyse: bool = True,
    ) -> list[Proposal]:
        """Triage and commit signals in order: JOIN adds to the issue, otherwise a new issue
        (id = signal id) is opened. Equivalent to calling ``add_signal`` one by one."""
        if not analyse:
            self._commit(texts, self.featurizer.transform(texts), signal_ids, channels, ats)
            return []
        return self.ingest_prepared(self.prepare(texts, with_claims), signal_ids, channels, ats)

    def add_signal(
        self,
        text: str,
        signal_id: str | None = None,
        channel: str = "petition",
        at: datetime | None = None,
        issue_id: str | None = None,
    ) -> Proposal:
        """Commit one signal; with ``issue_id`` staff place it in that issue directly."""
        sid = signal_id or self._new_id()
        at = at or datetime.now(UTC)
        if issue_id is None:
            return self.ingest_batch([text], [sid], [channel], [at])[0]
        prep = self.prepare([text])
        group = self.index.query(prep.batch)[0]
        self._place(prep.batch, [sid], [issue_id], [channel], [at], [text])
        return self._proposals(prep, [group], [channel], [at], [sid], [issue_id])[0]

    def place_batch(
        self,
        texts: Sequence[str],
        signal_ids: Sequence[str],
        issue_ids: Sequence[str],
        channels: Sequence[str] | None = None,
        ats: Sequence[datetime] | None = None,
    ) -> None:
        """Put signals whose issue staff already decided into the index (e.g. when the
        engine is rebuilt from the database): no proposals, so no field, place or claims."""
        n = len(texts)
        now = datetime.now(UTC)
        self._place(
            self.featurizer.transform(texts),
            signal_ids,
            issue_ids,
            channels if channels is not None else ["petition"] * n,
            ats if ats is not None else [now] * n,
            texts,
        )

    def _place(
        self,
        batch: Batch,
        signal_ids: Sequence[str],
        issue_ids: Sequence[str],
        channels: Sequence[str],
        ats: Sequence[datetime],
        texts: Sequence[str],
    ) -> None:
        index = self.index
        sig = self.featurizer.signatures(batch)
        keys = index.band_keys(sig)
        for i, (sid, issue_id) in enumerate(zip(signal_ids, issue_ids, strict=True)):
            rec = index.issues.get(issue_id)
            if rec is None or len(rec.reps) < index.config.max_reps_per_issue:
                index._insert(issue_id, sid, keys[i], batch.vectors[i], sig[i], batch.road_set(i))
            index.issues[issue_id].size += 1
            self.signal_issue[sid] = issue_id
            self.events.setdefault(issue_id, []).append((ats[i], channels[i]))
            if self.keep_texts:
                self.signal_text[sid] = texts[i]

    # -- staff corrections ------------------------------------------------------------------
    def _pair_score(self, a: str, b: str) -> float:
        v = self.featurizer.vectors([a, b])
        return float(v[0].multiply(v[1]).sum())

    def _issue_texts(self, issue_id: str) -> list[str]:
        return [
            self.signal_text[s]
            for s, i in self.signal_issue.items()
            if i == issue_id and s in self.signal_text
        ]

    def remove_signal(self, signal_id: str) -> None:
        self.index.remove_signal(signal_id)
        self.signal_issue.pop(signal_id, None)
        self.signal_text.pop(signal_id, None)

    def merge_issues(self, target: str, source: str) -> None:
        """Staff say ``source`` is the same issue as ``target``: merge, learn a positive pair."""
        ta, sa = self._issue_texts(target), self._issue_texts(source)
        if ta and sa:
            self.feedback.append(LabelledPair(self._pair_score(ta[0], sa[0]), True))
        self.index.merge(target, source)
        for s, i in list(self.signal_issue.items()):
            if i == source:
                self.signal_issue[s] = target
        self.events.setdefault(target, []).extend(self.events.pop(source, []))
        self.events[target].sort()

    def split_issue(self, issue_id: str, signal_ids: Sequence[str], new_issue_id: str) -> None:
        """Staff move ``signal_ids`` out of ``issue_id`` into a new issue; learn negatives."""
        moving = set(signal_ids)
        stay = [s for s, i in self.signal_issue.items() if i == issue_id and s not in moving]
        if stay and moving:
            a = self.signal_text.get(stay[0])
            b = self.signal_text.get(next(iter(moving)))
            if a is not None and b is not None:
                self.feedback.append(LabelledPair(self._pair_score(a, b), False))
        self.index.move_signals(moving, issue_id, new_issue_id)
        if not self.index.issues[new_issue_id].reps:
            for s in signal_ids:
                if s in self.signal_text:
                    batch = self.featurizer.transform([self.signal_text[s]])
                    sig = self.featurizer.signatures(batch)
                    self.index._insert(
                        new_issue_id,
                        s,
                        self.index.band_keys(sig)[0],
                        batch.vectors[0],
                        sig[0],
                        batch.road_set(0),
                    )
                    break
        for s in moving:
            self.signal_issue[s] = new_issue_id

    def record_suggestion(self, text: str, issue_id: str, accepted: bool) -> None:
        """Staff accepted/rejected a suggested join: a labelled pair for threshold tuning."""
        texts = self._issue_texts(issue_id)
        if texts:
            score = max(self._pair_score(text, t) for t in texts[:5])
            self.feedback.append(LabelledPair(score, accepted))

    def retune_thresholds(self, **kwargs: float) -> Thresholds:
        new = tune_thresholds(self.feedback, self.index.thresholds, **kwargs)  # type: ignore[arg-type]
        self.index.thresholds = new
        return new

    def correct_field(self, text: str, field_code: str) -> None:
        self.field_examples.append(Example(text, field_code))

    def retrain_fields(
        self,
        config: ClassifierConfig | None = None,
        held_out: Sequence[Example] | None = None,
        min_held_out: int = MIN_HELD_OUT,
    ) -> GateResult:
        """Retrain the field model from the staff-confirmed examples and adopt it only if it
        does better on held-out confirmed examples (``gate_field_model``). Without
        ``held_out`` a stable third of ``field_examples`` is held out and the rest trains.
        The decision is kept in ``field_gate``."""
        if held_out is None:
            training, held = split_held_out(self.field_examples)
        else:
            training, held = list(self.field_examples), list(held_out)
        if len({e.label for e in training}) < 2:
            # nothing to learn from yet: keep what is in use
            result = getattr(self, "field_gate", None) or GateResult(
                "lexicon",
                0,
                "",
                0,
                len(held),
                (),
                "Chưa đủ ví dụ đã xác nhận ở ít nhất hai lĩnh vực để huấn luyện: "
                "dùng từ điển lĩnh vực.",
            )
        else:
            candidate = train(training, config)
            result = gate_field_model(
                candidate,
                self.fields.model,
                held,
                fields=self.fields,
                previous=getattr(self, "field_gate", None),
                min_held_out=min_held_out,
            )
            if result.chosen == "candidate":
                self.fields.model = candidate
            elif result.chosen == "lexicon":
                self.fields.model = None
        self.field_gate = result
        return result

    # -- hotness ----------------------------------------------------------------------------
    def hotness(self, issue_id: str, now: datetime | None = None) -> Hotness:
        return hotness(self.events.get(issue_id, []), now or datetime.now(UTC), self.config.hotness)

    # -- state ------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def from_bytes(data: bytes) -> TriageEngine:
        obj = pickle.loads(data)  # noqa: S301 - only bytes written by to_bytes
        if not isinstance(obj, TriageEngine):
            raise TypeError("not a TriageEngine")
        return obj
