"""Markdown table of a benchmark JSON: python -m bench.triage.report FILE.json"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def table(res: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str]] = []

    def add(name: str, value: Any, target: str) -> None:
        rows.append((name, "—" if value is None else str(value), target))

    add(
        "pairs F1 (P / R)",
        f"{get(res, 'pairs', 'f1')} ({get(res, 'pairs', 'precision')} / "
        f"{get(res, 'pairs', 'recall')})",
        "≥ 0.97 (baseline 0.960)",
    )
    add(
        "pairs baseline char 2–4 TF-IDF F1 (same run)",
        get(res, "pairs", "vnpara", "baseline_char24_tfidf", "f1"),
        "",
    )
    add("claims MAP@5", get(res, "claims", "map5"), "≥ 0.98")
    add("claims recall@1", get(res, "claims", "recall1"), "")
    add("claims ms/query (ours)", get(res, "claims", "ms_per_query"), "")
    add("claims ms/query (brute force)", get(res, "claims", "brute_force_ms_per_query"), "")
    add("claims speed ratio", get(res, "claims", "speedup"), "≥ 20×")
    add(
        "claims brute-force MAP@5 on its subset (ours on same)",
        f"{get(res, 'claims', 'brute_force_subset', 'brute_force_map5')} "
        f"({get(res, 'claims', 'brute_force_subset', 'ours_map5')})",
        "",
    )
    for task, target in (
        ("topics", "≥ 0.80 (baseline 0.752)"),
        ("reliability", "≥ 0.93 (baseline 0.915)"),
    ):
        for name, v in (get(res, task) or {}).items():
            add(f"{task}/{name} macro-F1 (accuracy)", f"{v['macro_f1']} ({v['accuracy']})", target)
            add(
                f"{task}/{name} baseline word 1–2 TF-IDF+LR (same run)",
                v["baseline_word12_tfidf_lr"]["macro_f1"],
                "",
            )
    for name, v in (get(res, "streams") or {}).items():
        if not isinstance(v, dict) or "seconds" not in v:
            continue
        lat = v.get("latency_ms", {})
        add(
            f"stream {name}: signals, seconds, signals/s",
            f"{v['n_signals']}, {v['seconds']}, {v['signals_per_s']}",
            {"100k": "≤ 30 s", "1M": "≤ 6 min"}.get(name, ""),
        )
        add(
            f"stream {name}: peak RSS MB",
            v.get("peak_rss_mb"),
            {"100k": "≤ 1536", "1M": "≤ 8192"}.get(name, ""),
        )
        add(
            f"stream {name}: one new signal p50 / p95 ms (index {lat.get('index_size')})",
            f"{lat.get('p50')} / {lat.get('p95')}",
            "p95 ≤ 20 ms at 1M",
        )
        if v.get("bcubed"):
            b = v["bcubed"]
            add(
                f"stream {name}: grouping B-cubed F1 (P / R)",
                f"{b['f1']} ({b['precision']} / {b['recall']})",
                "",
            )
        c = v.get("compare")
        if c:
            add(
                f"stream {name}: grouping recall LSH / brute force (ratio)",
                f"{c['lsh_recall']} / {c['brute_force_recall']} ({c['recall_ratio']})",
                "≥ 0.95",
            )
            add(
                f"stream {name}: ms/query LSH / brute force (ratio)",
                f"{c['lsh_ms_per_query']} / {c['brute_force_ms_per_query']} ({c['speedup']}×)",
                "≥ 20×",
            )
        m = v.get("minhash_lsh_alone")
        if m:
            add(
                f"stream {name}: MinHash LSH alone (datasketch) B-cubed F1, signals/s",
                f"{m['bcubed']['f1']}, {m['signals_per_s']}",
                "",
            )
    lines = ["| measure | value | target |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
