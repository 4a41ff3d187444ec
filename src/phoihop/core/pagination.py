"""The API's page numbers, bounded: a page past any real offset overflows SQLite's integers
(schemathesis found `?page=3872051097890232320` answering 500); now it is a 422 naming the
field."""

from __future__ import annotations

import ninja
from ninja import Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class BoundedPages(PageNumberPagination):
    class Input(Schema):
        page: int = ninja.Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = ninja.Field(None, ge=1, le=MAX_PAGE_SIZE)
