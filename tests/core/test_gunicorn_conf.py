"""The production server's settings (deploy/gunicorn.conf.py), run by gunicorn itself."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"

# A stand-in for the app, loaded once in the master (preload_app) with objects that live as
# long as the worker; it answers with what the worker's garbage collector sees.
APP = """
import gc

LOADED = [[i] for i in range(5000)]


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{gc.isenabled()} {gc.get_freeze_count()}".encode()]
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_workers_do_not_walk_what_the_master_loaded(tmp_path: Path) -> None:
    """What the master loaded is frozen before the fork, so a worker's full collections skip
    it (they held the GIL for ~110 ms each); the worker still collects its own garbage."""
    (tmp_path / "probe_app.py").write_text(APP, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONF), "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--chdir", str(tmp_path), "probe_app:application"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline, answer = time.monotonic() + 30, ""
        while time.monotonic() < deadline and not answer:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    answer = r.read().decode()
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert answer, "gunicorn did not answer within 30 s"
    enabled, frozen = answer.split()
    assert enabled == "True"
    assert int(frozen) >= 5000
