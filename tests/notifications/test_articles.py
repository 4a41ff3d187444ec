"""The bell for the portal's article approval: the Ban's editors hear that an article waits
for them, its author hears what became of it (with the reason)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.factories import AgencyFactory, member

from phoihop.core.models import Agency, Membership, User
from phoihop.notifications.models import Notification
from phoihop.portal import services as portal
from phoihop.portal.models import Article

pytestmark = pytest.mark.django_db
K = Notification.Kind
R = Membership.Role


def _notes(user: User, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind).order_by("id"))


def _article(author: User, agency: Agency) -> Article:
    return portal.article_create(
        by=author,
        title="Hướng dẫn tiêm chủng mở rộng năm 2026",
        category=Article.Category.POLICY,
        body="<p>Lịch tiêm chủng tại các trạm y tế xã.</p>",
        source_agency=agency,
    )


def test_a_submitted_article_is_told_to_the_bans_coordinators_and_leaders(world: Any) -> None:
    ban_leader = member(world.coordinator_agency, R.LEADER, "lanhdao.btgdv")
    council = AgencyFactory(code="hdnd", kind=Agency.Kind.COUNCIL)
    council_coordinator = member(council, R.COORDINATOR, "hdnd")
    article = _article(council_coordinator, world.dept)
    portal.article_submit(article=article, by=council_coordinator)

    for editor in (world.coordinator, ban_leader):
        [note] = _notes(editor, K.ARTICLE_SUBMITTED)
        assert note.url == f"/quan-ly/bai-viet/{article.pk}/"
        assert "Hướng dẫn tiêm chủng mở rộng năm 2026" in note.text
        assert world.dept.name in note.text and council_coordinator.full_name in note.text
    # the author, another body's coordinator, an administrator, a department's leader: no
    for other in (council_coordinator, world.administrator, world.leader, world.handler):
        assert _notes(other, K.ARTICLE_SUBMITTED) == []


def test_the_author_hears_when_the_article_is_sent_back_with_the_reason_and_published(
    world: Any,
) -> None:
    ban_leader = member(world.coordinator_agency, R.LEADER, "lanhdao.btgdv")
    article = _article(world.coordinator, world.dept)
    portal.article_submit(article=article, by=world.coordinator)
    # the author is an editor too, but not told of their own article
    assert _notes(world.coordinator, K.ARTICLE_SUBMITTED) == []
    assert len(_notes(ban_leader, K.ARTICLE_SUBMITTED)) == 1

    portal.article_send_back(article=article, by=ban_leader, note="Bổ sung lịch tiêm ở xã")
    [sent_back] = _notes(world.coordinator, K.ARTICLE_SENT_BACK)
    assert "Bổ sung lịch tiêm ở xã" in sent_back.text and ban_leader.full_name in sent_back.text
    assert sent_back.url == f"/quan-ly/bai-viet/{article.pk}/"

    # submitted again: news again for the approver
    portal.article_submit(article=article, by=world.coordinator)
    assert len(_notes(ban_leader, K.ARTICLE_SUBMITTED)) == 2
    portal.article_publish(article=article, by=ban_leader)
    [published] = _notes(world.coordinator, K.ARTICLE_PUBLISHED)
    assert "đã được" in published.text and ban_leader.full_name in published.text
    assert _notes(ban_leader, K.ARTICLE_PUBLISHED) == []

    portal.article_withdraw(article=article, by=ban_leader, reason="Lịch tiêm đã thay đổi")
    [withdrawn] = _notes(world.coordinator, K.ARTICLE_WITHDRAWN)
    assert "Lịch tiêm đã thay đổi" in withdrawn.text
