"""The one state machine of an issue: which move leads from which state to which."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue

S = Issue.State

# (from, to) -> the actions that make the move. Nothing else is allowed.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.RECEIVED, S.CLASSIFIED): frozenset({"classify"}),
    (S.CLASSIFIED, S.ASSIGNED): frozenset({"assign"}),
    (S.ASSIGNED, S.IN_PROGRESS): frozenset({"accept"}),
    # The lead agency returns the issue as outside its competence: it waits for re-routing.
    (S.ASSIGNED, S.CLASSIFIED): frozenset({"return"}),
    (S.IN_PROGRESS, S.CLASSIFIED): frozenset({"return"}),
    (S.IN_PROGRESS, S.ANSWERED): frozenset({"answer"}),
    (S.ANSWERED, S.PUBLISHED): frozenset({"publish"}),
    (S.ANSWERED, S.CLOSED): frozenset({"close", "merge"}),
    (S.PUBLISHED, S.CLOSED): frozenset({"close", "merge"}),
    # Staff find two issues are one: the merged one closes, pointing at the one it joined.
    (S.RECEIVED, S.CLOSED): frozenset({"merge"}),
    (S.CLASSIFIED, S.CLOSED): frozenset({"merge"}),
    (S.ASSIGNED, S.CLOSED): frozenset({"merge"}),
    (S.IN_PROGRESS, S.CLOSED): frozenset({"merge"}),
    # A citizen says the answer did not resolve it: back to the coordinator to re-route.
    (S.ANSWERED, S.CLASSIFIED): frozenset({"reopen"}),
    (S.PUBLISHED, S.CLASSIFIED): frozenset({"reopen"}),
    (S.CLOSED, S.CLASSIFIED): frozenset({"reopen"}),
}


def check(issue: Issue, to: str, action: str) -> None:
    """Refuse, with a message a person can act on, any move the machine does not allow."""
    if action not in TRANSITIONS.get((issue.state, to), frozenset()):
        raise ValidationError(
            _("Không thể chuyển vấn đề %(code)s từ trạng thái «%(from)s» sang «%(to)s».")
            % {"code": issue.code, "from": S(issue.state).label, "to": S(to).label},
            code="illegal_transition",
        )


def allowed_actions(state: str) -> set[str]:
    return {a for (source, _to), actions in TRANSITIONS.items() if source == state for a in actions}


def offered_actions(issue: Issue) -> set[str]:
    """The issue actions worth offering a person now (the policy still decides who)."""
    offered = allowed_actions(issue.state) - {"accept", "return", "merge", "reopen"}
    if issue.state in (S.ASSIGNED, S.IN_PROGRESS):
        offered.add("assign")  # supporting agencies can join while the issue is handled
    if issue.visibility != Issue.Visibility.PUBLIC:
        offered.discard("publish")
    elif issue.state == S.ANSWERED:
        offered.discard("close")  # a public answer is published before the issue closes
    if issue.state not in (S.RECEIVED, S.CLOSED):
        offered.add("edit")  # correct title, field, commune, urgency, visibility
    if issue.visibility == Issue.Visibility.CONFIDENTIAL and issue.state != S.CLOSED:
        offered.add("grant")
    return offered
