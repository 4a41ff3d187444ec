"""Reads of notifications: the bell, the list, the outbox's failures."""

from __future__ import annotations

from django.db.models import QuerySet

from phoihop.core.models import User
from phoihop.notifications.models import Delivery, Notification, Preference


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def preference_of(*, user: User) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def failed_deliveries() -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=Delivery.Status.FAILED).order_by("-created_at")
