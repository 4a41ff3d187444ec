"""A citizen's verdict on the answer to their issue; «not resolved» reopens it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.cases import hooks
from phoihop.cases.models import Assignment, Issue, ResolutionFeedback
from phoihop.cases.services._common import S, _move, _scope
from phoihop.core import audit
from phoihop.triage.normalize import normalize_text

FEEDBACK_STATES = (S.ANSWERED, S.PUBLISHED, S.CLOSED)


def _answering_lead(issue: Issue) -> Assignment | None:
    """The lead assignment whose response became the official answer."""
    return (
        issue.assignments.filter(role=Assignment.Role.LEAD, state=Assignment.State.RESPONDED)
        .select_related("agency")
        .order_by("-completed_at", "-id")
        .first()
    )


@transaction.atomic
def issue_feedback_record(
    *, issue: Issue, tracking_code: str, resolved: bool, reason: str = ""
) -> tuple[ResolutionFeedback, bool]:
    """A citizen (identified by the tracking code of their feedback on `issue`, which the
    caller has verified from a signed link) answers «Vấn đề đã được giải quyết chưa?».

    One verdict per citizen per answer: asking again returns the first, (verdict, False).
    «Chưa» needs a reason and reopens the issue to the coordinator (audited, hooks told)."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    reason = normalize_text(reason or "")[:2000]
    if issue.state not in FEEDBACK_STATES or issue.answered_at is None:
        existing = (
            ResolutionFeedback.objects.filter(issue=issue, tracking_code=tracking_code)
            .order_by("-created_at")
            .first()
        )
        if existing is not None:
            return existing, False
        raise ValidationError(
            _("Vấn đề %(code)s chưa có trả lời để đánh giá.") % {"code": issue.code}
        )
    existing = ResolutionFeedback.objects.filter(
        issue=issue, tracking_code=tracking_code, answered_at=issue.answered_at
    ).first()
    if existing is not None:
        return existing, False
    if not resolved and not reason:
        raise ValidationError({"reason": _("Xin cho biết vì sao vấn đề chưa được giải quyết.")})
    lead = _answering_lead(issue)
    feedback = ResolutionFeedback.objects.create(
        issue=issue,
        tracking_code=tracking_code,
        answered_at=issue.answered_at,
        agency=lead.agency if lead else None,
        agency_name=lead.agency_name if lead else "",
        resolved=resolved,
        reason=reason,
        reopened=not resolved,
    )
    audit.record(
        actor=None,
        action="issue.citizen_feedback",
        target=issue,
        scope=_scope(issue),
        tracking_code=tracking_code,
        resolved=resolved,
        reason=reason,
    )
    if not resolved:
        issue.closed_at = None
        issue.save(update_fields=["closed_at", "updated_at"])
        _move(
            issue,
            to=S.CLASSIFIED,
            action="reopen",
            by=None,
            reason=reason,
            tracking_code=tracking_code,
            agency=lead.agency_name if lead else "",
        )
        for hook in hooks.issue_reopened:
            hook(issue, lead, reason)
    return feedback, True
