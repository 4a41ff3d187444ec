"""What the public may read, and search with or without diacritics, ranked and paginated."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import IssueFactory
from tests.portal.conftest import ARTICLE_TITLE, Portal, publish

from phoihop.cases.models import Issue
from phoihop.portal import selectors, services
from phoihop.portal.models import Article

pytestmark = pytest.mark.django_db


def _article(world: Any, title: str, body: str, *, published: bool = True) -> Article:
    article = services.article_create(
        by=world.handler,
        title=title,
        category=Article.Category.NEWS,
        body=f"<p>{body}</p>",
        source_agency=world.dept,
    )
    if published:
        publish(article, author=world.handler, approver=world.coordinator)
    return article


def test_search_without_diacritics_finds_the_accented_article(portal: Portal) -> None:
    page = selectors.search(query="giai phong mat bang")
    assert page is not None
    assert next(hit.title for hit in page.object_list) == ARTICLE_TITLE
    accented = selectors.search(query="GIẢI PHÓNG MẶT BẰNG")
    assert accented is not None and accented.object_list[0].title == ARTICLE_TITLE


def test_search_ranks_title_matches_above_body_matches(world: Any) -> None:
    _article(world, "Tin hoạt động tháng mười", "Có nhắc tới đường cao tốc một lần.")
    _article(world, "Tiến độ đường cao tốc Đồng Đăng – Trà Lĩnh", "Tiến độ thi công.")
    page = selectors.search(query="duong cao toc")
    assert page is not None
    assert [hit.title for hit in page.object_list] == [
        "Tiến độ đường cao tốc Đồng Đăng – Trà Lĩnh",
        "Tin hoạt động tháng mười",
    ]


def test_search_skips_drafts_withdrawn_and_non_public_issues(world: Any) -> None:
    _article(world, "Bản nháp về thủy lợi", "thủy lợi", published=False)
    gone = _article(world, "Bài đã gỡ về thủy lợi", "thủy lợi")
    services.article_withdraw(article=gone, by=world.coordinator, reason="Sai số liệu")
    IssueFactory(
        title="Thủy lợi nội bộ",
        visibility=Issue.Visibility.INTERNAL,
        state=Issue.State.PUBLISHED,
        search_text="thuy loi noi bo",
        answer="Trả lời",
    )
    assert selectors.search(query="thuy loi").paginator.count == 0  # type: ignore[union-attr]


def test_search_finds_public_answers_and_paginates(world: Any, portal: Portal) -> None:
    for n in range(12):
        _article(world, f"Kết quả xét xử đợt {n}", "Thông tin xét xử.")
    first = selectors.search(query="xet xu", per_page=10)
    assert first is not None and first.paginator.count == 13
    second = selectors.search(query="xet xu", page=2, per_page=10)
    assert second is not None and len(second.object_list) == 3
    kinds = {hit.kind for hit in [*first.object_list, *second.object_list]}
    assert kinds == {"article", "answer"}


def test_empty_query_gives_no_results() -> None:
    assert selectors.search(query="  ") is None


def test_public_answers_show_only_published_public_issues(portal: Portal) -> None:
    IssueFactory(visibility=Issue.Visibility.PUBLIC, state=Issue.State.ANSWERED, answer="x")
    assert list(selectors.public_answers()) == [portal.issue]
    assert selectors.answering_agency(issue=portal.issue) == portal.world.dept.name
