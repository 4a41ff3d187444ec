"""Benchmark of the notification outbox: N e-mails queued at once and sent by ONE background
worker (`phoihop db_worker`) to a real SMTP server on loopback, with the worker restarted
part-way through.

    python -m bench.notifications [--count 10000] [--restart-at 3000] [--kill]
                                  [--database postgres://…] [--no-append]

The worker is stopped once `--restart-at` messages have arrived: by SIGTERM (a deploy: the
current drain finishes its batch, then the worker exits) or with `--kill` by SIGKILL (a
crash: claims are left behind and taken over after the lease by the drain that
`phoihop deliver-notifications`, the cron safety net, queues). A second worker then finishes.
Every message carries a Message-ID made from its delivery id, so the SMTP server tells lost
and duplicated messages apart. Reports mails/s while a worker runs, p50/p95 queue delay
(queued → received by the SMTP server), lost, duplicated; appends to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
PHOIHOP = str(Path(sys.executable).with_name("phoihop"))
MESSAGE_ID = re.compile(rb"^Message-ID: <phoihop-(\d+)@", re.MULTILINE | re.IGNORECASE)
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Inbox:
    def __init__(self) -> None:
        self.arrivals: list[tuple[int, float]] = []  # (delivery id, wall clock)
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # the Message-ID header only: the server stays cheap beside the worker it measures
        match = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.arrivals.append((int(match.group(1)) if match else -1, time.time()))
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.arrivals)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--restart-at", type=int, default=3_000)
    parser.add_argument("--kill", action="store_true", help="SIGKILL instead of SIGTERM")
    parser.add_argument("--database", default="")
    parser.add_argument("--connections", type=int, default=1, help="SMTP connections per worker")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    var = tempfile.mkdtemp(prefix="phoihop-bench-notify-")
    port = free_port()
    os.environ.update(
        {
            "PHOIHOP_VAR_DIR": var,
            "DATABASE_URL": args.database or f"sqlite:///{var}/bench.sqlite3",
            "PHOIHOP_EMAIL_HOST": "127.0.0.1",
            "PHOIHOP_EMAIL_PORT": str(port),
            "PHOIHOP_EMAIL_FROM": "phoihop <khong-tra-loi@bench.local>",
            # a drain works this long, then queues the next one (a stop waits at most this)
            "PHOIHOP_NOTIFY_TASK_SECONDS": "2",
            "PHOIHOP_NOTIFY_LEASE_SECONDS": "5",
            "PHOIHOP_NOTIFY_CONNECTIONS": str(args.connections),
            "DJANGO_SETTINGS_MODULE": "phoihop.settings",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from phoihop.notifications import services
    from phoihop.notifications.models import Delivery

    if args.database:
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", "--noinput", verbosity=0)
    Delivery.objects.all().delete()

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()

    t0 = time.perf_counter()
    with transaction.atomic():
        services.queue(
            [
                services.Outgoing(
                    channel="email",
                    recipient=f"cong.dan.{i}@bench.local",
                    purpose="bench",
                    subject=f"Trả lời phản ánh mã PA-BENCH-{i:05d}",
                    text="Phản ánh của ông/bà đã có trả lời. Vấn đề đã được giải quyết chưa?",
                    html="<p>Phản ánh của ông/bà đã có trả lời.</p>",
                    key=f"bench:{i}",
                )
                for i in range(args.count)
            ]
        )
    queue_s = time.perf_counter() - t0
    created = dict(Delivery.objects.values_list("pk", "created_at"))
    connection.close()

    log = open(Path(var) / "worker.log", "ab")  # noqa: SIM115

    def worker() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [PHOIHOP, "db_worker", "--queue-name", "default", "--interval", "0.1"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )

    runs: list[tuple[float, float, int]] = []  # (first arrival, last arrival, arrivals)
    deadline = time.time() + args.timeout
    first = worker()
    started = time.time()
    base = None  # the worker's CPU once started (Django loaded): only sending is counted
    while inbox.count() < min(args.restart_at, args.count) and time.time() < deadline:
        if base is None and inbox.count() > 0:
            base = cpu_seconds(first.pid)
        time.sleep(0.02)
    stopped_at = time.time()
    cpu = cpu_seconds(first.pid) - (base or 0.0)
    first.send_signal(signal.SIGKILL if args.kill else signal.SIGTERM)
    first.wait()
    run1 = inbox.count()
    second = worker()
    if args.kill:
        # what cron does every few minutes: queue a drain, which takes over the dead claims
        subprocess.run(
            [PHOIHOP, "deliver-notifications"],
            check=True,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )
    base = None
    while time.time() < deadline:
        if base is None and inbox.count() > run1:
            base = cpu_seconds(second.pid)
        ids = {pk for pk, _t in inbox.arrivals}
        if len(ids) >= args.count:
            time.sleep(1.0)  # a late duplicate would show up here
            break
        time.sleep(0.05)
    cpu += cpu_seconds(second.pid) - (base or 0.0)
    load = os.getloadavg()[0]
    second.send_signal(signal.SIGTERM)
    second.wait()
    controller.stop()

    arrivals = sorted(inbox.arrivals, key=lambda a: a[1])
    first_run = [t for _pk, t in arrivals[:run1]]
    second_run = [t for _pk, t in arrivals[run1:]]
    for times in (first_run, second_run):
        if len(times) > 1:
            runs.append((times[0], times[-1], len(times)))
    rates = [n / (b - a) for a, b, n in runs if b > a]
    counts = Counter(pk for pk, _t in arrivals)
    received = {pk for pk in counts if pk in created}
    lost = len(created) - len(received)
    duplicated = sum(n - 1 for n in counts.values() if n > 1)
    delays = sorted(t - created[pk].timestamp() for pk, t in arrivals if pk in created)
    p50 = statistics.median(delays) if delays else float("nan")
    p95 = delays[int(0.95 * (len(delays) - 1))] if delays else float("nan")
    end_to_end = (arrivals[-1][1] - started) if arrivals else float("nan")
    statuses = dict(Counter(Delivery.objects.values_list("status", flat=True)))
    engine = "PostgreSQL" if args.database.startswith("postgres") else "SQLite"
    stop = "SIGKILL" if args.kill else "SIGTERM"

    summary = {
        "queued": len(created),
        "queue_seconds": round(queue_s, 2),
        "received": len(arrivals),
        "lost": lost,
        "duplicated": duplicated,
        "mails_per_s_runs": [round(r, 1) for r in rates],
        "end_to_end_s": round(end_to_end, 1),
        "restart_gap_s": round((second_run[0] - stopped_at) if second_run else float("nan"), 1),
        "delay_p50_s": round(p50, 1),
        "delay_p95_s": round(p95, 1),
        "statuses": statuses,
        "worker_cpu_s": round(cpu, 1),
        "worker_cpu_ms_per_mail": round(1000 * cpu / max(1, len(arrivals)), 2),
        "load_average_1m": round(load, 1),
    }
    print(summary)
    if args.no_append:
        return
    command = " ".join(["python -m bench.notifications", *sys.argv[1:]]).replace(
        args.database, "postgres://…" if args.database else ""
    )
    today = dt.date.today()
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(
            f"\n### Notifications: {len(created):,} e-mails, one worker restarted by {stop}, "
            f"{engine} — {today:%d/%m/%Y}\n\n"
            f"`{command.strip()}`; Python {platform.python_version()}, {os.cpu_count()} cores "
            "(shared), aiosmtpd on loopback in the benchmark process, one `phoihop db_worker`.\n\n"
            "| queued | queue (s) | received | lost | duplicated | mails/s (run 1, run 2) | "
            "restart gap (s) | end to end (s) | queue delay p50/p95 (s) | worker CPU ms/mail | "
            "load avg (1 min) |\n"
            "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: | ---: |\n"
            f"| {len(created):,} | {queue_s:.2f} | {len(arrivals):,} | {lost} | {duplicated} | "
            f"{', '.join(f'{r:.0f}' for r in rates)} | {summary['restart_gap_s']} | "
            f"{end_to_end:.1f} | {p50:.1f}/{p95:.1f} | {summary['worker_cpu_ms_per_mail']} | "
            f"{load:.1f} |\n"
        )


if __name__ == "__main__":
    main()
