"""Who may decide on the triage engine's proposals; registered in the one policy registry
(`core.policy`) when the app starts.

- accepting or correcting a proposal (and a cluster: accept, split, regroup) routes work
  between agencies, so only coordinators do it.
"""

from __future__ import annotations

from typing import Any

from phoihop.core import policy
from phoihop.core.policy import AnyUser


def _proposal_decide(user: AnyUser, obj: Any) -> bool:
    return policy.is_coordinator(user)


def register() -> None:
    """Called once from `TriagingConfig.ready()`."""
    policy.register("triaging.proposal_decide", _proposal_decide)
