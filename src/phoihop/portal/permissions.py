"""Who may write, approve and withdraw portal articles; registered in the one policy
registry (`core.policy`) when the app starts.

Rules:
- the portal is run by one body, the propaganda agency (`settings.PHOIHOP_PROPAGANDA_AGENCY`,
  «Ban Tuyên giáo và Dân vận»); its coordinators and its leaders are the portal's editors:
  they see every article, edit any draft, approve (publish) or send back an article awaiting
  approval, withdraw a published one, and publish the rebuttals factcheck hands over (the
  registry's own confirmation step stands in for the approval);
- any active member who handles work for an agency (handler, leader, coordinator,
  administrator) may write articles in the name of one of their agencies, edit their own
  article while it is a draft and send it for approval; coordinators of any body work across
  agencies and may write in the name of any agency; so the HĐND standing committee's
  coordinators write and submit, and the Ban approves;
- administrators run the system, not the content: they write like any member of their
  agency and approve nothing (as in cases, where an administrator does not publish an
  issue's answer); before, they approved, withdrew and edited any draft, a power the
  editorial body never gave them;
- nobody approves their own article: publishing takes a second person (four eyes);
- the public sees published articles only; editors and an article's author also see it
  (and its attachments) before it is published.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from phoihop.core import policy
from phoihop.core.models import Agency, Membership
from phoihop.portal.models import Article
from phoihop.programme.permissions import propaganda_agency

R = Membership.Role
WRITER_ROLES = (R.HANDLER, R.LEADER, R.COORDINATOR, R.ADMINISTRATOR)
# The roles in the body that runs the portal which make someone one of its editors.
EDITOR_ROLES = (R.COORDINATOR, R.LEADER)


def editor_agency() -> Agency | None:
    """The body that runs the portal: the propaganda agency (as it is called today)."""
    return propaganda_agency()


def is_editor(user: policy.AnyUser) -> bool:
    """The portal's editors: coordinators and leaders of the body that runs it."""
    agency = editor_agency()
    return agency is not None and agency.pk in policy.agency_ids(user, *EDITOR_ROLES)


def writes_for_any_agency(user: policy.AnyUser) -> bool:
    """Coordinators work across agencies: they write in the name of any of them."""
    return policy.is_coordinator(user)


def writer_agency_ids(user: policy.AnyUser) -> set[int]:
    """The agencies in whose name `user` may write (besides any, for coordinators)."""
    return policy.agency_ids(user, *WRITER_ROLES)


def may_write_for(user: policy.AnyUser, agency: Agency) -> bool:
    """Whether `user` may write an article in the name of `agency`."""
    return writes_for_any_agency(user) or agency.pk in writer_agency_ids(user)


def _write(user: policy.AnyUser, obj: Any) -> bool:
    return writes_for_any_agency(user) or bool(writer_agency_ids(user))


def _editor(user: policy.AnyUser, obj: Any) -> bool:
    return is_editor(user)


def _view_draft(user: policy.AnyUser, article: Article) -> bool:
    return article.author_id == user.pk or is_editor(user)


def _edit(user: policy.AnyUser, article: Article) -> bool:
    if article.state != Article.State.DRAFT:
        return False
    return article.author_id == user.pk or is_editor(user)


def _approve(user: policy.AnyUser, article: Article) -> bool:
    return article.author_id != user.pk and is_editor(user)


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
    policy.register(
        "portal.article_approve",
        _approve,
        on=Article,
        message=_(
            "Chỉ cán bộ điều phối, lãnh đạo của Ban Tuyên giáo và Dân vận duyệt bài viết, "
            "và không duyệt bài của chính mình."
        ),
    )
    policy.register(
        "portal.article_withdraw",
        _editor,
        on=Article,
        message=_("Chỉ cán bộ điều phối, lãnh đạo của Ban Tuyên giáo và Dân vận gỡ bài viết."),
    )
    policy.register("portal.rebuttal_publish", _editor)
