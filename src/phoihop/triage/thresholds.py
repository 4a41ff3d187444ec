"""The group decision: two cosine thresholds (auto-join / suggest / new), what a decision
carries as evidence, and the thresholds tuned from staff feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np


@dataclass(frozen=True)
class Thresholds:
    """Cosine similarity levels: ≥ auto_join joins automatically, ≥ suggest asks staff."""

    auto_join: float = 0.65
    suggest: float = 0.45

    def decide(self, score: float) -> Decision:
        if score >= self.auto_join:
            return Decision.JOIN
        if score >= self.suggest:
            return Decision.SUGGEST
        return Decision.NEW


class Decision(StrEnum):
    JOIN = "join"
    SUGGEST = "suggest"
    NEW = "new"


@dataclass(frozen=True)
class Neighbour:
    """A nearby issue and the representative signal that was closest."""

    issue_id: str
    signal_id: str
    score: float


@dataclass(frozen=True)
class GroupDecision:
    """What to do with a signal, with the evidence."""

    action: Decision
    issue_id: str | None  # issue to join (JOIN) or proposed (SUGGEST); None for NEW
    score: float  # best cosine similarity found (0 if no candidate)
    neighbours: tuple[Neighbour, ...]  # best representative per nearby issue, best first
    candidates_checked: int  # representatives verified exactly (from the LSH index)
    thresholds: Thresholds
    reason: str


@dataclass(frozen=True)
class LabelledPair:
    """Staff feedback on a pair: their similarity score and whether they are the same issue."""

    score: float
    same: bool


def tune_thresholds(
    pairs: Sequence[LabelledPair],
    current: Thresholds | None = None,
    target_precision: float = 0.97,
    target_recall: float = 0.97,
    min_pairs: int = 10,
) -> Thresholds:
    """New thresholds from labelled pairs (staff merges = same, splits/rejections = not same).

    auto_join is the lowest score whose "≥ score" set reaches ``target_precision``;
    suggest is the highest score that still keeps ``target_recall`` of same-issue pairs at or
    above it (never above auto_join). With fewer than ``min_pairs`` labels the current
    thresholds are blended towards the estimate in proportion to the evidence.
    """
    current = current or Thresholds()
    if not pairs:
        return current
    scores = np.array([p.score for p in pairs], dtype=np.float64)
    labels = np.array([p.same for p in pairs], dtype=bool)
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    precision = tp / np.arange(1, len(y) + 1)
    auto = current.auto_join
    ok = np.flatnonzero(precision >= target_precision)
    if len(ok):
        # the deepest prefix that is still precise enough; its last score is the threshold
        auto = float(s[ok[-1]])
        # halfway to the next (lower) score, so that score itself is excluded
        nxt = ok[-1] + 1
        if nxt < len(s) and s[nxt] < auto:
            auto = float((auto + s[nxt]) / 2)
    elif labels.any():
        auto = float(s[0]) + 1e-6
    sugg = current.suggest
    if labels.any():
        pos = np.sort(scores[labels])
        k = int(np.floor((1.0 - target_recall) * len(pos)))
        sugg = float(pos[min(k, len(pos) - 1)]) - 1e-6
    sugg = min(sugg, auto)
    w = min(1.0, len(pairs) / float(min_pairs))
    auto = w * auto + (1 - w) * current.auto_join
    sugg = w * sugg + (1 - w) * current.suggest
    return Thresholds(auto_join=round(auto, 4), suggest=round(min(sugg, auto), 4))
