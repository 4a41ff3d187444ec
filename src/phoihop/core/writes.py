"""The staff data's generation: a number in the shared cache that every committed write bumps,
so that what is computed from the data («Việc của tôi», the pickers' choices) can be kept
per generation and is recomputed after the next change, whoever made it.

Every process (web workers, task workers, commands) watches its own database connections:
after a statement that writes succeeds, the bump is queued for the end of the transaction
(`transaction.on_commit`, once per transaction), so a reader that sees the new generation
also sees the write. This catches what model signals miss: `QuerySet.update()`, bulk
inserts, raw SQL and migrations. Writes that no staff list reads leave it alone:
`QUIET_TABLES` (sessions, the audit log, the task queue, login throttling, two-factor
devices, API tokens' last use) and new signals, `QUIET_INSERTS` (a signal reaches a work
list only through a triage proposal, or when it is linked to an issue: both are writes to
other rows). A citizen's feedback therefore does not empty every coordinator's cached lists.

The generation starts at a random number, so a key lost from the cache (eviction, a
restart of Redis) never brings back a value that old entries were kept under.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

KEY = "staff:writes-generation"
QUIET_TABLES = frozenset(
    {
        "django_session",
        "core_auditevent",
        "django_tasks_database_dbtaskresult",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "otp_totp_totpdevice",
        "otp_static_staticdevice",
        "otp_static_statictoken",
        "api_apitoken",
    }
)
QUIET_INSERTS = frozenset({"intake_signal"})
# Statements that never write; anything else (DDL included) counts as a write.
_READS = (
    "SELECT",
    "SAVEPOINT",
    "RELEASE",
    "ROLLBACK",
    "BEGIN",
    "COMMIT",
    "PRAGMA",
    "EXPLAIN",
    "SHOW",
    "SET ",
)
_TARGET = re.compile(
    r"\s*(?P<verb>INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(?P<table>\w+)\"?",
    re.IGNORECASE,
)


def generation() -> int:
    """The current generation (one round trip to the shared cache)."""
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, secrets.randbits(60), None)
        value = cache.get(KEY)
    return int(value or 0)


def bump() -> None:
    """A committed write: whatever was kept per generation is recomputed on its next read."""
    try:
        cache.incr(KEY)
    except ValueError:  # no generation yet (or it was evicted): start a new one
        cache.add(KEY, secrets.randbits(60), None)


def writes_staff_data(sql: str) -> bool:
    """Whether a statement may change what staff lists show (see the module's docstring)."""
    head = sql.lstrip()[:9].upper()
    if head.startswith(_READS):
        return False
    target = _TARGET.match(sql)
    if target is None:
        return True
    table = target["table"].lower()
    inserts = target["verb"].upper().startswith("INSERT")
    return not (table in QUIET_TABLES or (inserts and table in QUIET_INSERTS))


def _schedule_bump(connection: BaseDatabaseWrapper) -> None:
    if connection.in_atomic_block:
        if not any(entry[1] is bump for entry in connection.run_on_commit):
            transaction.on_commit(bump, using=connection.alias, robust=True)
        return
    # Autocommit: the statement has committed. (A transaction managed by hand, with
    # set_autocommit(False), has no commit hooks: it is bumped now too.) As with
    # on_commit(robust=True), a cache that fails is logged, never the write's failure.
    try:
        bump()
    except Exception:
        logger.exception("the staff data's generation was not bumped")


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if writes_staff_data(sql):
        _schedule_bump(context["connection"])
    return result


def watch_connection(sender: Any, connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """`connection_created` receiver: watch this connection's statements (once)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)
