"""The demo portal: every category published, a rebuttal, a look-up that shows an answer, and
an HĐND article waiting for the Ban's approval (in its editors' work and bell, once)."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.core import inbox
from phoihop.core.models import User
from phoihop.demo.loader import load_demo
from phoihop.demo.portal import DEMO_TRACKING_CODE
from phoihop.notifications.models import Notification
from phoihop.portal.models import Article

pytestmark = pytest.mark.django_db


def test_demo_portal_is_alive_and_loads_twice_without_duplicates() -> None:
    first = load_demo()
    second = load_demo()
    assert first["portal_articles"] == 6 and second["portal_articles"] == 0
    assert second["portal_feedback"] == 0
    published = Article.objects.filter(state=Article.State.PUBLISHED)
    assert set(published.values_list("category", flat=True)) == set(Article.Category.values)
    # The portal's own demo rebuttal, plus the one the false-claim registry published.
    rebuttals = published.filter(category=Article.Category.REBUTTAL)
    assert rebuttals.count() == 2
    assert all(r.claim and r.claim_rating for r in rebuttals)
    rebuttal = rebuttals.first()
    assert rebuttal is not None
    assert published.exclude(image="").filter(image_alt__gt="").exists()

    client = Client()
    page = client.get("/tra-cuu/", {"ma": DEMO_TRACKING_CODE}).content.decode()
    assert "Đã có trả lời" in page and "bản án đã có hiệu lực" in page
    assert client.get(rebuttal.get_absolute_url()).status_code == 200
    assert "application/ld+json" in client.get(rebuttal.get_absolute_url()).content.decode()


def test_the_demo_has_an_article_waiting_for_the_bans_approval_and_tells_only_of_it() -> None:
    load_demo()
    [pending] = Article.objects.filter(state=Article.State.PENDING)
    assert pending.author.username == "hdnd"
    K = Notification.Kind
    for username in ("dieuphoi", "lanhdao.btgdv"):
        editor = User.objects.get(username=username)
        work = [i.title for i in inbox.items_for(editor) if "chờ duyệt đăng" in i.queue]
        assert work == [pending.title], username
        # the articles published before the demo began are history: no bell for them
        [told] = Notification.objects.filter(user=editor, kind=K.ARTICLE_SUBMITTED)
        assert pending.title in told.text and told.read_at is None
    assert not Notification.objects.filter(user__username="hdnd", kind=K.ARTICLE_SUBMITTED)
