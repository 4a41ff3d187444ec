"""News feeds (RSS/Atom): managed by staff, polled by a periodic task."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import User
from phoihop.intake import news
from phoihop.intake.models import (
    FeedSource,
)
from phoihop.intake.records import (
    clean_url,
)
from phoihop.intake.services.imports import ImportReport, import_file
from phoihop.triage.normalize import normalize_text


@transaction.atomic
def feed_create(*, by: User, name: str, url: str) -> FeedSource:
    policy.require(by, "intake.feed_manage")
    try:
        clean = clean_url(url)
    except ValueError:
        clean = ""
    if not clean:
        raise ValidationError(
            {"url": _("Địa chỉ nguồn tin không hợp lệ (cần http:// hoặc https://).")}
        )
    if FeedSource.objects.filter(url=clean).exists():
        raise ValidationError({"url": _("Nguồn tin này đã có.")})
    if not normalize_text(name):
        raise ValidationError({"name": _("Cần nhập tên nguồn tin.")})
    feed = FeedSource.objects.create(name=normalize_text(name)[:255], url=clean, created_by=by)
    audit.record(
        actor=by, action="intake.feed.create", target=feed, after={"name": feed.name, "url": clean}
    )
    return feed


@transaction.atomic
def feed_set_active(*, by: User, feed: FeedSource, active: bool) -> FeedSource:
    policy.require(by, "intake.feed_manage")
    before = feed.is_active
    feed.is_active = active
    feed.save(update_fields=["is_active"])
    audit.record(
        actor=by,
        action="intake.feed.toggle",
        target=feed,
        before={"is_active": before},
        after={"is_active": active},
    )
    return feed


def feed_poll(*, feed: FeedSource) -> ImportReport | None:
    """Read a feed once and store its new articles; the feed keeps the outcome."""
    try:
        data = news.fetch(feed.url)
        report = import_file(data=data, filename=feed.url, channel="news", by=None, only_valid=True)
    except ValidationError as error:
        FeedSource.objects.filter(pk=feed.pk).update(
            last_polled_at=timezone.now(), last_error=" ".join(error.messages)[:2000], last_new=0
        )
        return None
    FeedSource.objects.filter(pk=feed.pk).update(
        last_polled_at=timezone.now(),
        last_new=report.new,
        last_error="\n".join(report.errors[:20]),
    )
    return report


def feeds_poll(*, feed_ids: list[int] | None = None) -> int:
    """Poll every active feed (or those given); the number of new articles stored."""
    feeds = FeedSource.objects.filter(is_active=True)
    if feed_ids is not None:
        feeds = FeedSource.objects.filter(pk__in=feed_ids)
    total = 0
    for feed in feeds:
        report = feed_poll(feed=feed)
        total += report.new if report else 0
    return total


# ---- demo helpers -------------------------------------------------------------------
