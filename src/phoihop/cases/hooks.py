"""Hooks cases offers to the apps above it (example 13 of STYLE.md): typed lists of
callables, called inside the transaction of the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from phoihop.cases.models import Assignment, Issue, Response
from phoihop.cases.regime_models import DeadlineExtension

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


# The news the notifications app turns into messages (each called once, in the transaction).
# An agency was given the issue, as lead or support.
assignment_created: list[Callable[[Assignment], None]] = []
# The agency returned the issue as outside its competence (its reason is on the assignment).
assignment_returned: list[Callable[[Assignment], None]] = []
# The lead agency's response waits for its leader to approve it as the official answer.
answer_awaiting_approval: list[Callable[[Response], None]] = []
# A leader approved the official answer: «Đã trả lời».
issue_answered: list[Callable[[Issue], None]] = []
# The answer is on the portal: «Đã công khai».
issue_published: list[Callable[[Issue], None]] = []
# An open assignment is due within two working days (called by the daily deadline scan;
# subscribers keep it to once per assignment and deadline).
assignment_due_soon: list[Callable[[Assignment], None]] = []
# An open assignment went past its deadline (once: when it is escalated).
assignment_overdue: list[Callable[[Assignment], None]] = []
# Someone asked for more time on the issue: the extension waits for a leader of the lead
# agency to decide.
extension_requested: list[Callable[[DeadlineExtension], None]] = []
# A leader approved or refused a requested extension: (the extension, the issue's legal due
# date after the decision, None when it has none).
extension_decided: list[Callable[[DeadlineExtension, dt.date | None], None]] = []
# A citizen said the answered issue is not resolved: (issue, the agency that had led the
# answer, or None, the citizen's reason). The issue is back with the coordinator.
issue_reopened: list[Callable[[Issue, Assignment | None, str], None]] = []
