"""The production server for benchmarks (bench.portal, bench.soak): a demo database in a
folder, gunicorn with deploy/gunicorn.conf.py on loopback, the production environment's
settings for a server behind an HTTPS proxy, and Redis as the shared cache when it answers."""

from __future__ import annotations

import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
ARTICLE = "/bai-viet/phan-bac-tin-don-thu-hoi-toan-bo-dat-nong-nghiep-xa-na-sam/"
PHOIHOP = [sys.executable, "-m", "phoihop"]
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
# What nginx in front of the app sends (deploy/production.env.example trusts it from 127.0.0.1).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# A Redis database of the benchmarks' own; emptied before each run.
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def machine() -> str:
    cores = os.cpu_count() or 0
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{round(pages / 2**30)} GiB"
    except (ValueError, OSError):
        memory = "? GiB"
    return f"{cores} cores, {memory}, {platform.machine()}"


def python_speed() -> float:
    """Seconds a fixed pure-Python loop (10 million additions) takes now. These virtual machines
    run the same code at speeds that vary by up to 40 % from one minute to the next (0.36 and
    0.46 s a minute apart on 07/12/2026, idle), so a report states the speed around it."""
    start, total = time.perf_counter(), 0
    for i in range(10_000_000):
        total += i
    return round(time.perf_counter() - start, 2)


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def redis_ready(url: str) -> bool:
    """Whether Redis answers at `url`; if so its database is emptied for the run."""
    if not url:
        return False
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception:  # any failure means: run without Redis
        return False
    return True


def production_env(var: str, *, redis_url: str) -> dict[str, str]:
    """deploy/production.env.example's web settings, on a demo SQLite database in `var`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "PHOIHOP_VAR_DIR": var,
            "PHOIHOP_DEBUG": "0",
            "PHOIHOP_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PHOIHOP_SECURE_COOKIES": "1",
            "PHOIHOP_SSL_REDIRECT": "1",
            "PHOIHOP_HSTS_SECONDS": "31536000",
            "PHOIHOP_BEHIND_TLS_PROXY": "1",
            "PHOIHOP_TRUSTED_PROXIES": "127.0.0.1",
            "PHOIHOP_REQUIRE_2FA": "1",
            "PHOIHOP_DB_CONN_MAX_AGE": "60",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def prepare_demo(env: dict[str, str]) -> None:
    """Migrate and load the demo, unless the folder already holds a demo database."""
    if (Path(env["PHOIHOP_VAR_DIR"]) / "phoihop.sqlite3").exists():
        subprocess.run([*PHOIHOP, "migrate", "-v0"], env=env, check=True)
        return
    subprocess.run([*PHOIHOP, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*PHOIHOP, "load-demo"], env=env, check=True, capture_output=True)


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, worker_class: str, threads: int, ready_path: str = "/"
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """gunicorn on a free loopback port; yields its base URL and the master process."""
    port = free_port()
    command = [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--worker-class", worker_class, "--threads", str(threads)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=None)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                request = urllib.request.Request(base + ready_path, headers=PROXY_HEADERS)  # noqa: S310
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        yield base, process
    finally:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        process.wait(timeout=60)


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            children = Path(f"/proc/{pid}/task/{task}/children").read_text().split()
            for child in children:
                pids += _tree(int(child))
    except OSError:
        pass
    return pids


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants (gunicorn's workers), with the
    workers it has already reaped (recycled after max_requests)."""
    ticks = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
        if p == pid:
            ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants, in MiB."""
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)
