"""Learning that never makes it worse: a retrained field model replaces the current one only
when it does better on held-out staff-confirmed examples, and never worse than the lexicon.

``gate_field_model`` scores three contenders on the same held-out examples — the lexicon
alone, the current model (mixed with the lexicon as ``FieldClassifier`` mixes them) and the
retrained candidate — and says which one the engine should use. With fewer than
``min_held_out`` examples nothing can be shown, so the lexicon decides. The result is a
plain dataclass, pickled with the engine, for the administrators' page: version, training
set size, held-out score of each contender and why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .classify import Example, FieldClassifier, TextClassifier

Choice = Literal["lexicon", "current", "candidate"]

MIN_HELD_OUT = 30


@dataclass(frozen=True)
class ContenderScore:
    name: Choice
    correct: int
    total: int
    training_size: int  # examples its model was fitted on (0: the lexicon alone)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class GateResult:
    chosen: Choice
    version: int  # counts adopted models; 0 = the lexicon alone has always decided
    fingerprint: str  # of the model in use ("" for the lexicon alone)
    training_size: int  # examples the model in use was fitted on (0 for the lexicon)
    held_out_size: int
    scores: tuple[ContenderScore, ...]  # every contender that was scored
    reason: str  # one sentence in Vietnamese for the administrators' page

    def score(self, name: Choice) -> ContenderScore | None:
        return next((s for s in self.scores if s.name == name), None)

    @property
    def held_out_accuracy(self) -> float | None:
        """Held-out accuracy of what is in use now."""
        s = self.score(self.chosen)
        return s.accuracy if s is not None and s.total else None


def model_fingerprint(model: TextClassifier | None) -> str:
    if model is None:
        return ""
    return hashlib.sha256(model.to_bytes()).hexdigest()[:12]


def _pct(s: ContenderScore) -> str:
    return f"{s.accuracy:.0%}"


def _score(
    name: Choice, fields: FieldClassifier, model: TextClassifier | None, held: Sequence[Example]
) -> ContenderScore:
    preds = fields.with_model(model).classify([e.text for e in held])
    correct = sum(p.label == e.label for p, e in zip(preds, held, strict=True))
    return ContenderScore(name, correct, len(held), int(getattr(model, "n_train", 0)))


def gate_field_model(
    candidate: TextClassifier,
    current: TextClassifier | None,
    held_out: Sequence[Example],
    *,
    fields: FieldClassifier | None = None,
    previous: GateResult | None = None,
    min_held_out: int = MIN_HELD_OUT,
) -> GateResult:
    """Which field model to use: the candidate only if it beats the current model (or, with
    none, the lexicon) on ``held_out`` and is not below the lexicon alone; the current model
    while it is not below the lexicon; otherwise the lexicon alone.

    ``fields`` supplies the lexicon and mixing settings (default ``FieldClassifier()``);
    ``previous`` is the last result, so versions keep counting. Pure: nothing is modified.
    """
    fields = fields or FieldClassifier()
    version = previous.version if previous is not None else 0
    held = list(held_out)
    n = len(held)
    if n < min_held_out:
        return GateResult(
            "lexicon",
            version,
            "",
            0,
            n,
            (),
            f"Mới có {n} ví dụ đã xác nhận để kiểm tra (cần ít nhất {min_held_out}): "
            "dùng từ điển lĩnh vực.",
        )
    lex = _score("lexicon", fields, None, held)
    cand = _score("candidate", fields, candidate, held)
    cur = _score("current", fields, current, held) if current is not None else None
    scores = tuple(s for s in (lex, cur, cand) if s is not None)
    bar = cur if cur is not None else lex
    if cand.correct > bar.correct and cand.correct >= lex.correct:
        against = (
            f"hơn mô hình đang dùng ({_pct(cur)}) và không thấp hơn từ điển ({_pct(lex)})"
            if cur is not None
            else f"hơn từ điển ({_pct(lex)})"
        )
        return GateResult(
            "candidate",
            version + 1,
            model_fingerprint(candidate),
            cand.training_size,
            n,
            scores,
            f"Mô hình mới đúng {_pct(cand)} trên {n} ví dụ đã xác nhận, {against}: "
            "đã dùng mô hình mới.",
        )
    if cur is not None and cur.correct >= lex.correct:
        return GateResult(
            "current",
            version,
            previous.fingerprint if previous is not None else model_fingerprint(current),
            cur.training_size,
            n,
            scores,
            f"Mô hình mới đúng {_pct(cand)} trên {n} ví dụ đã xác nhận, không hơn mô hình "
            f"đang dùng ({_pct(cur)}): giữ mô hình đang dùng.",
        )
    return GateResult(
        "lexicon",
        version,
        "",
        0,
        n,
        scores,
        f"Trên {n} ví dụ đã xác nhận, từ điển đúng {_pct(lex)}, mô hình mới {_pct(cand)}"
        + (f", mô hình đang dùng {_pct(cur)}" if cur is not None else "")
        + ": dùng từ điển lĩnh vực.",
    )


def split_held_out(
    examples: Sequence[Example], share: float = 1 / 3
) -> tuple[list[Example], list[Example]]:
    """(training, held-out): a stable split by the text's hash, so the same confirmed example
    stays on the same side from one retraining to the next and a text told twice never
    lands on both sides."""
    train: list[Example] = []
    held: list[Example] = []
    cut = int(share * 1000)
    for e in examples:
        h = int.from_bytes(hashlib.sha256(e.text.strip().lower().encode("utf-8")).digest()[:4])
        (held if h % 1000 < cut else train).append(e)
    return train, held
