"""Soak benchmark: the production server under mixed traffic for N minutes.

    python -m bench.soak --minutes 30 [--rate 200] [--workers 2] [--var DIR] [--no-append]

gunicorn (deploy/gunicorn.conf.py) on loopback with the production environment's web settings
(HTTPS proxy in front, secure cookies, two-factor authentication, the feedback rate limit and
the form's fill time as shipped; Redis as the shared cache when it answers) and a demo database.
A second process (bench.soak.traffic) sends a paced, bounded mix at `--rate` requests per
second: portal reads, citizens' feedback (form, then post), probes of the rate limit and of the
single-use form token, staff pages (a coordinator logged in with 2FA, a handler) and the API
(a token). Every 10 seconds the server's resident memory (master and workers) is sampled.
Reports errors, p95 per route and RSS over time; appends them to bench/RESULTS.md. Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time

from bench.portal.server import (
    ARTICLE,
    DEFAULT_REDIS,
    PHOIHOP,
    RESULTS,
    ROOT,
    gunicorn,
    load_average,
    machine,
    prepare_demo,
    production_env,
    python_speed,
    redis_ready,
    tree_cpu_seconds,
    tree_rss_mib,
)


def _slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of RSS over the second half of the run, MiB per minute."""
    half = samples[len(samples) // 2 :]
    if len(half) < 2:
        return 0.0
    xs = [t / 60 for t, _r in half]
    ys = [r for _t, r in half]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return (
        round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var, 2)
        if var
        else 0.0
    )


def _per_minute(answered: list[int], cpu: list[tuple[float, float, float]]) -> list[str]:
    """Requests answered per second and the cores the server and the traffic process used, minute
    by minute: whether a shortfall builds up during the run or was there from the start."""
    rows = [
        "Per minute: requests answered per second; cores used by the server (master + workers) "
        "and by the traffic process (from /proc, sampled every 10 s).\n",
        "| minute | req/s | server cores | traffic cores |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for minute, count in enumerate(answered):
        inside = [c for c in cpu if minute * 60 <= c[0] <= (minute + 1) * 60]
        if len(inside) >= 2:
            seconds = inside[-1][0] - inside[0][0]
            server = f"{(inside[-1][1] - inside[0][1]) / seconds:.2f}"
            client = f"{(inside[-1][2] - inside[0][2]) / seconds:.2f}"
        else:
            server = client = "–"
        rows.append(f"| {minute + 1} | {count / 60:.1f} | {server} | {client} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="'' for the in-process cache")
    parser.add_argument("--var", help="reuse this folder's demo database (default: a new one)")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="phoihop-soak-") as scratch:
        var = args.var or scratch
        redis_url = args.redis if redis_ready(args.redis) else ""
        env = production_env(var, redis_url=redis_url)
        prepare_demo(env)
        token = subprocess.run(
            [*PHOIHOP, "create-token", "dieuphoi", "--name", f"soak-{time.time():.0f}"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        samples: list[tuple[float, float]] = []
        cpu: list[tuple[float, float, float]] = []  # (seconds, server CPU s, traffic CPU s)
        load_before, speed_before = load_average(), python_speed()
        server = gunicorn(
            env, workers=args.workers, worker_class="gthread", threads=args.threads,
            ready_path=ARTICLE,
        )  # fmt: skip
        with server as (base, process):
            traffic = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench.soak.traffic",
                    base,
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
            started, cpu_before = time.monotonic(), tree_cpu_seconds(process.pid)
            while traffic.poll() is None:
                now = round(time.monotonic() - started)
                samples.append((now, tree_rss_mib(process.pid)))
                cpu.append((now, tree_cpu_seconds(process.pid), tree_cpu_seconds(traffic.pid)))
                time.sleep(10)
            out, _ = traffic.communicate()
            server_cpu = tree_cpu_seconds(process.pid) - cpu_before
        speed_after = python_speed()
        if traffic.returncode != 0 or not out.strip():
            raise SystemExit(f"the traffic process failed ({traffic.returncode})")
        result = json.loads(out.strip().splitlines()[-1])

    command = "python -m bench.soak " + " ".join(sys.argv[1:])
    rss = [r for _t, r in samples]
    refusals = result["refusals"]
    lines = [
        f"\n## soak: mixed traffic on gunicorn — {dt.date.today().isoformat()}\n",
        f"Machine: {machine()}. Command: `{command.strip()}`. gunicorn {args.workers} workers × "
        f"gthread × {args.threads} threads, production web settings behind an HTTPS proxy "
        f"(2FA on, feedback limit 10/h per address, 3 s form fill time), cache: "
        f"{'Redis' if redis_url else 'in-process'}, SQLite demo database; target "
        f"{args.rate:g} req/s for {args.minutes:g} min. Load average before → after: "
        f"{load_before} → {load_average()}. Python speed (a 10-million-step loop, "
        f"`bench.portal.server.python_speed`) before → after: {speed_before} s → "
        f"{speed_after} s.\n",
        f"Total: {result['requests']} requests in {result['seconds']} s, "
        f"**{result['rps']} req/s** achieved, **{result['errors']} errors**, "
        f"{result['dropped']} not sent (more than 256 in flight). Refusals checked: "
        f"{refusals['over the rate limit']} posts over the rate limit answered 429 (the address "
        f"got {result['rate_limited_address_accepted']} accepted), "
        f"{refusals['replayed form token']} replayed form tokens refused. Server CPU "
        f"(master + workers): {server_cpu:.0f} s, "
        f"{server_cpu * 1000 / max(1, result['requests']):.2f} ms per request on average.\n",
        "| route | requests | errors | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for route, r in result["routes"].items():
        lines.append(
            f"| {route} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} |"
        )
    if rss:
        step = max(1, len(rss) // 24)
        lines.append(
            f"\nRSS (MiB, master + workers): first {rss[0]}, max {max(rss)}, last {rss[-1]}; "
            f"slope over the second half {_slope(samples)} MiB/min; every {10 * step} s: "
            f"{', '.join(str(r) for r in rss[::step])}\n"
        )
    lines += _per_minute(result["per_minute"], cpu)
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(report)


if __name__ == "__main__":
    main()
