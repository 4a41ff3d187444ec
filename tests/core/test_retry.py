"""Tasks retry when the database is momentarily locked (issue 14, defect 8)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError

from phoihop.cases import tasks as case_tasks
from phoihop.core.retry import retry_when_busy
from phoihop.intake import tasks as intake_tasks
from phoihop.programme import tasks as programme_tasks


def test_a_locked_database_is_retried_until_it_frees(tmp_path: Path) -> None:
    """Two real SQLite connections: the task's write waits on another writer's lock."""
    path = tmp_path / "khoa.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    calls: list[int] = []

    @retry_when_busy(attempts=4, first_pause=0.01)
    def write() -> int:
        calls.append(1)
        if len(calls) == 2:
            holder.execute("COMMIT")  # the other writer finishes during the pause
        worker = sqlite3.connect(path, timeout=0)
        try:
            worker.execute("INSERT INTO t VALUES (1)")
            worker.commit()
        except sqlite3.OperationalError as error:
            raise OperationalError(str(error)) from error  # what Django's wrapper raises
        finally:
            worker.close()
        return len(calls)

    assert write() == 2
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_other_errors_and_the_last_attempt_are_raised() -> None:
    calls: list[int] = []

    @retry_when_busy(attempts=3, first_pause=0.0)
    def broken() -> None:
        calls.append(1)
        raise OperationalError("no such table: x")

    with pytest.raises(OperationalError):
        broken()
    assert len(calls) == 1

    @retry_when_busy(attempts=3, first_pause=0.0)
    def always_locked() -> None:
        calls.append(1)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        always_locked()
    assert len(calls) == 4


@pytest.mark.parametrize(
    "task",
    [
        case_tasks.escalate_overdue,
        programme_tasks.link_project_mentions,
        intake_tasks.run_import,
        intake_tasks.poll_feeds,
    ],
)
def test_background_tasks_retry_when_busy(task: Any) -> None:
    assert task.func.__wrapped__ is not None
    assert task.module_path.startswith("phoihop.")
