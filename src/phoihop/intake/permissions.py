"""Who may see and do what in intake; registered in the one policy registry (`core.policy`)
when the app starts.

Rules:
- coordinators (Propaganda and Mass Mobilisation dept, HĐND standing committee) and
  administrators see every signal, except signals attached to a confidential issue they
  are not cleared for; they import files, manage news feeds and post through the API;
- other staff see only the signals attached to issues they can see (cases'
  `visible_issues_filter`), so an agency reads the petitions behind its assignments;
- a citizen's name and contact are read by coordinators and by the handlers and leaders of
  the lead agency of the signal's issue (not supporting agencies, not viewers);
- nobody else (the public included) reads signals; the public only submits feedback and
  follows it by tracking code (`selectors.tracking_status`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from phoihop.cases.models import Assignment, Issue
from phoihop.cases.permissions import visible_issues_filter
from phoihop.core import policy
from phoihop.core.policy import AnyUser
from phoihop.intake.models import Signal


def sees_all_signals(user: AnyUser) -> bool:
    return policy.is_coordinator(user) or policy.is_administrator(user)


def visible_signals_filter(user: AnyUser) -> Q:
    """A filter over Signal that keeps exactly the signals `user` may see."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    visible_issues = Issue.objects.filter(visible_issues_filter(user)).values("pk")
    if sees_all_signals(user):
        return Q(issue__isnull=True) | Q(issue__in=visible_issues)
    return Q(issue__in=visible_issues)


# Signal metadata that identifies a citizen (the feedback form's name and phone or e-mail).
PERSONAL_KEYS = ("name", "contact")


def can_see_contact(user: AnyUser, signal: Any) -> bool:
    """A citizen's name and contact (the verb "intake.signal_contact_view")."""
    return policy.can(user, "intake.signal_contact_view", signal)


def _contact_view(user: AnyUser, signal: Signal) -> bool:
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


def _signal_list(user: AnyUser, obj: Any) -> bool:
    return policy.can(user, "core.workspace_use")


def _coordinating_body(user: AnyUser, obj: Any) -> bool:
    """Importing, feeds and API submissions belong to the coordinating bodies."""
    return sees_all_signals(user)


def register() -> None:
    """Called once from `IntakeConfig.ready()`."""
    policy.register("intake.signal_list", _signal_list)
    policy.register("intake.signal_contact_view", _contact_view, on=Signal)
    for verb in ("signal_import", "signal_submit_api", "feed_manage"):
        policy.register(f"intake.{verb}", _coordinating_body)
