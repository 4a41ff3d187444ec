"""Who approves portal articles: the Ban that runs the portal (its coordinators and leaders),
never the author, not another body's coordinator, not an administrator; who sees drafts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.portal.conftest import Editors, write

from phoihop.core import policy
from phoihop.portal import services
from phoihop.portal.models import Article

pytestmark = pytest.mark.django_db


def _pending(author: Any, agency: Any) -> Article:
    article = write(author, agency)
    services.article_submit(article=article, by=author)
    return article


def test_the_bans_coordinator_and_leader_approve_an_article_of_another_agency(
    world: Any, editors: Editors
) -> None:
    article = _pending(world.handler, world.dept)
    assert policy.can(editors.coordinator, "portal.article_approve", article)
    assert policy.can(editors.leader, "portal.article_approve", article)
    services.article_publish(article=article, by=editors.leader, note="Đồng ý đăng")
    assert article.state == Article.State.PUBLISHED and article.approved_by == editors.leader
    assert policy.can(editors.leader, "portal.article_withdraw", article)


def test_a_council_coordinator_writes_and_submits_but_does_not_approve(
    world: Any, editors: Editors
) -> None:
    # a coordinator works across agencies: the HĐND's writes in the name of a department
    article = _pending(editors.council_coordinator, world.dept)
    assert article.state == Article.State.PENDING
    other = _pending(world.handler, world.dept)
    for verb in ("portal.article_approve", "portal.article_withdraw"):
        assert not policy.can(editors.council_coordinator, verb, other), verb
    assert not policy.can(editors.council_coordinator, "portal.article_view_draft", other)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=other, by=editors.council_coordinator)
    with pytest.raises(PermissionDenied):
        services.article_send_back(article=other, by=editors.council_coordinator, note="Sửa")


def test_the_author_does_not_approve_even_as_an_editor(world: Any, editors: Editors) -> None:
    article = _pending(editors.coordinator, world.dept)
    assert not policy.can(editors.coordinator, "portal.article_approve", article)
    assert policy.can(editors.leader, "portal.article_approve", article)


def test_administrators_run_the_system_not_the_content(world: Any, editors: Editors) -> None:
    article = _pending(world.handler, world.dept)
    assert not policy.can(world.administrator, "portal.article_approve", article)
    assert not policy.can(world.administrator, "portal.article_view_draft", article)
    # they still write, in the name of their own agency only
    assert policy.can(world.administrator, "portal.article_create")
    with pytest.raises(ValidationError, match="nhân danh cơ quan của mình"):
        write(world.administrator, world.dept)


def test_a_leader_of_another_agency_approves_nothing(world: Any, editors: Editors) -> None:
    article = _pending(world.handler, world.dept)
    assert not policy.can(world.leader, "portal.article_approve", article)
    assert not policy.can(world.other_leader, "portal.article_view_draft", article)
