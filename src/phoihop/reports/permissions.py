"""Who may see dashboards and make reports; registered in the one policy registry
(`core.policy`) when the app starts.

- coordinators (Propaganda Department, HĐND standing committee) and administrators see the
  province-wide dashboard and export any list they can see; coordinators draft and issue
  report documents;
- leaders see the province-wide dashboard too (they lead agencies and need the picture);
- every member of an agency sees that agency's own dashboard;
- leaders and viewers (leadership, the offices that follow the programme) read and download
  the report documents once issued; drafts stay with those who make them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from phoihop.core import policy
from phoihop.core.models import Agency, Membership

MESSAGE = _("Bạn không có quyền xem hoặc lập báo cáo này.")


def _report(user: policy.AnyUser, obj: Any) -> bool:
    return policy.is_coordinator(user)


def _read(user: policy.AnyUser, obj: Any) -> bool:
    return (
        policy.is_coordinator(user)
        or policy.is_administrator(user)
        or policy.has_role(user, Membership.Role.LEADER)
        or policy.has_role(user, Membership.Role.VIEWER)
    )


def _dashboard_province(user: policy.AnyUser, obj: Any) -> bool:
    return (
        policy.is_coordinator(user)
        or policy.is_administrator(user)
        or policy.has_role(user, Membership.Role.LEADER)
    )


def _dashboard_agency(user: policy.AnyUser, agency: Agency | None) -> bool:
    return agency is not None and (
        agency.pk in policy.agency_ids(user) or _dashboard_province(user, None)
    )


def register() -> None:
    """Called once from `ReportsConfig.ready()`."""
    policy.register("reports.report_draft", _report, message=MESSAGE)
    policy.register("reports.report_issue", _report, message=MESSAGE)
    policy.register("reports.report_read", _read, message=MESSAGE)
    policy.register("reports.dashboard_province", _dashboard_province, message=MESSAGE)
    policy.register("reports.dashboard_agency", _dashboard_agency, on=Agency, message=MESSAGE)
