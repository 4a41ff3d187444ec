"""Read-side questions about the reporter network and guidance: acknowledgements, lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from phoihop.core.models import User
from phoihop.intake.models import Signal
from phoihop.intake.permissions import visible_signals_filter
from phoihop.programme.models import (
    FieldReport,
    Guidance,
    GuidanceRecipient,
    NetworkMember,
)
from phoihop.programme.permissions import visible_guidance_filter


@dataclass
class Acknowledgements:
    acknowledged: list[GuidanceRecipient]
    pending: list[GuidanceRecipient]

    @property
    def total(self) -> int:
        return len(self.acknowledged) + len(self.pending)


def acknowledgements(*, guidance: Guidance) -> Acknowledgements:
    """Who has acknowledged the guidance, and who has not yet."""
    recipients = guidance.recipients.select_related(
        "member__user", "member__agency", "member__place"
    ).order_by("member__agency__name", "member__full_name")
    done = [r for r in recipients if r.acknowledged_at is not None]
    pending = [r for r in recipients if r.acknowledged_at is None]
    done.sort(key=lambda r: r.acknowledged_at or timezone.now())
    return Acknowledgements(acknowledged=done, pending=pending)


def guidance_list(*, user: User) -> QuerySet[Guidance]:
    """The guidance `user` may read (drafts only for the issuing side and co-signers)."""
    return (
        Guidance.objects.filter(visible_guidance_filter(user))
        .select_related("sender_agency", "resolution")
        .annotate(
            recipient_count=Count("recipients"),
            acknowledged_count=Count(
                "recipients", filter=Q(recipients__acknowledged_at__isnull=False)
            ),
        )
    )


def field_reports(*, guidance: Guidance, user: User) -> QuerySet[FieldReport]:
    """What the network sent back about the guidance, each with `signal_openable`: whether
    `user` may open the stored signal (a link rather than a bare number)."""
    openable = Signal.objects.filter(visible_signals_filter(user), pk=OuterRef("signal_id"))
    return guidance.field_reports.select_related(
        "signal", "member__user", "member__agency"
    ).annotate(signal_openable=Exists(openable))


def guidance_for_recipient(*, user: User) -> QuerySet[GuidanceRecipient]:
    """Guidance delivered to the user, newest first."""
    return (
        GuidanceRecipient.objects.filter(member__user=user)
        .select_related("guidance")
        .order_by("acknowledged_at", "-delivered_at")
    )


def recipient_of(*, guidance: Guidance, user: User) -> GuidanceRecipient | None:
    return guidance.recipients.filter(member__user=user).first()


def network() -> QuerySet[NetworkMember]:
    return NetworkMember.objects.select_related("user", "agency", "place").order_by(
        "agency__name", "kind", "full_name"
    )
