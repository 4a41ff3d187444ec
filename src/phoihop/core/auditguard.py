"""The one switch that lets audit events be deleted: only the test runner's flush uses it.

SQLite's DELETE trigger on the audit log (migration 0004) asks `phoihop_audit_purge()`, a SQL
function registered on every connection Django opens; it answers 1 only inside
`purge_allowed()`. No application code path enters it. Kept free of model imports so that
`CoreConfig` can register the function before the models load.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_state = threading.local()


def purge_allowed_sql() -> int:
    return 1 if getattr(_state, "allowed", False) else 0


@contextmanager
def purge_allowed() -> Iterator[None]:
    _state.allowed = True
    try:
        yield
    finally:
        _state.allowed = False


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "phoihop_audit_purge", 0, purge_allowed_sql, deterministic=False
        )
