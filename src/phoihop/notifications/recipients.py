"""Who hears of an event: the one place notifications ask the permission policy.

Candidates are the active members of the agencies concerned; the policy decides which of
them may act on (or see) the object, so a confidential issue reaches only the cleared. When
`core.policy` becomes a registry (`policy.can(user, "app.verb", obj)`), only this module
changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from phoihop.cases.models import Assignment, Issue
from phoihop.cases.regime_models import DeadlineExtension
from phoihop.core import policy
from phoihop.core.models import Membership, User
from phoihop.factcheck.models import Rebuttal
from phoihop.portal import permissions as portal_permissions
from phoihop.portal.models import Article
from phoihop.programme.models import KeyProject

R = Membership.Role


def _members(agency_ids: Iterable[int], roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id__in=list(agency_ids),
            memberships__role__in=list(roles),
            memberships__is_active=True,
        )
        .distinct()
        .order_by("id")
    )


def _coordinators() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=R.COORDINATOR,
            memberships__is_active=True,
            memberships__agency__is_active=True,
        )
        .distinct()
        .order_by("id")
    )


def assignment_handlers(assignment: Assignment) -> list[User]:
    """Handlers and leaders of the assigned agency who may accept and answer for it."""
    return [
        u
        for u in _members([assignment.agency_id], [R.HANDLER, R.LEADER])
        if policy.can(u, "cases.assignment_accept", assignment)
    ]


def routers(issue: Issue) -> list[User]:
    """Coordinators who may (re-)route the issue."""
    return [u for u in _coordinators() if policy.can(u, "cases.issue_assign", issue)]


def publishers(issue: Issue) -> list[User]:
    return [u for u in _coordinators() if policy.can(u, "cases.issue_publish", issue)]


def approvers(issue: Issue) -> list[User]:
    """Leaders of the lead agency, who approve its official answer."""
    lead = issue.lead_assignment
    if lead is None:
        return []
    return [
        u
        for u in _members([lead.agency_id], [R.LEADER])
        if policy.can(u, "cases.issue_answer", issue)
    ]


def extension_deciders(extension: DeadlineExtension) -> list[User]:
    """Leaders of the lead agency who may decide the extension; never its requester."""
    issue = extension.issue
    lead = issue.lead_assignment
    if lead is None:
        return []
    return [
        u
        for u in _members([lead.agency_id], [R.LEADER])
        if u.pk != extension.requested_by_id and policy.can(u, "cases.extension_decide", issue)
    ]


def extension_requester(extension: DeadlineExtension) -> list[User]:
    """Who asked for the extension, while they may still see the issue."""
    user = extension.requested_by
    if not user.is_active or not policy.can(user, "cases.issue_view", extension.issue):
        return []
    return [user]


def agency_leaders(assignment: Assignment) -> list[User]:
    """Leaders of the agency of `assignment` who may see its issue."""
    return [
        u
        for u in _members([assignment.agency_id], [R.LEADER])
        if policy.can(u, "cases.issue_view", assignment.issue)
    ]


def involved(issue: Issue) -> list[User]:
    """Members (any role) of the agencies assigned the issue, who may see it."""
    agencies = set(issue.assignments.values_list("agency_id", flat=True))
    return [
        u
        for u in _members(agencies, [R.HANDLER, R.LEADER, R.VIEWER])
        if policy.can(u, "cases.issue_view", issue)
    ]


def progress_reporters(agency_ids: Iterable[int]) -> list[User]:
    """Handlers and leaders of these agencies, who may report progress on the programme."""
    return [
        u
        for u in _members(agency_ids, [R.HANDLER, R.LEADER])
        if policy.can(u, "programme.progress_report")
    ]


def project_owners(project: KeyProject) -> list[User]:
    """Handlers and leaders of the agency that owns a key project, who may see the programme."""
    return [
        u
        for u in _members([project.owner_agency_id], [R.HANDLER, R.LEADER])
        if policy.can(u, "programme.view")
    ]


def article_approvers(article: Article) -> list[User]:
    """The portal's editors (coordinators and leaders of the body that runs it) who may
    approve the article: never its author."""
    agency = portal_permissions.editor_agency()
    if agency is None:
        return []
    return [
        u
        for u in _members([agency.pk], portal_permissions.EDITOR_ROLES)
        if policy.can(u, "portal.article_approve", article)
    ]


def article_author(article: Article) -> list[User]:
    """Who wrote the article, while they may still see it."""
    author = article.author
    if not author.is_active or not policy.can(author, "portal.article_view_draft", article):
        return []
    return [author]


def rebuttal_confirmers(rebuttal: Rebuttal) -> list[User]:
    """Leaders of the rebuttal's confirming agency, who sign its facts off."""
    return [
        u
        for u in _members([rebuttal.confirming_agency_id], [R.LEADER])
        if policy.can(u, "factcheck.rebuttal_confirm", rebuttal)
    ]
