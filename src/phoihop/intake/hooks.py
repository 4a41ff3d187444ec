"""Hooks intake offers to the apps above it: typed lists of callables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# New signals are stored (ids, oldest first); called once their transaction has committed.
signals_stored: list[Callable[[list[int]], None]] = []

# Panels other apps add to a signal's staff page: (viewer, signal) -> (template, context),
# or None when the app has nothing to show.
signal_panels: list[Callable[[Any, Any], tuple[str, dict[str, Any]] | None]] = []
