"""Who may see dashboards and make reports; registered in the one policy registry
(`core.policy`) when the app starts.

- coordinators (Propaganda Department, HĐND standing committee) and administrators see the
  province-wide dashboard and export any list they can see;
- leaders see the province-wide dashboard too (they lead agencies and need the picture);
- every member of an agency sees that agency's own dashboard;
- a report document is drafted, edited and issued only by the coordinators of the body that
  issues its kind (of one of its co-issuing bodies, for a joint document): it carries that
  body's letterhead and takes a number from that body's register (`reports.issuers` decides
  the bodies: the HĐND standing committee's petition reports, the Propaganda Department's
  programme and situation reports and conclusions notices);
- leaders, viewers (leadership, the offices that follow the programme), administrators and
  every coordinator read and download the report documents once issued; drafts stay with
  the issuing body.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phoihop.core import policy
from phoihop.core.models import Agency, Membership
from phoihop.reports.issuers import issuing_agencies, joined_names
from phoihop.reports.models import ReportDocument

MESSAGE = _("Bạn không có quyền xem hoặc lập báo cáo này.")


def _issuing_coordinator(user: policy.AnyUser, kind: str | None) -> bool:
    """`kind` is a ReportDocument.Kind: may `user` write in the name of its issuing body?"""
    if not kind:
        return False
    mine = policy.agency_ids(user, Membership.Role.COORDINATOR)
    return bool(mine) and any(a.pk in mine for a in issuing_agencies(kind))


def _issuing_message(kind: str | None) -> str:
    if kind not in ReportDocument.Kind.values:
        return str(MESSAGE)
    label = ReportDocument.Kind(kind).label
    agencies = issuing_agencies(kind)
    if not agencies:
        return gettext(
            "Danh mục cơ quan chưa có cơ quan ban hành «%(kind)s»; chưa ai được lập văn bản này."
        ) % {"kind": label}
    return gettext(
        "«%(kind)s» do %(bodies)s ban hành, theo thể thức và sổ đăng ký văn bản của cơ quan "
        "này; chỉ cán bộ điều phối của cơ quan ban hành được lập dự thảo, sửa và ban hành."
    ) % {"kind": label, "bodies": joined_names(agencies)}


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
    # the object is the kind of document (ReportDocument.Kind, or a document's `kind`)
    for verb in ("reports.report_draft", "reports.report_issue"):
        policy.register(
            verb, _issuing_coordinator, on=ReportDocument.Kind, message=_issuing_message
        )
    policy.register("reports.report_read", _read, message=MESSAGE)
    policy.register("reports.dashboard_province", _dashboard_province, message=MESSAGE)
    policy.register("reports.dashboard_agency", _dashboard_agency, on=Agency, message=MESSAGE)
