"""Who may do what in the coordination programme, built on the helpers of `core.policy`.

Rules:
- every staff member with a role sees the programme, its tasks, the matrix, meetings,
  key projects, exemplary models and commendation proposals;
- coordinators (of any party) manage the programme: plans, tasks, meetings, decisions,
  key projects and their briefs, the reporter network;
- an agency reports progress only for itself, on a task where it is the lead or a
  coordinating agency (its handlers and leaders); coordinators may report for any agency
  of the task (they consolidate what arrived on paper);
- only the Propaganda Department's coordinators draft and issue orientation guidance;
- guidance explaining a council resolution is co-signed by the HĐND staff (coordinators or
  leaders of a People's Council agency) before it is issued;
- a recipient acknowledges only guidance addressed to them; any active network member may
  send back what they heard;
- staff of any agency (handlers, leaders, coordinators) register exemplary models and draft
  commendation proposals for their own agency;
- each commendation step is taken only by the agency whose turn it is: a leader of the
  proposing agency submits, handlers or leaders of the reviewing agency review (or reject),
  a leader of the approving agency approves or rejects.
"""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import Agency, Membership
from phoihop.core.policy import AnyUser, agency_ids, has_role, is_administrator, is_coordinator

Action = Literal[
    "programme.view",
    "programme.manage",
    "task.report",
    "guidance.create",
    "guidance.issue",
    "guidance.cosign",
    "guidance.acknowledge",
    "guidance.report_back",
    "network.manage",
    "exemplary.create",
    "commendation.create",
    "commendation.submit",
    "commendation.review",
    "commendation.decide",
]

R = Membership.Role
STAFF_ROLES = (R.HANDLER, R.LEADER, R.COORDINATOR)

# The Propaganda Department by agency code; a province whose department has another code
# sets PHOIHOP_PROPAGANDA_AGENCY.


def propaganda_agency() -> Agency | None:
    code = settings.PHOIHOP_PROPAGANDA_AGENCY
    agency = Agency.objects.filter(code=code).first()
    return agency.current if agency is not None else None


def is_propaganda_coordinator(user: AnyUser) -> bool:
    agency = propaganda_agency()
    return agency is not None and agency.pk in agency_ids(user, R.COORDINATOR)


def is_propaganda_staff(user: AnyUser) -> bool:
    agency = propaganda_agency()
    return agency is not None and agency.pk in agency_ids(user, *STAFF_ROLES)


def is_council_staff(user: AnyUser) -> bool:
    ids = agency_ids(user, R.COORDINATOR, R.LEADER)
    return Agency.objects.filter(pk__in=ids, kind=Agency.Kind.COUNCIL).exists()


def reportable_agency_ids(user: AnyUser, task: Any) -> set[int]:
    """The agencies of `task` for which `user` may report progress."""
    involved = {task.lead_agency_id, *(a.pk for a in task.coordinating_agencies.all())}
    if is_coordinator(user):
        return involved
    return involved & agency_ids(user, R.HANDLER, R.LEADER)


def can(user: AnyUser, action: Action, obj: Any = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == "programme.view":
        return bool(agency_ids(user)) or user.is_superuser
    if action in ("programme.manage", "network.manage"):
        return is_coordinator(user) or is_administrator(user)
    if action == "task.report":
        return obj.status != obj.Status.CANCELLED and bool(reportable_agency_ids(user, obj))
    if action in ("guidance.create", "guidance.issue"):
        return is_propaganda_coordinator(user)
    if action == "guidance.cosign":
        return is_council_staff(user)
    if action == "guidance.acknowledge":
        return bool(obj.member.user_id == user.pk)
    if action == "guidance.report_back":
        member = getattr(user, "network_member", None)
        return member is not None and member.is_active
    if action in ("exemplary.create", "commendation.create"):
        return has_role(user, *STAFF_ROLES)
    if action == "commendation.submit":
        return obj.proposing_agency_id in agency_ids(user, R.LEADER)
    if action == "commendation.review":
        return obj.reviewing_agency_id in agency_ids(user, R.HANDLER, R.LEADER)
    if action == "commendation.decide":
        return obj.approving_agency_id in agency_ids(user, R.LEADER)
    return False


MESSAGES: dict[str, Promise] = {
    "task.report": _("Chỉ cơ quan chủ trì, cơ quan phối hợp của nhiệm vụ mới báo cáo tiến độ."),
    "guidance.create": _("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận soạn định hướng."),
    "guidance.issue": _("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận phát hành định hướng."),
    "guidance.cosign": _("Chỉ Thường trực HĐND đồng ký định hướng về nghị quyết."),
    "guidance.acknowledge": _("Định hướng này không gửi cho bạn."),
    "guidance.report_back": _("Chỉ thành viên mạng lưới mới gửi phản ánh dư luận."),
    "commendation.submit": _("Chỉ lãnh đạo cơ quan đề xuất mới trình đề xuất khen thưởng."),
    "commendation.review": _("Chỉ cơ quan thẩm định mới thẩm định đề xuất này."),
    "commendation.decide": _("Chỉ lãnh đạo cơ quan phê duyệt mới quyết định đề xuất này."),
}


def require(user: AnyUser, action: Action, obj: Any = None) -> None:
    """Raise PermissionDenied (with a Vietnamese message) unless `user` may do `action`."""
    if not can(user, action, obj):
        message = MESSAGES.get(action, _("Bạn không có quyền thực hiện thao tác này."))
        raise PermissionDenied(str(message))
