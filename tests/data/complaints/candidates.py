"""Find candidate complaint/petition sentences in the baomoi corpus (for hand labelling).

    python tests/data/complaints/candidates.py [--data ../shared/data] [--seed 11] [--n 1200]

Prints JSON lines ``{"id", "article_id", "text"}``: sentences that contain a complaint or
petition cue (an actor such as cử tri, người dân, phụ huynh with a verb such as phản ánh,
bức xúc, kiến nghị, khiếu nại, đơn thư…),
of a readable length, from articles NOT listed in ``holdout-ids.txt``. At most three
sentences per article, then a seeded random sample. Nothing is labelled here: the labels
are a person's judgement, written into train.jsonl/test.jsonl by hand.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

# A sentence is a candidate when it names people who complain or petition (ACTORS) and a
# complaint verb (VERBS). Cues without an actor ("tố cáo", "kêu cứu", "làm đơn", "khiếu nại")
# were tried first: they are mostly crime, court or celebrity news. "đề nghị", "mong muốn",
# "lo lắng" were tried as verbs: they are mostly officials speaking, so they are left out.
ACTORS = (
    "cử tri",
    "người dân",
    "hộ dân",
    "bà con",
    "nhân dân",
    "cư dân",
    "bạn đọc",
    "phụ huynh",
    "công nhân",
    "người lao động",
    "bệnh nhân",
    "người bệnh",
    "tiểu thương",
    "ngư dân",
    "nông dân",
    "khách hàng",
    "người tiêu dùng",
    "giáo viên",
    "hành khách",
)
VERBS = (
    "phản ánh",
    "bức xúc",
    "kiến nghị",
    "khiếu nại",
    "khiếu kiện",
    "đơn thư",
    "than phiền",
    "phàn nàn",
    "kêu ca",
    "kêu khổ",
    "kêu cứu",
    "bất bình",
)
SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ỹ\"“])")


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(s.strip() for s in SENTENCE.split(para) if s.strip())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--n", type=int, default=1200)
    ap.add_argument(
        "--topic",
        action="append",
        default=[],
        help="second pass for thin fields: a sentence with this text and a complaint verb "
        "qualifies without an actor (repeatable)",
    )
    ap.add_argument("--exclude", help="a JSON Lines file of candidates already read")
    args = ap.parse_args()
    root = Path(args.data) / "corpus" / "baomoi"
    holdout = set((root / "holdout-ids.txt").read_text("utf-8").split())
    found: list[dict[str, str]] = []
    seen: set[str] = set()
    if args.exclude:
        with open(args.exclude, encoding="utf-8") as f:
            seen |= {json.loads(line)["text"].lower() for line in f}
    with gzip.open(root / "articles.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            art = json.loads(line)
            if art["id"] in holdout:
                continue
            kept = 0
            for k, s in enumerate(sentences(art["text"])):
                low = s.lower()
                if not 50 <= len(s) <= 320 or low in seen:
                    continue
                if not any(v in low for v in VERBS):
                    continue
                if args.topic:
                    if not any(t in low for t in args.topic):
                        continue
                elif not any(a in low for a in ACTORS):
                    continue
                seen.add(low)
                found.append({"id": f"{art['id']}-{k}", "article_id": art["id"], "text": s})
                kept += 1
                if kept == 3:
                    break
    random.Random(args.seed).shuffle(found)
    for row in found[: args.n]:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
