"""The demo portal: every category published, a rebuttal, a look-up that shows an answer."""

from __future__ import annotations

import pytest
from django.test import Client

from phoihop.demo.loader import load_demo
from phoihop.demo.portal import DEMO_TRACKING_CODE
from phoihop.portal.models import Article

pytestmark = pytest.mark.django_db


def test_demo_portal_is_alive_and_loads_twice_without_duplicates() -> None:
    first = load_demo()
    second = load_demo()
    assert first["portal_articles"] == 5 and second["portal_articles"] == 0
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
