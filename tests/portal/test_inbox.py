"""Articles waiting on someone reach «Việc của tôi»: the Ban's editors approve what was sent
for approval (not their own), and an author reworks what was sent back."""

from __future__ import annotations

from typing import Any

import pytest
from tests.portal.conftest import Editors, write

from phoihop.core import inbox
from phoihop.portal import services

pytestmark = pytest.mark.django_db

TO_APPROVE = "Bài viết chờ duyệt đăng lên cổng thông tin"
SENT_BACK = "Bài viết bị trả lại để sửa"


def _items(user: Any, queue: str) -> list[inbox.WorkItem]:
    return [item for item in inbox.items_for(user) if item.queue == queue]


def test_the_bans_editors_find_a_submitted_article_in_their_work(
    world: Any, editors: Editors
) -> None:
    article = write(editors.coordinator, world.dept)
    assert _items(editors.leader, TO_APPROVE) == []  # a draft is nobody's work yet
    services.article_submit(article=article, by=editors.coordinator)

    [item] = _items(editors.leader, TO_APPROVE)
    assert item.title == article.title and item.url == f"/quan-ly/bai-viet/{article.pk}/"
    assert world.dept.name in item.note
    assert _items(editors.coordinator, TO_APPROVE) == []  # the author's own: another approves
    assert _items(editors.council_coordinator, TO_APPROVE) == []
    assert _items(world.administrator, TO_APPROVE) == []

    services.article_publish(article=article, by=editors.leader)
    assert _items(editors.leader, TO_APPROVE) == []


def test_an_article_sent_back_is_the_authors_work_until_it_is_submitted_again(
    world: Any, editors: Editors
) -> None:
    article = write(editors.council_coordinator, world.dept)
    services.article_submit(article=article, by=editors.council_coordinator)
    assert [i.title for i in _items(editors.coordinator, TO_APPROVE)] == [article.title]
    services.article_send_back(article=article, by=editors.coordinator, note="Bổ sung số liệu")

    [item] = _items(editors.council_coordinator, SENT_BACK)
    assert item.note == "Bổ sung số liệu"
    assert _items(editors.coordinator, TO_APPROVE) == []
    services.article_submit(article=article, by=editors.council_coordinator)
    assert _items(editors.council_coordinator, SENT_BACK) == []
    assert len(_items(editors.coordinator, TO_APPROVE)) == 1
