"""RSS and Atom feeds per category (Django syndication)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from phoihop.core import province
from phoihop.portal import selectors
from phoihop.portal.models import Article


class CategoryFeed(Feed[Article, str]):
    language = "vi"

    def get_object(self, request: HttpRequest, category: str) -> str:
        if category not in Article.Category.values:
            raise Http404
        return category

    def title(self, obj: str) -> str:
        return (
            f"{Article.Category(obj).label} — Cổng thông tin phối hợp {province.current().in_text}"
        )

    def link(self, obj: str) -> str:
        return reverse("portal:category", args=[obj])

    def description(self, obj: str) -> str:
        return str(Article.Category(obj).label)

    def items(self, obj: str) -> list[Article]:
        return list(selectors.published_articles(category=obj)[:30])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.source_name


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed
    subtitle = CategoryFeed.description
