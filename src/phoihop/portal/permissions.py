"""Who may write, approve and withdraw portal articles; registered in the one policy
registry (`core.policy`) when the app starts.

Rules:
- any active member who handles work for an agency (handler, leader, coordinator,
  administrator) may write articles in the name of one of their agencies, and edit their
  own article while it is a draft; coordinators and administrators may edit any draft;
- coordinators (the Propaganda Department runs the portal) and administrators approve
  (publish), send back and withdraw articles, and publish the rebuttals factcheck hands over;
- nobody approves their own article: publishing takes a second person (four eyes);
- the public sees published articles only; editors and an article's author also see it
  (and its attachments) before it is published.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from phoihop.core import policy
from phoihop.core.models import Membership
from phoihop.portal.models import Article

R = Membership.Role
WRITER_ROLES = (R.HANDLER, R.LEADER, R.COORDINATOR, R.ADMINISTRATOR)


def is_editor(user: policy.AnyUser) -> bool:
    """Coordinators and administrators approve and withdraw articles."""
    return policy.is_coordinator(user) or policy.is_administrator(user)


def writer_agency_ids(user: policy.AnyUser) -> set[int]:
    """The agencies in whose name `user` may write."""
    return policy.agency_ids(user, *WRITER_ROLES)


def _write(user: policy.AnyUser, obj: Any) -> bool:
    return is_editor(user) or bool(writer_agency_ids(user))


def _editor(user: policy.AnyUser, obj: Any) -> bool:
    return is_editor(user)


def _view_draft(user: policy.AnyUser, article: Article) -> bool:
    return is_editor(user) or article.author_id == user.pk


def _edit(user: policy.AnyUser, article: Article) -> bool:
    if article.state != Article.State.DRAFT:
        return False
    return is_editor(user) or article.author_id == user.pk


def _approve(user: policy.AnyUser, article: Article) -> bool:
    return is_editor(user) and article.author_id != user.pk


def register() -> None:
    """Called once from `PortalConfig.ready()`."""
    policy.register("portal.article_manage", _write)
    policy.register("portal.article_create", _write)
    policy.register(
        "portal.article_view_draft",
        _view_draft,
        on=Article,
        message=_("Bạn không có quyền xem bài viết này."),
    )
    policy.register("portal.article_edit", _edit, on=Article)
    policy.register("portal.article_submit", _edit, on=Article)
    policy.register("portal.article_approve", _approve, on=Article)
    policy.register("portal.article_withdraw", _editor, on=Article)
    policy.register("portal.rebuttal_publish", _editor)
