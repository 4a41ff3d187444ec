"""What the programme does when core tells it something (core's hooks, example 13)."""

from __future__ import annotations

from phoihop.core import hooks
from phoihop.core.models import Agency, User
from phoihop.programme import merges


def agency_merged(agency: Agency, into: Agency, by: User | None) -> dict[str, list[int]]:
    return merges.tasks_move_to_successor(agency=agency, into=into, by=by)


def subscribe() -> None:
    """Called once from `ProgrammeConfig.ready()`."""
    if agency_merged not in hooks.agency_merged:
        hooks.agency_merged.append(agency_merged)
