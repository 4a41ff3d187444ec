"""The one permission policy: who may see and do what. Views, API and admin all ask it.

Rules:
- staff see issues their agency is involved in (has an assignment on), public issues, and,
  if they are coordinators or administrators, every issue that is not confidential;
- confidential issues are seen only by people explicitly cleared for that issue;
- coordinators route work (classify, correct, assign, re-route, publish, close);
- handlers and leaders of an assigned agency accept, return and respond for it;
- leaders of the lead agency approve the official answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from phoihop.core.models import Membership, User

if TYPE_CHECKING:
    from phoihop.cases.models import Assignment, Issue

Action = Literal[
    "issue.view",
    "issue.create",
    "issue.classify",
    "issue.edit",
    "issue.assign",
    "issue.answer",
    "issue.publish",
    "issue.close",
    "issue.grant_clearance",
    "issue.merge",
    "assignment.accept",
    "assignment.return",
    "assignment.respond",
    "agency.manage",
    "audit.view",
    "workspace.use",
]

Role = Membership.Role
AnyUser = User | AnonymousUser


def _roles(user: AnyUser) -> list[tuple[int, str]]:
    """(agency id, role) of the user's active memberships, cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[tuple[int, str]] | None = user.__dict__.get("_phoihop_roles")
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, is_active=True, agency__is_active=True
            ).values_list("agency_id", "role")
        )
        user.__dict__["_phoihop_roles"] = cached
    return cached


def forget(user: AnyUser) -> None:
    """Drop the cached roles (after memberships change)."""
    user.__dict__.pop("_phoihop_roles", None)


def has_role(user: AnyUser, *roles: str) -> bool:
    return any(role in roles for _agency, role in _roles(user))


def is_coordinator(user: AnyUser) -> bool:
    return has_role(user, Role.COORDINATOR)


def is_administrator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, Role.ADMINISTRATOR)))


def agency_ids(user: AnyUser, *roles: str) -> set[int]:
    """Agencies where the user holds one of `roles` (any role when none are given)."""
    return {agency for agency, role in _roles(user) if not roles or role in roles}


def sees_everything_open(user: AnyUser) -> bool:
    return is_coordinator(user) or is_administrator(user)


def visible_issues_filter(user: AnyUser) -> Q:
    """A filter over Issue that keeps exactly the issues `user` may see."""
    from phoihop.cases.models import Assignment, Issue, IssueClearance

    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    cleared = Exists(IssueClearance.objects.filter(issue=OuterRef("pk"), user=user))
    not_confidential = ~Q(visibility=Issue.Visibility.CONFIDENTIAL)
    if sees_everything_open(user):
        return not_confidential | Q(cleared)
    involved = Exists(
        Assignment.objects.filter(issue=OuterRef("pk"), agency_id__in=agency_ids(user))
    )
    public = Q(visibility=Issue.Visibility.PUBLIC)
    return (not_confidential & (public | Q(involved))) | Q(cleared)


def can_view_issue(user: AnyUser, issue: Issue) -> bool:
    from phoihop.cases.models import Issue

    return Issue.objects.filter(visible_issues_filter(user), pk=issue.pk).exists()


def _acts_for(user: AnyUser, assignment: Assignment, *roles: str) -> bool:
    return assignment.agency_id in agency_ids(user, *roles)


def visible_audit_events_filter(user: AnyUser) -> Q:
    """A filter over AuditEvent that hides the events of confidential issues `user` is not
    cleared for (their before/after hold the issue's contents), superusers included."""
    from phoihop.cases.models import Issue

    hidden = list(
        Issue.objects.filter(visibility=Issue.Visibility.CONFIDENTIAL)
        .exclude(visible_issues_filter(user))
        .values_list("pk", flat=True)
    )
    if not hidden:
        return Q()
    return ~Q(scope__in=[f"issue:{pk}" for pk in hidden]) & ~Q(
        target_type="cases.issue", target_id__in=[str(pk) for pk in hidden]
    )


def can(user: AnyUser, action: Action, obj: Any = None) -> bool:
    """Whether `user` may do `action` on `obj` (an Issue, an Assignment or nothing)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if action == "workspace.use":
        return bool(_roles(user)) or user.is_superuser
    if action == "issue.create":
        return is_coordinator(user)
    if action in ("agency.manage",):
        return is_administrator(user)
    if action == "audit.view":
        return is_administrator(user) or is_coordinator(user)

    if action.startswith("assignment."):
        assignment: Assignment = obj
        if not can_view_issue(user, assignment.issue):
            return False
        return _acts_for(user, assignment, Role.HANDLER, Role.LEADER)

    issue: Issue = obj
    if not can_view_issue(user, issue):
        return False
    if action == "issue.view":
        return True
    if action in ("issue.classify", "issue.edit", "issue.assign", "issue.publish", "issue.merge"):
        return is_coordinator(user)
    lead = issue.lead_assignment
    leads_it = lead is not None and _acts_for(user, lead, Role.LEADER)
    if action == "issue.answer":
        return leads_it
    if action == "issue.close":
        return is_coordinator(user) or leads_it or _led_last(user, issue)
    if action == "issue.grant_clearance":
        return is_coordinator(user) or leads_it
    return False


def _led_last(user: AnyUser, issue: Issue) -> bool:
    """A leader of the agency that answered as lead may close the issue it answered."""
    from phoihop.cases.models import Assignment

    return issue.assignments.filter(
        role=Assignment.Role.LEAD,
        state=Assignment.State.RESPONDED,
        agency_id__in=agency_ids(user, Role.LEADER),
    ).exists()


def require(user: AnyUser, action: Action, obj: Any = None) -> None:
    """Raise PermissionDenied (with a Vietnamese message) unless `user` may do `action`."""
    if not can(user, action, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
