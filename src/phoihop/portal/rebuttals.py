"""The hand-over of a published rebuttal to the public portal: the portal subscribes to
factcheck's `rebuttal_published` hook, so factcheck (a lower layer) never imports it; and
the other way, the rebuttals written straight on the portal, for factcheck's count of the
rebuttals published (`rebuttals_published_elsewhere`).
"""

from __future__ import annotations

import datetime as dt

from phoihop.factcheck.hooks import PublishedRebuttal
from phoihop.factcheck.models import Rebuttal
from phoihop.portal import services as portal
from phoihop.portal.models import Article
from phoihop.programme.permissions import propaganda_agency

# The external key of the article of a registry rebuttal: "factcheck.rebuttal:<pk>".
REGISTRY_KEY = "factcheck.rebuttal:"


def publish_to_portal(rebuttal: Rebuttal) -> str | None:
    """Create (or update) the portal's rebuttal article carrying `rebuttal.claim_review()`;
    return its public URL, or None when nothing was published. Called inside the publishing
    transaction, so an error here leaves the rebuttal unpublished."""
    assert rebuttal.published_by is not None  # set by the publishing service before the hand-over
    article = portal.article_publish_rebuttal(
        by=rebuttal.published_by,
        key=f"{REGISTRY_KEY}{rebuttal.pk}",
        title=rebuttal.title,
        text=rebuttal.text,
        source_agency=propaganda_agency() or rebuttal.confirming_agency,
        claim=rebuttal.claim_text,
        rating=rebuttal.rating,
        claim_source=rebuttal.claim.first_seen_where,
        claim_review=rebuttal.claim_review(),
    )
    return article.get_absolute_url()


def rebuttal_articles(since: dt.datetime, until: dt.datetime) -> list[PublishedRebuttal]:
    """Rebuttal articles published straight on the portal from `since` until before `until`
    and still published; a registry rebuttal's article is the registry's to count."""
    articles = (
        Article.objects.filter(
            category=Article.Category.REBUTTAL,
            state=Article.State.PUBLISHED,
            published_at__gte=since,
            published_at__lt=until,
        )
        .exclude(external_key__startswith=REGISTRY_KEY)
        .order_by("published_at", "id")
    )
    return [
        PublishedRebuttal(title=a.title, claim=a.claim, published_at=a.published_at)
        for a in articles
        if a.published_at is not None
    ]
