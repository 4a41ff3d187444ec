"""Hooks core offers to the apps above it (example 13 of STYLE.md): typed lists of
callables that the higher apps fill in their `AppConfig.ready()`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Q

    from phoihop.core.models import Agency, User

# An agency stopped and `into` carries on: (agency, into, by). Called inside the merge's
# transaction, before the old agency is marked inactive; each app moves its own open work
# (cases its open assignments, programme its open tasks), audits each move and returns what
# it moved ({"moved_assignments": [ids]}) for the merge's own audit event.
agency_merged: list[Callable[[Agency, Agency, User | None], dict[str, list[int]]]] = []

# Which audit events a user may read: each returns a filter over AuditEvent that keeps the
# events of things the user may see (the filters are combined with AND).
audit_events_visible: list[Callable[[Any], Q]] = []
