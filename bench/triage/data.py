"""Dataset readers and the synthetic signal streams for the triage benchmark."""

from __future__ import annotations

import gzip
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phoihop.triage.normalize import strip_diacritics

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ỹ“\"0-9])|\n+")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def subsets(data: Path, task: str) -> list[Path]:
    root = data / task
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "train.jsonl").exists())


def corpus_files(data: Path) -> list[Path]:
    root = data / "corpus"
    return (
        sorted(root.glob("*/*.jsonl.gz")) + sorted(root.glob("*/*.jsonl")) if root.is_dir() else []
    )


def iter_articles(data: Path) -> Iterator[dict[str, str]]:
    for path in corpus_files(data):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if len(s.strip()) >= 20]


@dataclass
class Stream:
    texts: list[str]
    groups: list[int]  # ground-truth group per signal
    channels: list[str]


CHANNELS = ("petition", "feedback", "news", "social", "collaborator")
FILLERS = (
    "Người dân phản ánh: ",
    "Cử tri kiến nghị ",
    "Đề nghị xem xét: ",
    "Bức xúc vì ",
    "Theo phản ánh, ",
    "",
)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.33:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op < 0.66:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def perturb(text: str, rng: random.Random) -> str:
    """Light perturbations: reordered clauses, typos, missing diacritics, a lead-in phrase."""
    if rng.random() < 0.3:
        clauses = [c for c in text.split(", ") if c]
        if len(clauses) > 1:
            rng.shuffle(clauses)
            text = ", ".join(clauses)
    words = text.split(" ")
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        k = rng.randrange(len(words))
        words[k] = _typo(words[k], rng)
    text = " ".join(words)
    if rng.random() < 0.35:
        text = strip_diacritics(text)
    if rng.random() < 0.4:
        text = rng.choice(FILLERS) + text
    return text


def build_bases(articles: list[dict[str, str]], limit: int, seed: int = 7) -> list[str]:
    """Issue 'stories': 1–3 sentences recombined from one article."""
    rng = random.Random(seed)
    bases: list[str] = []
    seen: set[str] = set()
    order = list(range(len(articles)))
    rng.shuffle(order)
    rounds = 0
    while len(bases) < limit and rounds < 50:
        rounds += 1
        for ai in order:
            sents = sentences(articles[ai].get("text", ""))
            if not sents:
                continue
            k = min(len(sents), rng.choice((1, 2, 2, 3)))
            start = rng.randrange(0, len(sents) - k + 1)
            chosen = sents[start : start + k]
            if k > 1 and rng.random() < 0.3:
                chosen = [*chosen[1:], chosen[0]]
            base = " ".join(chosen)[:600]
            if base in seen:
                continue
            seen.add(base)
            bases.append(base)
            if len(bases) >= limit:
                break
    return bases


def build_stream(bases: list[str], n: int, seed: int = 11) -> Stream:
    """n signals: each group is one base and its perturbed variants (sizes 1–12, mean ≈ 3)."""
    rng = random.Random(seed)
    texts: list[str] = []
    groups: list[int] = []
    g = 0
    while len(texts) < n and g < len(bases):
        size = min(12, 1 + int(rng.expovariate(0.5)))
        for j in range(size):
            texts.append(bases[g] if j == 0 and rng.random() < 0.5 else perturb(bases[g], rng))
            groups.append(g)
        g += 1
    order = list(range(len(texts)))
    rng.shuffle(order)
    order = order[:n]
    return Stream(
        [texts[i] for i in order], [groups[i] for i in order], [rng.choice(CHANNELS) for _ in order]
    )
