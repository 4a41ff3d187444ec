"""The one state machine of an issue: which move leads from which state to which."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue

S = Issue.State

# (from, to) -> the action that makes the move. Nothing else is allowed.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECEIVED, S.CLASSIFIED): "classify",
    (S.CLASSIFIED, S.ASSIGNED): "assign",
    (S.ASSIGNED, S.IN_PROGRESS): "accept",
    # The lead agency returns the issue as outside its competence: it waits for re-routing.
    (S.ASSIGNED, S.CLASSIFIED): "return",
    (S.IN_PROGRESS, S.CLASSIFIED): "return",
    (S.IN_PROGRESS, S.ANSWERED): "answer",
    (S.ANSWERED, S.PUBLISHED): "publish",
    (S.ANSWERED, S.CLOSED): "close",
    (S.PUBLISHED, S.CLOSED): "close",
}


def check(issue: Issue, to: str, action: str) -> None:
    """Refuse, with a message a person can act on, any move the machine does not allow."""
    if TRANSITIONS.get((issue.state, to)) != action:
        raise ValidationError(
            _("Không thể chuyển vấn đề %(code)s từ trạng thái «%(from)s» sang «%(to)s».")
            % {"code": issue.code, "from": S(issue.state).label, "to": S(to).label},
            code="illegal_transition",
        )


def allowed_actions(state: str) -> set[str]:
    return {action for (source, _to), action in TRANSITIONS.items() if source == state}


def offered_actions(issue: Issue) -> set[str]:
    """The issue actions worth offering a person now (the policy still decides who)."""
    offered = allowed_actions(issue.state) - {"accept", "return"}
    if issue.state in (S.ASSIGNED, S.IN_PROGRESS):
        offered.add("assign")  # supporting agencies can join while the issue is handled
    if issue.visibility != Issue.Visibility.PUBLIC:
        offered.discard("publish")
    if issue.visibility == Issue.Visibility.CONFIDENTIAL and issue.state != S.CLOSED:
        offered.add("grant")
    return offered
