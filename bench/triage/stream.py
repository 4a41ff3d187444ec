"""One throughput/grouping run in its own process (so its peak RSS is its own).

python -m bench.triage.stream --data DIR --n 100000 --out FILE.json [--baomoi] [--compare]
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from phoihop.triage.engine import EngineConfig, TriageEngine
from phoihop.triage.grouping import LabelledPair, Thresholds, tune_thresholds
from phoihop.triage.parallel import Chunk, ParallelIngest, peak_rss_mb

from .data import build_bases, build_stream, iter_articles


def bcubed(pred: list[str], true: list[int]) -> dict[str, float]:
    cells = Counter(zip(pred, true, strict=True))
    psize = Counter(pred)
    tsize = Counter(true)
    n = len(pred)
    p = sum(c * c / psize[a] for (a, _), c in cells.items()) / n
    r = sum(c * c / tsize[b] for (_, b), c in cells.items()) / n
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4)}


def article_text(a: dict[str, str], limit: int = 2000) -> str:
    return (a.get("title", "") + ". " + a.get("text", ""))[:limit]


def make_engine(articles: list[dict[str, str]]) -> TriageEngine:
    engine = TriageEngine(EngineConfig())
    engine.keep_texts = False
    sample = [article_text(a, 800) for a in articles[:: max(1, len(articles) // 8000)]]
    engine.fit_idf(sample)
    return engine


def tune(engine: TriageEngine, articles: list[dict[str, str]], n: int = 5000) -> dict[str, float]:
    """Thresholds from labelled pairs of a held-out stream, as staff feedback would give
    them: each signal's best same-issue neighbour (positive) and its best other-issue
    neighbour (negative)."""
    stream = build_stream(build_bases(articles, int(n / 2.4), seed=101), n, seed=102)
    x = engine.featurizer.vectors(stream.texts)
    sims = (x @ x.T).toarray().astype(np.float32)
    np.fill_diagonal(sims, -1.0)
    g = np.array(stream.groups)
    same = g[:, None] == g[None, :]
    np.fill_diagonal(same, False)
    has = same.any(axis=1)
    pos = np.where(same, sims, -1.0).max(axis=1)[has]
    neg = np.where(same, -1.0, sims).max(axis=1)
    pairs = [LabelledPair(float(v), True) for v in pos]
    pairs += [LabelledPair(float(v), False) for v in neg]
    th = tune_thresholds(pairs, engine.index.thresholds, target_precision=0.999, target_recall=0.99)
    engine.index.thresholds = th
    return {"auto_join": th.auto_join, "suggest": th.suggest, "pairs": len(pairs)}


def run(args: argparse.Namespace) -> dict[str, object]:
    data = Path(args.data)
    articles = list(iter_articles(data))
    out: dict[str, object] = {"n_articles": len(articles)}
    engine = make_engine(articles)
    # thresholds tuned on a held-out "train" stream (every 10th article), never on test
    tune_articles = articles[::10]
    articles = [a for i, a in enumerate(articles) if i % 10]
    if args.auto_join is not None and args.suggest is not None:
        engine.index.thresholds = Thresholds(args.auto_join, args.suggest)
        out["thresholds"] = {"auto_join": args.auto_join, "suggest": args.suggest}
    else:
        out["thresholds"] = tune(engine, tune_articles)
    del tune_articles
    if args.baomoi:
        texts = [article_text(a, 1000) for a in articles]
        groups = None
        channels = ["news"] * len(texts)
    else:
        bases = build_bases(articles, int(args.n / 2.4) + 100)
        stream = build_stream(bases, args.n)
        texts, groups, channels = stream.texts, stream.groups, stream.channels
    n_queries = min(args.compare_queries, len(texts) // 10) if args.compare else 0
    queries = texts[len(texts) - n_queries :]
    body = texts[: len(texts) - n_queries]
    del articles
    gc.collect()
    out["rss_before_ingest_mb"] = round(peak_rss_mb(), 1)
    bs = args.batch
    t0 = time.perf_counter()
    issue_of: list[str] = []
    curve = []
    chunks = (
        Chunk(
            body[i : i + bs],
            [str(j) for j in range(i, min(i + bs, len(body)))],
            channels[i : i + bs],
        )
        for i in range(0, len(body), bs)
    )
    with ParallelIngest(engine, workers=args.workers) as pipeline:
        for props in pipeline.ingest(chunks):
            issue_of.extend(p.issue_id or "" for p in props)
            done = len(issue_of)
            if done in (10_000, 100_000, 1_000_000) or done == len(body):
                curve.append({"signals": done, "seconds": round(time.perf_counter() - t0, 2)})
    elapsed = time.perf_counter() - t0
    workers_rss = pipeline.worker_peak_rss_mb
    out.update(
        n_signals=len(body),
        seconds=round(elapsed, 2),
        signals_per_s=round(len(body) / elapsed, 1),
        curve=curve,
        workers=args.workers,
        issues=len(engine.index.issues),
        representatives=engine.index.n_representatives,
        worker_peak_rss_mb=workers_rss,
    )
    if groups is not None:
        out["bcubed"] = bcubed(issue_of, groups[: len(body)])
        out["true_groups"] = len(set(groups[: len(body)]))
    # latency of one new signal against the full index (read-only triage, one at a time)
    lat_texts = queries[:200] if queries else body[-200:]
    lat = []
    for t in lat_texts:
        s = time.perf_counter()
        engine.triage_batch([t], with_claims=False)
        lat.append((time.perf_counter() - s) * 1000)
    out["latency_ms"] = {
        "p50": round(float(np.percentile(lat, 50)), 3),
        "p95": round(float(np.percentile(lat, 95)), 3),
        "index_size": len(body),
    }
    # all processes together (each one's own peak, added up: an upper bound)
    out["main_peak_rss_mb"] = round(peak_rss_mb(), 1)
    out["peak_rss_mb"] = round(peak_rss_mb() + sum(workers_rss), 1)
    if args.compare and groups is not None:
        out["compare"] = compare(engine, queries, groups, body_len=len(body))
    if args.minhash_baseline and groups is not None:
        out["minhash_lsh_alone"] = minhash_alone(body, groups[: len(body)])
    # the baselines above hold every representative as one matrix: their peak is reported
    # apart from the triage's own (``peak_rss_mb``, measured after ingest and latency)
    out["peak_rss_with_baselines_mb"] = round(peak_rss_mb() + sum(workers_rss), 1)
    return out


def compare(
    engine: TriageEngine, queries: list[str], groups: list[int], body_len: int
) -> dict[str, object]:
    """LSH index vs exhaustive cosine over all representatives, for held-out signals."""
    idx = engine.index
    alive = [r for r in range(len(idx.rep_issue)) if idx.rep_alive[r]]
    reps = idx.store.rows(alive, engine.featurizer.n_features).tocsr()
    rep_group = [groups[int(idx.rep_signal[r])] for r in alive]
    qgroups = groups[body_len : body_len + len(queries)]
    present = set(groups[:body_len])
    th = idx.thresholds
    lsh_ok = bf_ok = total = 0
    lsh_t = bf_t = 0.0
    for q, g in zip(queries, qgroups, strict=True):
        batch = engine.featurizer.transform([q])
        s = time.perf_counter()
        # the LSH path itself, even where the index is small enough for the exact fallback
        d = idx.query(batch, exact=False)[0]
        lsh_t += time.perf_counter() - s
        s = time.perf_counter()
        sims = (reps @ batch.vectors[0].T).toarray().ravel()
        best = int(np.argmax(sims)) if len(sims) else -1
        bf_t += time.perf_counter() - s
        if g not in present:
            continue
        total += 1
        if d.neighbours and d.score >= th.suggest:
            top_sid = d.neighbours[0].signal_id
            lsh_ok += int(groups[int(top_sid)] == g)
        if best >= 0 and sims[best] >= th.suggest:
            bf_ok += int(rep_group[best] == g)
    n = max(1, len(queries))
    res: dict[str, object] = {
        "queries": len(queries),
        "with_group_in_index": total,
        "index_representatives": len(alive),
        "exact_fallback_below": idx.config.exact_below,
        "lsh_recall": round(lsh_ok / max(1, total), 4),
        "brute_force_recall": round(bf_ok / max(1, total), 4),
        "recall_ratio": round(lsh_ok / max(1, bf_ok), 4),
        "lsh_ms_per_query": round(lsh_t / n * 1000, 3),
        "brute_force_ms_per_query": round(bf_t / n * 1000, 3),
    }
    res["speedup"] = round(bf_t / max(1e-9, lsh_t), 1)
    return res


def minhash_alone(texts: list[str], groups: list[int], threshold: float = 0.5) -> dict[str, object]:
    """Baseline: datasketch MinHash LSH alone (char 5-gram sets, join the best estimate)."""
    from datasketch import MinHash, MinHashLSH

    from phoihop.triage.normalize import match_key

    lsh = MinHashLSH(threshold=threshold, num_perm=64)
    sketches: dict[str, MinHash] = {}
    issue: dict[str, str] = {}
    pred: list[str] = []
    t = time.perf_counter()
    for i, text in enumerate(texts):
        key = match_key(text)
        grams = {key[j : j + 5].encode("utf-8") for j in range(max(1, len(key) - 4))}
        m = MinHash(num_perm=64)
        m.update_batch(list(grams))
        cands = lsh.query(m)
        sid = str(i)
        if cands:
            best = max(cands, key=lambda c: m.jaccard(sketches[c]))
            if m.jaccard(sketches[best]) >= threshold:
                issue[sid] = issue[best]
            else:
                issue[sid] = sid
        else:
            issue[sid] = sid
        sketches[sid] = m
        lsh.insert(sid, m)
        pred.append(issue[sid])
    elapsed = time.perf_counter() - t
    return {
        "seconds": round(elapsed, 2),
        "signals_per_s": round(len(texts) / elapsed, 1),
        "bcubed": bcubed(pred, groups),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=1, help="processes preparing batches (0: none)")
    ap.add_argument("--baomoi", action="store_true")
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--minhash-baseline", action="store_true")
    ap.add_argument("--compare-queries", type=int, default=300)
    ap.add_argument("--auto-join", type=float, default=None)
    ap.add_argument("--suggest", type=float, default=None)
    args = ap.parse_args()
    res = run(args)
    Path(args.out).write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
