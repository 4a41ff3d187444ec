"""`make run` starts the background worker beside the server, with the arguments it is given."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_starts_the_worker_on_every_queue(tmp_path: Path) -> None:
    """The recipe's own command line, run with a stand-in `phoihop` that records its
    arguments, in a folder with files in it: the worker is asked for every queue (`*`), not
    for the folder's file names (a `'*'` inside the recipe's single quotes was unquoted, the
    shell expanded it, and the worker refused to start)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    fake = bin_dir / "phoihop"
    fake.write_text(
        '#!/bin/sh\necho "$*" >> "$CALLS"\necho "$PHOIHOP_PUBLIC_URL" > "$CALLS.url"\n'
        '[ "$1" = runserver ] && sleep 1\nexit 0\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    work = tmp_path / "work"
    (work / "var").mkdir(parents=True)
    for name in ("README.md", "pyproject.toml"):
        (work / name).write_text("", encoding="utf-8")
    plan = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", f"BIN={bin_dir}", "PORT=8081"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    serve = next(line for line in plan.splitlines() if "bash -c" in line)
    subprocess.run(  # noqa: S602 - the Makefile's own recipe, as make would run it
        serve,
        shell=True,
        cwd=work,
        env={
            **{k: v for k, v in os.environ.items() if k != "PHOIHOP_PUBLIC_URL"},
            "CALLS": str(calls),
        },
        start_new_session=True,  # its `kill 0` ends its own group, not the test's
        timeout=30,
        check=False,
    )
    recorded = calls.read_text(encoding="utf-8").splitlines()
    assert "db_worker --interval 2 --queue-name *" in recorded, recorded
    assert any(line.startswith("runserver --noreload") for line in recorded), recorded
    # the links in the messages it sends point at the port it serves on
    assert (tmp_path / "calls.url").read_text(encoding="utf-8").strip() == "http://127.0.0.1:8081"
