"""Benchmark: requests/second and p95 latency of a portal article page.

Starts the production server (gunicorn with deploy/gunicorn.conf.py) on 127.0.0.1 with a
fresh demo database in a temporary folder, then loads one article page with wrk (Debian's
C load generator, so the generator is not the bottleneck; 100 connections kept alive), with
the page cache on and, for contrast, off. Without wrk it falls back to bench.portal.load.
Appends the numbers to bench/RESULTS.md.

    python -m bench.portal [--concurrency 100] [--seconds 30] [--workers N] [--no-compare]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
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
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]


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
def server(env: dict[str, str], workers: int) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
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
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        process.wait(timeout=30)


def _wrk(url: str, args: argparse.Namespace) -> dict[str, float]:
    threads = max(1, min(4, (os.cpu_count() or 2) // 2))
    command = ["wrk", f"-t{threads}", f"-c{args.concurrency}", f"-d{int(args.seconds)}s"]
    command += ["--timeout", "10s", "-s", str(Path(__file__).with_name("report.lua")), url]
    subprocess.run([*command[:3], "-d3s", *command[4:]], check=True, capture_output=True)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    match = re.search(r"^JSON (.*)$", out, re.M)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    return dict(json.loads(match.group(1)))


def _load(url: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, float]:
    if shutil.which("wrk"):
        return _wrk(url, args)
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
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1)))
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
            with server(run_env, args.workers) as base:
                results[label] = _load(base + ARTICLE, args, run_env)
            print(f"{label}: {json.dumps(results[label])}")

    command = "python -m bench.portal " + " ".join(sys.argv[1:])
    lines = [
        f"\n## portal article page — {dt.date.today().isoformat()}\n",
        f"Machine: {_machine()}. Command: `{command.strip()}`. Server: gunicorn "
        f"(deploy/gunicorn.conf.py, {args.workers} workers × gthread), SQLite demo database; "
        f"load: {'wrk' if shutil.which('wrk') else 'bench.portal.load'}, "
        f"{args.concurrency} connections, {int(args.seconds)} s, page `{ARTICLE}`.\n",
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
