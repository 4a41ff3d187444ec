"""What of an issue the public may read: its title, dates, status and legal due date, its
place at commune level at most, and never a name or a contact detail."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.cases import deadlines
from phoihop.cases.models import Issue
from phoihop.core.models import AdministrativeUnit

# Phone numbers (Vietnamese mobiles and landlines, with spaces or dots) and e-mail addresses.
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HIDDEN = "[đã ẩn]"


def public_issues() -> QuerySet[Issue]:
    """Issues marked public, once classified (reviewed), not merged into another; with what
    their due date and place need."""
    return (
        Issue.objects.filter(visibility=Issue.Visibility.PUBLIC, merged_into__isnull=True)
        .exclude(state=Issue.State.RECEIVED)
        .select_related("place__parent", "field", "regime")
        .prefetch_related("regime__rules", "assignments", "extensions")
        .order_by("-received_on", "-id")
    )


def redact(text: str) -> str:
    """The text with phone numbers and e-mail addresses hidden."""
    return _EMAIL.sub(HIDDEN, _PHONE.sub(HIDDEN, text or ""))


def commune_of(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """The place at commune level at most (a finer unit, if one is ever stored, rolls up)."""
    while unit is not None and unit.level not in (
        AdministrativeUnit.Level.COMMUNE,
        AdministrativeUnit.Level.PROVINCE,
    ):
        unit = unit.parent
    return unit


def place_name(issue: Issue) -> str:
    unit = commune_of(issue.place)
    if unit is None:
        return ""
    if unit.level == AdministrativeUnit.Level.COMMUNE and unit.parent is not None:
        return f"{unit.name}, {unit.parent.name}"
    return unit.name


def status_label(issue: Issue) -> str:
    if issue.state in (Issue.State.PUBLISHED, Issue.State.CLOSED) and issue.published_at:
        return _("Đã có trả lời")
    if issue.state in (Issue.State.ANSWERED, Issue.State.PUBLISHED, Issue.State.CLOSED):
        return _("Đã có trả lời, đang chờ công bố")
    if issue.state in (Issue.State.ASSIGNED, Issue.State.IN_PROGRESS):
        return _("Đang được cơ quan có thẩm quyền xử lý")
    return _("Đã tiếp nhận, đang phân loại")


@dataclass(frozen=True)
class PublicDue:
    """Received on, due by (with its legal basis), status and the overdue flag."""

    code: str
    title: str
    received_on: dt.date
    due_on: dt.date | None
    due_rule: str
    legal_basis: str
    regime: str
    status: str
    overdue: bool
    answered_on: dt.date | None
    place: str

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_on and self.due_on and self.answered_on > self.due_on)


def public_due(issue: Issue, *, today: dt.date | None = None) -> PublicDue:
    status = deadlines.due_status(issue, today=today)
    regime = deadlines.regime_of(issue)
    return PublicDue(
        code=issue.code,
        title=redact(issue.short_title or issue.title),
        received_on=issue.received_on,
        due_on=status.due.on,
        due_rule=status.due.rule,
        legal_basis=status.due.basis,
        regime=regime.name if regime else "",
        status=status_label(issue),
        overdue=status.overdue,
        answered_on=timezone.localtime(issue.answered_at).date() if issue.answered_at else None,
        place=place_name(issue),
    )
