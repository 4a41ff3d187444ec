"""The public feedback form: a citizen's feedback, stored once, with a tracking code."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from phoihop.core import audit
from phoihop.core.models import AdministrativeUnit, User
from phoihop.intake.models import (
    Signal,
)
from phoihop.intake.records import (
    Lookups,
    check_feedback,
)
from phoihop.intake.services.attachments import attachments_store, check_attachments
from phoihop.intake.services.signals import Received, _raise_row_errors, _receive

C = Signal.Channel


@transaction.atomic
def feedback_submit(
    *,
    content: str,
    name: str = "",
    contact: str = "",
    place: AdministrativeUnit | None = None,
    attachments: list[UploadedFile] | None = None,
    by: User | None = None,
) -> Received:
    """A citizen's feedback from the public form: stored once, with a tracking code."""
    files = check_attachments(list(attachments or []))
    checked = check_feedback(
        {
            "content": content,
            "name": name,
            "contact": contact,
            "place": place.name if place else "",
            "place_id": place.pk if place else None,
        },
        Lookups(),
    )
    _raise_row_errors(checked.errors)
    assert checked.record is not None
    checked.record.metadata["via"] = "web"
    received = _receive(checked.record, by=by)
    if not received.created:
        return received
    signal = received.signal
    attachments_store(signal=signal, files=files)
    audit.record(
        actor=by,
        action="signal.feedback",
        target=signal,
        scope=f"signal:{signal.pk}",
        channel=signal.channel,
        tracking_code=signal.tracking_code,
        attachments=len(files),
    )
    return received
