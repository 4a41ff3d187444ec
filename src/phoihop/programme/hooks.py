"""Hooks the programme offers to higher apps (subscribed in their `AppConfig.ready()`)."""

from __future__ import annotations

from collections.abc import Callable

from phoihop.core.models import Agency, User
from phoihop.programme.models import ExemplaryModel, KeyProject, ProgressRequest

# An exemplary model was recognised: the portal drafts an article about it and returns the
# staff address of that draft (or None when it does nothing).
exemplary_approved: list[Callable[[ExemplaryModel, User], str | None]] = []

# New public opinion was found mentioning a key project: (the project, how many new signals
# and issues were linked). Called in the transaction that stores the links.
project_mentioned: list[Callable[[KeyProject, int], None]] = []

# The coordinator asked for progress: (the request, the agencies concerned). Called in the
# transaction that stores the request.
progress_requested: list[Callable[[ProgressRequest, list[Agency]], None]] = []
