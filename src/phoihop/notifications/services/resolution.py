"""Closing the loop: the signed «đã được giải quyết chưa?» link sent with the answer, the
question it asks and the citizen's click (a «chưa» reopens the issue through cases)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from phoihop.cases import services as cases_services
from phoihop.cases.models import Issue, ResolutionFeedback
from phoihop.intake.models import Signal

FEEDBACK_SALT = "phoihop.notifications.feedback"


def feedback_token(*, tracking_code: str, issue_id: int) -> str:
    return signing.dumps({"c": tracking_code, "i": issue_id}, salt=FEEDBACK_SALT, compress=True)


def feedback_url(*, tracking_code: str, issue_id: int, resolved: bool | None = None) -> str:
    token = feedback_token(tracking_code=tracking_code, issue_id=issue_id)
    url = settings.PHOIHOP_PUBLIC_URL.rstrip("/") + reverse(
        "notifications:resolution", args=[token]
    )
    if resolved is not None:
        url += "?tra-loi=" + ("co" if resolved else "chua")
    return url


@dataclass(frozen=True)
class FeedbackAsk:
    tracking_code: str
    issue: Issue
    token: str
    given: ResolutionFeedback | None  # the citizen's verdict on the current answer, if any

    @property
    def open(self) -> bool:
        return self.given is None and self.issue.state in cases_services.FEEDBACK_STATES


def feedback_read(*, token: str) -> FeedbackAsk | None:
    """The question a signed link asks, or None for a link that is not ours."""
    try:
        data = signing.loads(token, salt=FEEDBACK_SALT)
    except signing.BadSignature:
        return None
    signal = (
        Signal.objects.select_related("issue")
        .filter(tracking_code=data.get("c"), issue_id=data.get("i"))
        .first()
    )
    if signal is None or signal.issue is None or signal.tracking_code is None:
        return None
    return _ask(signal.tracking_code, signal.issue, token)


def _ask(code: str, issue: Issue, token: str) -> FeedbackAsk:
    given = (
        ResolutionFeedback.objects.filter(
            issue=issue, tracking_code=code, answered_at=issue.answered_at
        ).first()
        if issue.answered_at
        else None
    )
    return FeedbackAsk(code, issue, token, given)


def feedback_for_code(*, code: str) -> FeedbackAsk | None:
    """The question for the look-up page: only once the answer is public (published, or
    closed after publication) does the citizen judge it."""
    signal = (
        Signal.objects.select_related("issue")
        .filter(tracking_code=(code or "").strip().upper(), issue__isnull=False)
        .first()
    )
    if signal is None or signal.issue is None or signal.tracking_code is None:
        return None
    issue = signal.issue
    if not (
        issue.published_at and issue.answered_at and issue.visibility == Issue.Visibility.PUBLIC
    ):
        return None
    token = feedback_token(tracking_code=signal.tracking_code, issue_id=issue.pk)
    return _ask(signal.tracking_code, issue, token)


def feedback_give(*, token: str, resolved: bool, reason: str = "") -> ResolutionFeedback:
    """Record the citizen's click; «chưa» with a reason reopens the issue (cases service).
    The same link used again changes nothing."""
    ask = feedback_read(token=token)
    if ask is None:
        raise ValidationError(_("Liên kết đánh giá không hợp lệ hoặc đã bị sửa."))
    verdict, _created = cases_services.issue_feedback_record(
        issue=ask.issue, tracking_code=ask.tracking_code, resolved=resolved, reason=reason
    )
    return verdict
