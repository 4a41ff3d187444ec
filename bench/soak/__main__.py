"""Soak benchmark: the production server under mixed traffic for N minutes.

    python -m bench.soak --minutes 30 [--rate 200] [--workers 2] [--no-append]

gunicorn (deploy/gunicorn.conf.py) on loopback with a fresh demo database in a temporary
folder; a second process (bench.soak.traffic) sends a bounded mix at `--rate` requests per
second: portal reads (home, article, search), citizen feedback posts (with their CSRF and
time tokens), staff pages (a handler's session) and the API (a token). Every 10 seconds
the server's resident memory (master and workers) is sampled. Reports errors, p95 per route
and RSS over time; appends them to bench/RESULTS.md. Not part of the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.portal.__main__ import GUNICORN, PHOIHOP, RESULTS, ROOT, _free_port, _machine


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn's workers), in MiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="phoihop-soak-") as var:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            {
                "PHOIHOP_VAR_DIR": var,
                "PYTHONPATH": str(ROOT / "src"),
                "PHOIHOP_REQUIRE_2FA": "0",
                "PHOIHOP_FEEDBACK_RATE": "1000000/h",
                "PHOIHOP_INTAKE_MIN_FILL_SECONDS": "0",
            }
        )
        subprocess.run([*PHOIHOP, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*PHOIHOP, "load-demo"], env=env, check=True, capture_output=True)
        token = subprocess.run(
            [*PHOIHOP, "create-token", "dieuphoi", "--name", "soak"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        port = _free_port()
        server = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(3)
            traffic = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench.soak.traffic",
                    f"http://127.0.0.1:{port}",
                    "--seconds",
                    str(args.minutes * 60),
                    "--rate",
                    str(args.rate),
                    "--token",
                    token,
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            samples: list[tuple[float, float]] = []
            started = time.monotonic()
            while traffic.poll() is None:
                samples.append((round(time.monotonic() - started), _rss_mib(server.pid)))
                time.sleep(10)
            out, _ = traffic.communicate()
            result = json.loads(out.strip().splitlines()[-1])
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)

    command = "python -m bench.soak " + " ".join(sys.argv[1:])
    rss = [r for _t, r in samples]
    lines = [
        f"\n## soak: mixed traffic on gunicorn — {dt.date.today().isoformat()}\n",
        f"Machine: {_machine()}. Command: `{command.strip()}`. {args.workers} gunicorn "
        f"workers, SQLite demo database, target {args.rate} req/s for {args.minutes} min.\n",
        f"Total: {result['requests']} requests, {result['errors']} errors, "
        f"{result['rps']} req/s achieved.\n",
        "| route | requests | errors | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for route, r in sorted(result["routes"].items()):
        lines.append(
            f"| {route} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} |"
        )
    if rss:
        lines.append(
            f"\nRSS (MiB, master + workers): first {rss[0]}, max {max(rss)}, last {rss[-1]}; "
            f"samples every 10 s: {', '.join(str(r) for r in rss[:: max(1, len(rss) // 20)])}\n"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(report)


if __name__ == "__main__":
    main()
