"""Who may see and do what in intake; built on the one policy (`core.policy`).

Rules (to be folded into `core/policy.py` by the lead):
- coordinators (Propaganda and Mass Mobilisation dept, HĐND standing committee) and
  administrators see every signal, except signals attached to a confidential issue they
  are not cleared for; they import files, manage news feeds and post through the API;
- other staff see only the signals attached to issues they can see (the policy's
  `visible_issues_filter`), so an agency reads the petitions behind its assignments;
- nobody else (the public included) reads signals; the public only submits feedback and
  follows it by tracking code (`selectors.tracking_status`).
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from phoihop.core import policy
from phoihop.core.policy import AnyUser

IntakeAction = Literal[
    "signal.list", "signal.import", "signal.submit_api", "feed.manage", "proposal.decide"
]


def sees_all_signals(user: AnyUser) -> bool:
    return policy.is_coordinator(user) or policy.is_administrator(user)


def visible_signals_filter(user: AnyUser) -> Q:
    """A filter over Signal that keeps exactly the signals `user` may see."""
    from phoihop.cases.models import Issue

    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    visible_issues = Issue.objects.filter(policy.visible_issues_filter(user)).values("pk")
    if sees_all_signals(user):
        return Q(issue__isnull=True) | Q(issue__in=visible_issues)
    return Q(issue__in=visible_issues)


# Signal metadata that identifies a citizen (the feedback form's name and phone or e-mail).
PERSONAL_KEYS = ("name", "contact")


def can_see_contact(user: AnyUser, signal: Any) -> bool:
    """A citizen's name and contact: coordinators, and the handlers and leaders of the lead
    agency of the issue the signal belongs to (not supporting agencies, not viewers)."""
    from phoihop.cases.models import Assignment

    if not user.is_authenticated or not user.is_active:
        return False
    if policy.is_coordinator(user):
        return True
    if signal.issue_id is None:
        return False
    return (
        Assignment.objects.filter(
            issue_id=signal.issue_id,
            role=Assignment.Role.LEAD,
            agency_id__in=policy.agency_ids(user, policy.Role.HANDLER, policy.Role.LEADER),
        )
        .exclude(
            state__in=(
                Assignment.State.RETURNED,
                Assignment.State.TRANSFERRED,
                Assignment.State.CANCELLED,
            )
        )
        .exists()
    )


def can(user: AnyUser, action: IntakeAction) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == "signal.list":
        return policy.can(user, "workspace.use")
    if action == "proposal.decide":
        # Accepting or correcting triage routes work between agencies: coordinators only.
        return policy.is_coordinator(user)
    # Importing, feeds and API submissions belong to the coordinating bodies.
    return sees_all_signals(user)


def require(user: AnyUser, action: IntakeAction) -> None:
    if not can(user, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
