"""The staff's daily digest e-mail and the preference that opts a person in."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core.models import User
from phoihop.notifications.models import Delivery, Notification, Preference
from phoihop.notifications.services.outbox import Outgoing, queue

C = Delivery.Channel


@transaction.atomic
def preference_set(*, user: User, daily_digest: bool) -> Preference:
    if daily_digest and not user.email:
        raise ValidationError(
            {
                "daily_digest": _(
                    "Tài khoản chưa có địa chỉ thư điện tử để nhận thư tổng hợp: đề nghị quản "
                    "trị hệ thống của cơ quan bổ sung địa chỉ thư vào tài khoản của bạn."
                )
            }
        )
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.daily_digest = daily_digest
    preference.save(update_fields=["daily_digest"])
    return preference


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Queue the daily digest of each person who opted in and has unread notifications
    since the last one. Run at 07:00 Asia/Ho_Chi_Minh; once per person per day."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    queued = 0
    preferences = Preference.objects.filter(daily_digest=True, user__is_active=True).exclude(
        user__email=""
    )
    for preference in preferences.select_related("user"):
        with transaction.atomic():
            since = preference.last_digest_at or now - dt.timedelta(days=1)
            items = list(
                Notification.objects.filter(
                    user=preference.user, read_at__isnull=True, created_at__gt=since
                ).order_by("created_at")[:100]
            )
            preference.last_digest_at = now
            preference.save(update_fields=["last_digest_at"])
            if not items:
                continue
            context = {
                "user": preference.user,
                "items": items,
                "day": today,
                "base": settings.PHOIHOP_PUBLIC_URL.rstrip("/"),
            }
            queued += queue(
                [
                    Outgoing(
                        channel=C.EMAIL,
                        recipient=preference.user.email,
                        purpose=Delivery.Purpose.DIGEST,
                        subject=_("phoihop: %(n)s thông báo mới ngày %(day)s")
                        % {"n": len(items), "day": today.strftime("%d/%m/%Y")},
                        text=render_to_string("notifications/email/digest.txt", context),
                        html=render_to_string("notifications/email/digest.html", context),
                        key=f"digest:{preference.user_id}:{today.isoformat()}",
                        about=preference.user.username,
                    )
                ]
            )
    return queued
