"""Benchmark: requests/second and p95 latency of a portal article page.

Starts the app (`phoihop runserver --noreload`, Django's threaded server) on 127.0.0.1
with a fresh demo database in a temporary folder, then loads one article page from a
second process (bench.portal.load), with the page cache on and, for contrast, off.
Appends the numbers to bench/RESULTS.md.

    python -m bench.portal [--requests 2000] [--concurrency 8] [--seconds 30] [--no-compare]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
ARTICLE = "/bai-viet/phan-bac-tin-don-thu-hoi-toan-bo-dat-nong-nghiep-xa-na-sam/"
PHOIHOP = [sys.executable, "-m", "phoihop"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _machine() -> str:
    cores = os.cpu_count() or 0
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{round(pages / 2**30)} GiB"
    except (ValueError, OSError):
        memory = "? GiB"
    return f"{cores} cores, {memory}, {platform.machine()}"


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [*PHOIHOP, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + ARTICLE, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _load(url: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, float]:
    # Warm up (templates, cache, WAL), then measure from a second process.
    subprocess.run(
        [sys.executable, "-m", "bench.portal.load", url, "--requests", "50"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.portal.load",
            url,
            "--requests",
            str(args.requests),
            "--concurrency",
            str(args.concurrency),
            "--seconds",
            str(args.seconds),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--no-compare", action="store_true", help="skip the cache-off run")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="phoihop-bench-") as var:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update({"PHOIHOP_VAR_DIR": var, "PYTHONPATH": str(ROOT / "src")})
        subprocess.run([*PHOIHOP, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*PHOIHOP, "load-demo"], env=env, check=True, capture_output=True)
        results: dict[str, dict[str, float]] = {}
        modes = [("cache on", "300")] + ([] if args.no_compare else [("cache off", "0")])
        for label, seconds in modes:
            run_env = {**env, "PHOIHOP_PORTAL_CACHE_SECONDS": seconds}
            with server(run_env) as base:
                results[label] = _load(base + ARTICLE, args, run_env)
            print(f"{label}: {json.dumps(results[label])}")

    command = "python -m bench.portal " + " ".join(sys.argv[1:])
    lines = [
        f"\n## portal article page — {dt.date.today().isoformat()}\n",
        f"Machine: {_machine()}. Command: `{command.strip()}`. Server: `phoihop runserver "
        f"--noreload` (threaded), SQLite demo database; load from a second process, "
        f"{args.concurrency} concurrent connections, new connection per request, "
        f"page `{ARTICLE}`.\n",
        "| mode | requests | errors | req/s | p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, r in results.items():
        lines.append(
            f"| {label} | {r['requests']} | {r['errors']} | {r['rps']} | {r['p50_ms']} "
            f"| {r['p95_ms']} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(report)


if __name__ == "__main__":
    main()
