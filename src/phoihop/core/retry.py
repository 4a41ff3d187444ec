"""Background work retried when the database is momentarily busy.

SQLite answers "database is locked" when another process holds the write lock for longer than
the connection's timeout (several workers, a long import); PostgreSQL answers a deadlock or a
serialization failure. The whole task is retried (it must be one transaction or idempotent,
as every task here is), with a growing pause; any other error is raised at once.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger(__name__)

TRANSIENT = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize",
)


def is_transient(error: Exception) -> bool:
    text = str(error).lower()
    return any(marker in text for marker in TRANSIENT)


def retry_when_busy(
    attempts: int = 5, first_pause: float = 0.5
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    def decorate(func: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            pause = first_pause
            for attempt in range(1, attempts + 1):
                try:
                    return func(*args, **kwargs)
                except OperationalError as error:
                    if attempt == attempts or not is_transient(error):
                        raise
                    if connection.in_atomic_block:
                        raise  # an outer transaction must retry as a whole
                    log.warning("%s: %s; retry %s in %.1fs", func.__name__, error, attempt, pause)
                    time.sleep(pause)
                    pause *= 2
            raise AssertionError("unreachable")

        return run

    return decorate
