"""Who may write, approve and withdraw portal articles, built on the core policy's roles.

Rules:
- any active member who handles work for an agency (handler, leader, coordinator,
  administrator) may write articles in the name of one of their agencies, and edit their
  own article while it is a draft; coordinators and administrators may edit any draft;
- coordinators (the Propaganda Department runs the portal) and administrators approve
  (publish), send back and withdraw articles;
- nobody approves their own article: publishing takes a second person (four eyes);
- the public sees published articles only; staff who may manage articles also see drafts.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from phoihop.core import policy
from phoihop.core.models import Membership
from phoihop.portal.models import Article

Action = Literal[
    "article.manage",
    "article.create",
    "article.edit",
    "article.submit",
    "article.approve",
    "article.withdraw",
]

R = Membership.Role
WRITER_ROLES = (R.HANDLER, R.LEADER, R.COORDINATOR, R.ADMINISTRATOR)


def is_editor(user: policy.AnyUser) -> bool:
    """Coordinators and administrators approve and withdraw articles."""
    return policy.is_coordinator(user) or policy.is_administrator(user)


def writer_agency_ids(user: policy.AnyUser) -> set[int]:
    """The agencies in whose name `user` may write."""
    return policy.agency_ids(user, *WRITER_ROLES)


def can(user: policy.AnyUser, action: Action, article: Article | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action in ("article.manage", "article.create"):
        return is_editor(user) or bool(writer_agency_ids(user))
    assert article is not None
    if action in ("article.edit", "article.submit"):
        if article.state != Article.State.DRAFT:
            return False
        return is_editor(user) or article.author_id == user.pk
    if action == "article.approve":
        return is_editor(user) and article.author_id != user.pk
    if action == "article.withdraw":
        return is_editor(user)
    return False


def require(user: policy.AnyUser, action: Action, article: Article | None = None) -> None:
    if not can(user, action, article):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
