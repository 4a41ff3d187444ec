"""What the service modules of cases share: the state names, the audit scope of an issue,
a move between states (checked, audited, the portal told) and a clearance grant."""

from __future__ import annotations

from phoihop.cases import hooks, states
from phoihop.cases.models import Issue, IssueClearance
from phoihop.cases.selectors import is_publicly_answered
from phoihop.core import audit
from phoihop.core.models import User

S = Issue.State


def _scope(issue: Issue) -> str:
    return f"issue:{issue.pk}"


def _move(issue: Issue, *, to: str, action: str, by: User | None, **data: object) -> None:
    states.check(issue, to, action)
    before = issue.state
    was_public = is_publicly_answered(issue)
    issue.state = to
    issue.save(update_fields=["state", "updated_at"])
    if was_public or is_publicly_answered(issue):  # published, closed, reopened, merged away
        hooks.announce_public_content_changed(issue)
    audit.record(
        actor=by,
        action=f"issue.{action}",
        target=issue,
        scope=_scope(issue),
        before={"state": before},
        after={"state": to},
        **data,
    )


def _grant(*, issue: Issue, by: User, user: User) -> None:
    _clearance, created = IssueClearance.objects.get_or_create(
        issue=issue, user=user, defaults={"granted_by": by}
    )
    if created:
        audit.record(
            actor=by,
            action="issue.grant_clearance",
            target=issue,
            scope=_scope(issue),
            user=user.username,
        )
