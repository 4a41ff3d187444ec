"""Messages to citizens: the acknowledgement of their feedback with its tracking code, and
the published answer with the «Vấn đề đã được giải quyết chưa?» links; where to reach them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.intake.models import Signal
from phoihop.notifications.models import Delivery
from phoihop.notifications.services.outbox import Outgoing, queue
from phoihop.notifications.services.resolution import feedback_url

C = Delivery.Channel

PHONE = re.compile(r"^(?:\+?84|0)(\d{9})$")


def citizen_address(signal: Signal) -> tuple[str, str] | None:
    """(channel, address) to reach the citizen behind a signal: the Zalo user who wrote to
    the OA, else the e-mail or phone (by SMS) they left; None when there is none."""
    metadata = signal.metadata or {}
    if metadata.get("zalo_user_id"):
        return C.ZALO, str(metadata["zalo_user_id"])
    contact = str(metadata.get("contact") or "").strip()
    if not contact:
        return None
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return None
        return C.EMAIL, contact
    match = PHONE.match(re.sub(r"[\s.\-()]", "", contact))
    if match:
        return C.SMS, "0" + match.group(1)
    return None


def lookup_url(code: str) -> str:
    return f"{settings.PHOIHOP_PUBLIC_URL.rstrip('/')}{reverse('portal:lookup')}?ma={code}"


def _citizen_message(
    *, signal: Signal, purpose: str, template: str, subject: str, key: str, extra: dict[str, Any]
) -> Outgoing | None:
    address = citizen_address(signal)
    if address is None or not signal.tracking_code:
        return None
    channel, recipient = address
    context = {
        "code": signal.tracking_code,
        "lookup": lookup_url(signal.tracking_code),
        "received": timezone.localtime(signal.received_at).date(),
        **extra,
    }
    short = channel != C.EMAIL
    text = render_to_string(
        f"notifications/citizen/{template}.{'sms' if short else 'txt'}", context
    )
    html = "" if short else render_to_string(f"notifications/citizen/{template}.html", context)
    return Outgoing(
        channel=channel,
        recipient=recipient,
        purpose=purpose,
        subject=subject,
        text=text.strip(),
        html=html,
        key=key,
        about=signal.tracking_code,
    )


def acknowledge_signals(signal_ids: Sequence[int]) -> int:
    """Tell each citizen whose feedback was just stored that it arrived, with its tracking
    code and where to follow it. Called once the signals are committed."""
    messages: list[Outgoing] = []
    for start in range(0, len(signal_ids), 500):
        chunk = signal_ids[start : start + 500]
        for signal in Signal.objects.filter(pk__in=chunk, tracking_code__isnull=False):
            message = _citizen_message(
                signal=signal,
                purpose=Delivery.Purpose.ACKNOWLEDGEMENT,
                template="acknowledgement",
                subject=_("Đã tiếp nhận phản ánh của bạn — mã tra cứu %(code)s")
                % {"code": signal.tracking_code},
                key=f"ack:{signal.pk}",
                extra={},
            )
            if message:
                messages.append(message)
    with transaction.atomic():
        return queue(messages)


def announce_answer(*, issue: Issue) -> int:
    """Send the published answer to each citizen whose feedback belongs to the issue, with
    the «Vấn đề đã được giải quyết chưa?» links."""
    stamp = issue.answered_at.isoformat() if issue.answered_at else ""
    messages: list[Outgoing] = []
    for signal in Signal.objects.filter(issue=issue, tracking_code__isnull=False):
        assert signal.tracking_code is not None
        code = signal.tracking_code
        message = _citizen_message(
            signal=signal,
            purpose=Delivery.Purpose.ANSWER,
            template="answer",
            subject=_("Trả lời phản ánh mã %(code)s") % {"code": code},
            key=f"answer:{signal.pk}:{stamp}",
            extra={
                "issue": issue,
                "answer": issue.answer,
                "answered_on": timezone.localtime(issue.answered_at).date()
                if issue.answered_at
                else None,
                "yes": feedback_url(tracking_code=code, issue_id=issue.pk, resolved=True),
                "no": feedback_url(tracking_code=code, issue_id=issue.pk, resolved=False),
            },
        )
        if message:
            messages.append(message)
    return queue(messages)
