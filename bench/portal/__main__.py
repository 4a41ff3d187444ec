"""Benchmark: requests/second and p95 latency of a portal article page on the production server.

gunicorn (deploy/gunicorn.conf.py) on 127.0.0.1 with the production environment's web settings
(behind an HTTPS proxy: every request carries X-Forwarded-Proto as nginx would send it; Redis as
the shared cache when it answers) and a demo database in a temporary folder. wrk (Debian's C
load generator) loads one article page with 100 keep-alive connections from one thread, so the
generator is not the bottleneck; its own CPU time is reported beside the server's. Modes: the
cached page (anonymous readers), a conditional GET (If-None-Match: 304), and the page cache off.
Without wrk it falls back to bench.portal.load. Appends the numbers to bench/RESULTS.md.

    python -m bench.portal [--concurrency 100] [--seconds 30] [--workers 2]
        [--worker-class gthread] [--threads 4] [--wrk-threads 1] [--no-compare] [--var DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from bench.portal.server import (
    ARTICLE,
    DEFAULT_REDIS,
    PROXY_HEADERS,
    RESULTS,
    ROOT,
    gunicorn,
    load_average,
    machine,
    prepare_demo,
    production_env,
    redis_ready,
    tree_cpu_seconds,
)

# Re-exported for bench.soak and older callers.
__all__ = ["ARTICLE", "RESULTS", "ROOT"]


def _headers(url: str) -> dict[str, str]:
    """The page's headers, and whether its ETag gets a 304: checked before loading it."""
    request = urllib.request.Request(url, headers=PROXY_HEADERS)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        headers = dict(response.headers.items())
    etag = headers.get("ETag", "")
    conditional = urllib.request.Request(  # noqa: S310
        url, headers={**PROXY_HEADERS, "If-None-Match": etag}
    )
    try:
        with urllib.request.urlopen(conditional, timeout=10) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    headers["conditional GET"] = str(status)
    return headers


def _wrk(
    url: str, args: argparse.Namespace, extra: dict[str, str], server_pid: int
) -> dict[str, float]:
    headers = {**PROXY_HEADERS, **extra}
    command = ["wrk", f"-t{args.wrk_threads}", f"-c{args.concurrency}", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(Path(__file__).with_name("report.lua")), url]
    subprocess.run([*command[:1], "-d3s", *command[1:]], check=True, capture_output=True)
    usage_before, server_before = _children_cpu(), tree_cpu_seconds(server_pid)
    out = subprocess.run(
        [*command[:1], f"-d{int(args.seconds)}s", *command[1:]],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wrk_cpu = _children_cpu() - usage_before
    server_cpu = tree_cpu_seconds(server_pid) - server_before
    match = re.search(r"^JSON (.*)$", out, re.M)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    result = dict(json.loads(match.group(1)))
    done = max(1.0, float(result["requests"]))
    result["server_cpu_ms"] = round(server_cpu * 1000 / done, 3)
    result["wrk_cpu_ms"] = round(wrk_cpu * 1000 / done, 3)
    return result


def _children_cpu() -> float:
    """CPU time of this process's finished children (the last wrk run, once it exited)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _fallback(url: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.portal.load", url]
    subprocess.run([*command, "--requests", "50"], env=env, check=True, cwd=ROOT)
    options = ["--requests", str(args.requests), "--concurrency", str(args.concurrency)]
    out = subprocess.run(
        [*command, *options, "--seconds", str(args.seconds)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(out))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000, help="fallback generator only")
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="'' for the in-process cache")
    parser.add_argument("--var", help="reuse this folder's demo database (default: a new one)")
    parser.add_argument("--no-compare", action="store_true", help="skip the cache-off run")
    parser.add_argument("--no-append", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    have_wrk = shutil.which("wrk") is not None

    with tempfile.TemporaryDirectory(prefix="phoihop-bench-") as scratch:
        var = args.var or scratch
        redis_url = args.redis if redis_ready(args.redis) else ""
        env = production_env(var, redis_url=redis_url)
        prepare_demo(env)
        modes: list[tuple[str, str, dict[str, str]]] = [("cached page", "300", {})]
        modes.append(("conditional GET (304)", "300", {}))
        if not args.no_compare:
            modes.append(("page cache off", "0", {}))
        results: dict[str, dict[str, float]] = {}
        checks: dict[str, str] = {}
        for label, seconds, extra in modes:
            run_env = {**env, "PHOIHOP_PORTAL_CACHE_SECONDS": seconds}
            if redis_url:
                redis_ready(redis_url)  # every mode starts from an empty cache
            server = gunicorn(
                run_env,
                workers=args.workers,
                worker_class=args.worker_class,
                threads=args.threads,
                ready_path=ARTICLE,
            )
            with server as (base, process):
                url = base + ARTICLE
                if label == "cached page":
                    checks = _headers(url)
                if label.startswith("conditional"):
                    extra = {"If-None-Match": _headers(url)["ETag"]}
                load_before = load_average()
                if have_wrk:
                    result = _wrk(url, args, extra, process.pid)
                else:
                    result = _fallback(url, args, run_env)
            result["load"] = f"{load_before} → {load_average()}"  # type: ignore[assignment]
            results[label] = result
            print(f"{label}: {json.dumps(result, ensure_ascii=False)}", flush=True)

    command = "python -m bench.portal " + " ".join(sys.argv[1:])
    shown = ("Cache-Control", "ETag", "Vary", "Strict-Transport-Security", "X-Frame-Options")
    header_line = "; ".join(f"{h}: `{checks.get(h, '—')}`" for h in shown)
    csp = "present" if "Content-Security-Policy" in checks else "MISSING"
    lines = [
        f"\n## portal article page on gunicorn — {dt.date.today().isoformat()}\n",
        f"Machine: {machine()}. Command: `{command.strip()}`. Server: gunicorn "
        f"(deploy/gunicorn.conf.py, {args.workers} workers × {args.worker_class}"
        f"{f' × {args.threads} threads' if args.worker_class == 'gthread' else ''}), production "
        f"web settings behind an HTTPS proxy, cache: {'Redis' if redis_url else 'in-process'}, "
        f"SQLite demo database; load: "
        f"{f'wrk, {args.wrk_threads} thread(s)' if have_wrk else 'bench.portal.load'}, "
        f"{args.concurrency} keep-alive connections, {int(args.seconds)} s per mode, page "
        f"`{ARTICLE}`.\n",
        f"Headers of the page: {header_line}; Content-Security-Policy {csp}; a conditional GET "
        f"with its ETag answers {checks.get('conditional GET', '?')}.\n",
        "| mode | requests | errors | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req "
        "| wrk CPU ms/req | load average (1/5/15 min) before → after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, r in results.items():
        lines.append(
            f"| {label} | {r['requests']} | {r['errors']} | {r['rps']} | {r['p50_ms']} "
            f"| {r['p95_ms']} | {r.get('p99_ms', '—')} | {r.get('server_cpu_ms', '—')} "
            f"| {r.get('wrk_cpu_ms', '—')} | {r['load']} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(report)


if __name__ == "__main__":
    main()
