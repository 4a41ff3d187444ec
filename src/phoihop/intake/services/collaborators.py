"""Reports of the public-opinion collaborator network (cộng tác viên dư luận xã hội)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.core import audit
from phoihop.core.models import AdministrativeUnit, User
from phoihop.intake.models import (
    Signal,
)
from phoihop.intake.records import (
    Record,
    RowError,
)
from phoihop.intake.services.signals import Received, _raise_row_errors, _receive
from phoihop.triage.normalize import fold, normalize_text

C = Signal.Channel

MOODS = {
    "positive": "Đồng tình, phấn khởi",
    "neutral": "Bình thường",
    "worried": "Băn khoăn, lo lắng",
    "upset": "Bức xúc",
}


@transaction.atomic
def collaborator_report(
    *,
    reporter: str,
    phone: str = "",
    place: AdministrativeUnit | None = None,
    topic: str,
    mood: str,
    content: str,
    period: str = "",
    by: User | None = None,
) -> Received:
    """A periodic report of a public-opinion collaborator (cộng tác viên dư luận xã hội)."""
    errors: list[RowError] = []
    if not normalize_text(reporter):
        errors.append(RowError("reporter", _("Cần ghi họ tên cộng tác viên.")))
    if not normalize_text(topic):
        errors.append(RowError("topic", _("Cần ghi chủ đề dư luận.")))
    if mood not in MOODS:
        errors.append(RowError("mood", _("Tâm trạng không hợp lệ.")))
    if not normalize_text(content):
        errors.append(RowError("content", _("Cần ghi ý kiến, dư luận của nhân dân.")))
    _raise_row_errors(errors)
    reporter, phone = normalize_text(reporter)[:200], normalize_text(phone)[:40]
    topic, period = normalize_text(topic)[:500], normalize_text(period)[:100]
    key = "\n".join([topic, content, period, str(place.pk if place else "")])
    record = Record(
        channel=C.COLLABORATOR,
        source=f"ctv:{fold(reporter)}:{''.join(ch for ch in phone if ch.isdigit())}"[:500],
        raw_text=content,
        key_text=key,
        title=topic,
        place_id=place.pk if place else None,
        metadata={
            "reporter": reporter,
            "phone": phone,
            "mood": mood,
            "period": period,
            "via": "web",
        },
    )
    received = _receive(record, by=by)
    if received.created:
        audit.record(
            actor=by,
            action="signal.collaborator",
            target=received.signal,
            scope=f"signal:{received.signal.pk}",
            mood=mood,
        )
    return received


# ---- API items ----------------------------------------------------------------------
