"""Two issues that say the same become one; signals about something else become a new one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import hooks, states
from phoihop.cases.models import Assignment, Issue
from phoihop.cases.services._common import S, _move, _scope
from phoihop.cases.services.issues import issue_create
from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.core.text import title_from


@transaction.atomic
def issue_merge(*, source: Issue, target: Issue, by: User) -> Issue:
    """Staff find that `source` says the same as `target`: its signals join `target`, its
    open work is cancelled, and it closes pointing at `target`. Nothing is deleted."""
    policy.require(by, "cases.issue_merge", source)
    policy.require(by, "cases.issue_merge", target)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Không thể gộp một vấn đề vào chính nó.")})
    if target.state == S.CLOSED:
        raise ValidationError({"target": _("Vấn đề %s đã đóng.") % target.code})
    states.check(source, S.CLOSED, "merge")
    for hook in hooks.issue_merged:
        hook(target, source)  # before the signals move: subscribers read both issues as they were
    moved = list(source.signals.values_list("pk", flat=True))
    source.signals.update(issue=target)
    for assignment in source.assignments.filter(state__in=Assignment.OPEN_STATES):
        assignment.state = Assignment.State.CANCELLED
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["state", "completed_at"])
        audit.record(
            actor=by,
            action="assignment.cancel",
            target=assignment,
            scope=_scope(source),
            reason=f"gộp vào {target.code}",
        )
    source.merged_into = target
    source.closed_at = timezone.now()
    source.save(update_fields=["merged_into", "closed_at", "updated_at"])
    _move(source, to=S.CLOSED, action="merge", by=by, into=target.code, signals=moved)
    audit.record(
        actor=by,
        action="issue.absorb",
        target=target,
        scope=_scope(target),
        source=source.code,
        signals=moved,
    )
    return target


@transaction.atomic
def issue_split(*, issue: Issue, by: User, signal_ids: list[int], title: str) -> Issue:
    """Staff find that some signals of `issue` are about something else: they move to a new
    issue, which starts in «Tiếp nhận» with the same field, place and visibility."""
    policy.require(by, "cases.issue_merge", issue)
    moving = list(issue.signals.filter(pk__in=signal_ids))
    if not moving:
        raise ValidationError({"signals": _("Chọn ít nhất một tín hiệu để tách.")})
    new = issue_create(
        by=by,
        title=title or moving[0].title or title_from(moving[0].text, 300),
        description=moving[0].text,
        field=issue.field,
        place=issue.place,
        urgency=issue.urgency,
        visibility=issue.visibility,
    )
    ids = [s.pk for s in moving]
    issue.signals.filter(pk__in=ids).update(issue=new)
    for hook in hooks.issue_split:
        hook(issue, new, ids)
    audit.record(
        actor=by,
        action="issue.split",
        target=issue,
        scope=_scope(issue),
        into=new.code,
        signals=ids,
    )
    audit.record(
        actor=by,
        action="issue.split_from",
        target=new,
        scope=_scope(new),
        source=issue.code,
        signals=ids,
    )
    return new
