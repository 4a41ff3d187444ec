"""Who may see dashboards and make reports, built on the one policy (core.policy).

- coordinators (Propaganda Department, HĐND standing committee) and administrators see the
  province-wide dashboard and export any list they can see; coordinators draft and issue
  report documents;
- leaders see the province-wide dashboard too (they lead agencies and need the picture);
- every member of an agency sees that agency's own dashboard.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from phoihop.core import policy
from phoihop.core.models import Agency, Membership

Action = Literal["report.draft", "report.issue", "dashboard.province", "dashboard.agency"]


def can(user: policy.AnyUser, action: Action, agency: Agency | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action in ("report.draft", "report.issue"):
        return policy.is_coordinator(user)
    if action == "dashboard.province":
        return (
            policy.is_coordinator(user)
            or policy.is_administrator(user)
            or policy.has_role(user, Membership.Role.LEADER)
        )
    if action == "dashboard.agency":
        return agency is not None and (
            agency.pk in policy.agency_ids(user) or can(user, "dashboard.province")
        )
    return False


def require(user: policy.AnyUser, action: Action, agency: Agency | None = None) -> None:
    if not can(user, action, agency):
        raise PermissionDenied(_("Bạn không có quyền xem hoặc lập báo cáo này."))
