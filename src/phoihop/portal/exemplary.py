"""A recognised exemplary model becomes a draft article («Gương điển hình») for the editors."""

from __future__ import annotations

import html

from django.urls import reverse

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.portal import services
from phoihop.portal.models import Article
from phoihop.programme.models import ExemplaryModel


def draft_article(model: ExemplaryModel, by: User) -> str | None:
    """Draft the article (editors complete and publish it); its staff address, or None when
    `by` may not write articles."""
    if not policy.can(by, "portal.article_create"):
        return None
    paragraphs = [p.strip() for p in model.achievements.splitlines() if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    summary = f"{model.get_kind_display()} {model.name}"
    if model.place is not None:
        summary += f" ({model.place.name})"
    article = services.article_create(
        by=by,
        title=model.name,
        category=Article.Category.EXEMPLARY,
        summary=summary,
        body=body,
        source_agency=model.proposing_agency,
    )
    return reverse("portal:manage_detail", args=[article.pk])
