"""Hooks the programme offers to higher apps (subscribed in their `AppConfig.ready()`)."""

from __future__ import annotations

from collections.abc import Callable

from phoihop.core.models import User
from phoihop.programme.models import ExemplaryModel, KeyProject

# An exemplary model was recognised: the portal drafts an article about it and returns the
# staff address of that draft (or None when it does nothing).
exemplary_approved: list[Callable[[ExemplaryModel, User], str | None]] = []

# New public opinion was found mentioning a key project: (the project, how many new signals
# and issues were linked). Called in the transaction that stores the links.
project_mentioned: list[Callable[[KeyProject, int], None]] = []
