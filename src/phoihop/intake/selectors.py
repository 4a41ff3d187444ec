"""Read-side questions about signals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.intake.models import Signal


@dataclass(frozen=True)
class TrackingStatus:
    """What a citizen may see about their feedback: never who handles it internally."""

    code: str
    received_on: dt.date
    status: str
    issue_code: str | None
    answer: str | None
    answered_on: dt.date | None
    public_issue_id: int | None  # set when the answer is published on the portal


def tracking_status(*, code: str) -> TrackingStatus | None:
    """The status of the citizen feedback with this tracking code, or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    signal = Signal.objects.select_related("issue").filter(tracking_code=code).first()
    if signal is None:
        return None
    issue = signal.issue
    received = timezone.localtime(signal.received_at).date()
    if issue is None:
        return TrackingStatus(
            code, received, _("Đã tiếp nhận, đang phân loại"), None, None, None, None
        )
    published = issue.state in (Issue.State.PUBLISHED, Issue.State.CLOSED) and bool(
        issue.published_at
    )
    answered = issue.state in (Issue.State.ANSWERED, Issue.State.PUBLISHED, Issue.State.CLOSED)
    if answered:
        status = _("Đã có trả lời")
    elif issue.state in (Issue.State.ASSIGNED, Issue.State.IN_PROGRESS):
        status = _("Đang được cơ quan có thẩm quyền xử lý")
    else:
        status = _("Đã tiếp nhận, đang phân loại")
    # The answer text is shown only once it is public; internal answers stay internal.
    public = published and issue.visibility == Issue.Visibility.PUBLIC
    return TrackingStatus(
        code=code,
        received_on=received,
        status=status,
        issue_code=issue.code if public else None,
        answer=issue.answer if public else None,
        answered_on=timezone.localtime(issue.answered_at).date()
        if public and issue.answered_at
        else None,
        public_issue_id=issue.pk if public else None,
    )
