"""Who may see and act on issues and assignments; registered in the one policy registry
(`core.policy`) when the app starts.

Rules:
- staff see issues their agency is involved in (has an assignment on), public issues, and,
  if they are coordinators or administrators, every issue that is not confidential;
- leaders also see, read-only, the issues of the agencies under theirs (a UBND tỉnh leader:
  its departments' and communes' internal issues), confidential ones excepted;
- confidential issues are seen only by people explicitly cleared for that issue;
- coordinators open issues and route work (classify, correct, assign, re-route, publish,
  merge, close);
- handlers and leaders of an assigned agency accept, return and respond for it;
- leaders of the lead agency approve the official answer, grant clearance, decide on a
  deadline extension and close; a leader of the agency that answered as lead may close the
  issue it answered;
- coordinators and the lead agency's handlers and leaders ask for a deadline extension.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Assignment, Issue, IssueClearance
from phoihop.core import hooks as core_hooks
from phoihop.core import policy
from phoihop.core.policy import (
    AnyUser,
    Role,
    agency_ids,
    is_coordinator,
    sees_everything_open,
    supervised_agency_ids,
)


def visible_issues_filter(user: AnyUser) -> Q:
    """A filter over Issue that keeps exactly the issues `user` may see."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    cleared = Exists(IssueClearance.objects.filter(issue=OuterRef("pk"), user=user))
    not_confidential = ~Q(visibility=Issue.Visibility.CONFIDENTIAL)
    if sees_everything_open(user):
        return not_confidential | Q(cleared)
    followed = agency_ids(user) | supervised_agency_ids(user)
    involved = Exists(Assignment.objects.filter(issue=OuterRef("pk"), agency_id__in=followed))
    public = Q(visibility=Issue.Visibility.PUBLIC)
    return (not_confidential & (public | Q(involved))) | Q(cleared)


def can_view_issue(user: AnyUser, issue: Issue) -> bool:
    return Issue.objects.filter(visible_issues_filter(user), pk=issue.pk).exists()


def visible_audit_events_filter(user: AnyUser) -> Q:
    """Hide the audit events of confidential issues `user` is not cleared for (their
    before/after hold the issue's contents), superusers included."""
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


def _acts_for(user: AnyUser, assignment: Assignment, *roles: str) -> bool:
    return assignment.agency_id in agency_ids(user, *roles)


def _leads(user: AnyUser, issue: Issue) -> bool:
    lead = issue.lead_assignment
    return lead is not None and _acts_for(user, lead, Role.LEADER)


def _led_last(user: AnyUser, issue: Issue) -> bool:
    """A leader of the agency that answered as lead may close the issue it answered."""
    return issue.assignments.filter(
        role=Assignment.Role.LEAD,
        state=Assignment.State.RESPONDED,
        agency_id__in=agency_ids(user, Role.LEADER),
    ).exists()


def issue_create(user: AnyUser, obj: Any) -> bool:
    return is_coordinator(user)


def issue_view(user: AnyUser, issue: Issue) -> bool:
    return can_view_issue(user, issue)


def issue_route(user: AnyUser, issue: Issue) -> bool:
    """classify, edit, assign, publish, merge: coordinators, on an issue they see."""
    return is_coordinator(user) and can_view_issue(user, issue)


def issue_answer(user: AnyUser, issue: Issue) -> bool:
    return can_view_issue(user, issue) and _leads(user, issue)


def issue_close(user: AnyUser, issue: Issue) -> bool:
    return can_view_issue(user, issue) and (
        is_coordinator(user) or _leads(user, issue) or _led_last(user, issue)
    )


def issue_grant_clearance(user: AnyUser, issue: Issue) -> bool:
    return can_view_issue(user, issue) and (is_coordinator(user) or _leads(user, issue))


def extension_request(user: AnyUser, issue: Issue) -> bool:
    """Coordinators, and handlers and leaders of the lead agency, ask for more time."""
    lead = issue.lead_assignment
    in_lead = lead is not None and _acts_for(user, lead, Role.HANDLER, Role.LEADER)
    return can_view_issue(user, issue) and (is_coordinator(user) or in_lead)


def assignment_act(user: AnyUser, assignment: Assignment) -> bool:
    """accept, return, respond: handlers and leaders of the assigned agency."""
    return can_view_issue(user, assignment.issue) and _acts_for(
        user, assignment, Role.HANDLER, Role.LEADER
    )


def register() -> None:
    """Called once from `CasesConfig.ready()`."""
    policy.register("cases.issue_create", issue_create)
    policy.register("cases.issue_view", issue_view, on=Issue)
    for verb in ("classify", "edit", "assign", "publish", "merge"):
        policy.register(f"cases.issue_{verb}", issue_route, on=Issue)
    policy.register("cases.issue_answer", issue_answer, on=Issue)
    policy.register("cases.issue_close", issue_close, on=Issue)
    policy.register("cases.issue_grant_clearance", issue_grant_clearance, on=Issue)
    policy.register(
        "cases.extension_request",
        extension_request,
        on=Issue,
        message=_("Bạn không có quyền đề nghị gia hạn vấn đề này."),
    )
    # A leader of the lead agency decides (the one who approves the answer).
    policy.register(
        "cases.extension_decide",
        issue_answer,
        on=Issue,
        message=_("Chỉ lãnh đạo cơ quan chủ trì được duyệt gia hạn."),
    )
    for verb in ("accept", "return", "respond"):
        policy.register(f"cases.assignment_{verb}", assignment_act, on=Assignment)
    if visible_audit_events_filter not in core_hooks.audit_events_visible:
        core_hooks.audit_events_visible.append(visible_audit_events_filter)
