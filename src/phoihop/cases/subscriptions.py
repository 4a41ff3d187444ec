"""What cases does when core tells it something (core's hooks, example 13 of STYLE.md)."""

from __future__ import annotations

from phoihop.cases import services
from phoihop.core import hooks
from phoihop.core.models import Agency, User


def agency_merged(agency: Agency, into: Agency, by: User | None) -> dict[str, list[int]]:
    return services.assignments_move_to_successor(agency=agency, into=into, by=by)


def subscribe() -> None:
    """Called once from `CasesConfig.ready()`."""
    if agency_merged not in hooks.agency_merged:
        hooks.agency_merged.append(agency_merged)
