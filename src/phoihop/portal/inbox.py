"""What portal articles ask of a person, for «Việc của tôi» (registered in `PortalConfig`):
the portal's editors approve the articles awaiting approval (never their own), and an
author reworks the article an editor sent back."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from phoihop.core.inbox import WorkItem
from phoihop.core.models import User
from phoihop.portal import permissions
from phoihop.portal.models import Article

S = Article.State


def portal_work(user: User) -> Iterator[WorkItem]:
    if not user.is_authenticated or not user.is_active:
        return
    if permissions.is_editor(user):
        pending = (
            Article.objects.filter(state=S.PENDING)
            .exclude(author=user)  # four eyes: another editor approves it
            .select_related("author")
            .order_by("updated_at", "id")
        )
        for article in pending:
            yield WorkItem(
                queue=_("Bài viết chờ duyệt đăng lên cổng thông tin"),
                title=article.title,
                url=reverse("portal:manage_detail", args=[article.pk]),
                note=_("%(agency)s · người viết: %(author)s")
                % {"agency": article.source_name, "author": article.author},
                order=30,
            )
    # A draft carries a review note only when an editor sent it back (publishing and
    # withdrawing leave the draft state behind).
    sent_back = Article.objects.filter(author=user, state=S.DRAFT).exclude(review_note="")
    for article in sent_back.order_by("updated_at", "id"):
        yield WorkItem(
            queue=_("Bài viết bị trả lại để sửa"),
            title=article.title,
            url=reverse("portal:manage_detail", args=[article.pk]),
            note=article.review_note,
            order=32,
        )
