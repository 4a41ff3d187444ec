"""Split the hand-labelled complaint sentences into train.jsonl / test.jsonl.

    python tests/data/complaints/split.py labelled.jsonl [--test-share 0.4] [--seed 11]

Rows are grouped by article, and articles whose sentences are near-duplicates (word
3-gram Jaccard >= 0.5: the same story retold by two outlets) join one group, so a story
never lands on both sides. Groups are then dealt, rarest field first, to the side that is
furthest below its share of that field.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter, defaultdict
from pathlib import Path


def shingles(text: str) -> set[tuple[str, ...]]:
    w = text.lower().split()
    return {tuple(w[i : i + 3]) for i in range(max(1, len(w) - 2))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("labelled")
    ap.add_argument("--test-share", type=float, default=0.4)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", default=str(Path(__file__).parent))
    args = ap.parse_args()
    with open(args.labelled, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    parent = {r["article_id"]: r["article_id"] for r in rows}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    sh = [shingles(r["text"]) for r in rows]
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            inter = len(sh[i] & sh[j])
            if inter and inter / len(sh[i] | sh[j]) >= 0.5:
                parent[find(rows[i]["article_id"])] = find(rows[j]["article_id"])
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        groups[find(r["article_id"])].append(r)
    total = Counter(r["field"] for r in rows)
    order = list(groups.values())
    random.Random(args.seed).shuffle(order)
    order.sort(key=lambda g: min(total[r["field"]] for r in g))
    have = {"train": Counter(), "test": Counter()}
    side_of: list[tuple[str, list[dict[str, str]]]] = []
    for g in order:
        need = Counter(r["field"] for r in g)

        def deficit(side: str, need: Counter[str] = need) -> float:
            share = args.test_share if side == "test" else 1 - args.test_share
            return sum(share * total[f] - have[side][f] for f in need)

        side = max(("test", "train"), key=deficit)
        have[side].update(need)
        side_of.append((side, g))
    for side in ("train", "test"):
        with open(Path(args.out) / f"{side}.jsonl", "w", encoding="utf-8") as f:
            for s, g in side_of:
                if s != side:
                    continue
                for r in sorted(g, key=lambda r: r["id"]):
                    keys = ("id", "article_id", "text", "field")
                    f.write(json.dumps({k: r[k] for k in keys}, ensure_ascii=False) + "\n")
    for side in ("train", "test"):
        print(side, sum(have[side].values()), dict(sorted(have[side].items())))


if __name__ == "__main__":
    main()
