"""Demo only: work the demo shows as long done is told to nobody while it loads, so the bell
holds the news of what still waits (an article to approve, a rebuttal to confirm), not of
what was settled before the demo began."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def hooks_held(*hook_lists: list[Callable[..., Any]]) -> Iterator[None]:
    """Empty these hook lists for the block, and put their subscribers back after it."""
    held = [(hooks, list(hooks)) for hooks in hook_lists]
    for hooks, _subscribers in held:
        hooks.clear()
    try:
        yield
    finally:
        for hooks, subscribers in held:
            hooks.extend(s for s in subscribers if s not in hooks)
