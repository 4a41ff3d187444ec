"""Hooks cases offers to the apps above it (example 13 of STYLE.md): typed lists of
callables, called inside the transaction of the change."""

from __future__ import annotations

from collections.abc import Callable

from phoihop.cases.models import Issue

# An issue was opened (by hand or from a cluster).
issue_created: list[Callable[[Issue], None]] = []
# Staff found two issues are one: (kept, absorbed); the absorbed one's signals moved.
issue_merged: list[Callable[[Issue, Issue], None]] = []
# Staff moved some signals (ids) of an issue into a new issue: (issue, new issue, ids).
issue_split: list[Callable[[Issue, Issue, list[int]], None]] = []
# What the public reads changed (an issue's answer was published on the portal); apps that
# keep copies of public pages (the portal's page cache) drop them, after the commit.
public_content_changed: list[Callable[[Issue], None]] = []


def announce_public_content_changed(issue: Issue) -> None:
    """Call the `public_content_changed` hooks (inside the transaction of the change)."""
    for hook in public_content_changed:
        hook(issue)
