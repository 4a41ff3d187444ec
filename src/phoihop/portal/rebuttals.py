"""The hand-over of a published rebuttal to the public portal: the portal subscribes to
factcheck's `rebuttal_published` hook, so factcheck (a lower layer) never imports it.
"""

from __future__ import annotations

from phoihop.factcheck.models import Rebuttal
from phoihop.portal import services as portal
from phoihop.programme.permissions import propaganda_agency


def publish_to_portal(rebuttal: Rebuttal) -> str | None:
    """Create (or update) the portal's rebuttal article carrying `rebuttal.claim_review()`;
    return its public URL, or None when nothing was published. Called inside the publishing
    transaction, so an error here leaves the rebuttal unpublished."""
    assert rebuttal.published_by is not None  # set by the publishing service before the hand-over
    article = portal.article_publish_rebuttal(
        by=rebuttal.published_by,
        key=f"factcheck.rebuttal:{rebuttal.pk}",
        title=rebuttal.title,
        text=rebuttal.text,
        source_agency=propaganda_agency() or rebuttal.confirming_agency,
        claim=rebuttal.claim_text,
        rating=rebuttal.rating,
        claim_source=rebuttal.claim.first_seen_where,
        claim_review=rebuttal.claim_review(),
    )
    return article.get_absolute_url()
