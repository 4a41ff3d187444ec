"""Who may do what in the coordination programme; registered in the one policy registry
(`core.policy`) when the app starts.

Rules:
- every staff member with a role sees the programme, its tasks, the matrix, meetings,
  key projects, exemplary models and commendation proposals;
- coordinators (of any party) manage the programme: plans, tasks, meetings, decisions,
  key projects and their briefs, the reporter network, and ask agencies for progress;
- an agency reports progress only for itself, on a task where it is the lead or a
  coordinating agency (its handlers and leaders); coordinators may report for any agency
  of the task (they consolidate what arrived on paper);
- only the Propaganda Department's coordinators draft and issue orientation guidance;
- a draft of guidance is seen only by the issuing side (the Propaganda Department's staff
  and the sender agency's) and, when it explains a council resolution, by the HĐND staff who
  co-sign it; issued (or withdrawn) guidance also by its recipients and by coordinators;
- guidance explaining a council resolution is co-signed by the HĐND staff (coordinators or
  leaders of a People's Council agency) before it is issued;
- the Propaganda Department's coordinators and every coordinator follow who acknowledged
  guidance;
- a recipient acknowledges only guidance addressed to them; any active network member may
  send back what they heard;
- staff of any agency (handlers, leaders, coordinators) register exemplary models and draft
  commendation proposals for their own agency;
- an exemplary model is corrected or cancelled by the proposing agency's staff or by any
  coordinator; a commendation proposal is corrected or withdrawn only by the proposing
  agency's staff;
- each commendation step is taken only by the agency whose turn it is: a leader of the
  proposing agency submits, handlers or leaders of the reviewing agency review (or reject),
  a leader of the approving agency approves or rejects.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from phoihop.core import policy
from phoihop.core.models import Agency, Membership
from phoihop.core.policy import AnyUser, agency_ids, has_role, is_administrator, is_coordinator
from phoihop.programme.models import (
    CommendationProposal,
    ExemplaryModel,
    Guidance,
    GuidanceRecipient,
    Task,
)

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


def visible_guidance_filter(user: AnyUser) -> Q:
    """A filter over Guidance that keeps exactly the guidance `user` may read."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    issuing = agency_ids(user, *STAFF_ROLES)
    propaganda = propaganda_agency()
    if propaganda is not None and propaganda.pk in issuing:
        return Q()
    visible = Q(sender_agency_id__in=issuing)
    if is_council_staff(user):
        visible |= Q(resolution__isnull=False)
    published = ~Q(state=Guidance.State.DRAFT)
    if is_coordinator(user):
        return visible | published
    received = Exists(
        GuidanceRecipient.objects.filter(guidance=OuterRef("pk"), member__user_id=user.pk)
    )
    return visible | (published & Q(received))


def _guidance_view(user: AnyUser, guidance: Guidance) -> bool:
    return Guidance.objects.filter(visible_guidance_filter(user), pk=guidance.pk).exists()


def _view(user: AnyUser, obj: Any) -> bool:
    return bool(agency_ids(user)) or user.is_superuser


def _manage(user: AnyUser, obj: Any) -> bool:
    return is_coordinator(user) or is_administrator(user)


def _progress_report(user: AnyUser, obj: Any) -> bool:
    """Reports progress on some task: handlers and leaders for their agency, coordinators for
    any; a read-only viewer never does."""
    return is_coordinator(user) or has_role(user, R.HANDLER, R.LEADER)


def _task_report(user: AnyUser, task: Task) -> bool:
    return task.status != task.Status.CANCELLED and bool(reportable_agency_ids(user, task))


def _propaganda_coordinator(user: AnyUser, obj: Any) -> bool:
    return is_propaganda_coordinator(user)


def _guidance_cosign(user: AnyUser, obj: Any) -> bool:
    return is_council_staff(user)


def _guidance_acks_view(user: AnyUser, obj: Any) -> bool:
    return is_propaganda_coordinator(user) or is_coordinator(user)


def _guidance_acknowledge(user: AnyUser, recipient: GuidanceRecipient) -> bool:
    return bool(recipient.member.user_id == user.pk)


def _guidance_report_back(user: AnyUser, obj: Any) -> bool:
    member = getattr(user, "network_member", None)
    return member is not None and member.is_active


def _staff(user: AnyUser, obj: Any) -> bool:
    return has_role(user, *STAFF_ROLES)


def _exemplary_edit(user: AnyUser, model: ExemplaryModel) -> bool:
    return model.proposing_agency_id in agency_ids(user, *STAFF_ROLES) or is_coordinator(user)


def _commendation_edit(user: AnyUser, proposal: CommendationProposal) -> bool:
    return proposal.proposing_agency_id in agency_ids(user, *STAFF_ROLES)


def _commendation_submit(user: AnyUser, proposal: CommendationProposal) -> bool:
    return proposal.proposing_agency_id in agency_ids(user, R.LEADER)


def _commendation_review(user: AnyUser, proposal: CommendationProposal) -> bool:
    return proposal.reviewing_agency_id in agency_ids(user, R.HANDLER, R.LEADER)


def _commendation_decide(user: AnyUser, proposal: CommendationProposal) -> bool:
    return proposal.approving_agency_id in agency_ids(user, R.LEADER)


def register() -> None:
    """Called once from `ProgrammeConfig.ready()`."""
    r = policy.register
    r("programme.view", _view)
    r("programme.manage", _manage)
    r("programme.network_manage", _manage)
    r(
        "programme.progress_request",
        _manage,
        message=_("Chỉ cán bộ điều phối mới yêu cầu các cơ quan báo cáo tiến độ."),
    )
    r(
        "programme.task_report",
        _task_report,
        on=Task,
        message=_("Chỉ cơ quan chủ trì, cơ quan phối hợp của nhiệm vụ mới báo cáo tiến độ."),
    )
    r(
        "programme.progress_report",
        _progress_report,
        message=_("Chỉ cán bộ xử lý, lãnh đạo của cơ quan có nhiệm vụ mới cập nhật tiến độ."),
    )
    r(
        "programme.guidance_create",
        _propaganda_coordinator,
        message=_("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận soạn định hướng."),
    )
    r(
        "programme.guidance_issue",
        _propaganda_coordinator,
        message=_("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận phát hành định hướng."),
    )
    r(
        "programme.guidance_cosign",
        _guidance_cosign,
        message=_("Chỉ Thường trực HĐND đồng ký định hướng về nghị quyết."),
    )
    r(
        "programme.guidance_view",
        _guidance_view,
        on=Guidance,
        message=_("Định hướng này chưa phát hành hoặc không gửi cho bạn."),
    )
    r("programme.guidance_acks_view", _guidance_acks_view)
    r(
        "programme.guidance_acknowledge",
        _guidance_acknowledge,
        on=GuidanceRecipient,
        message=_("Định hướng này không gửi cho bạn."),
    )
    r(
        "programme.guidance_report_back",
        _guidance_report_back,
        message=_("Chỉ thành viên mạng lưới mới gửi phản ánh dư luận."),
    )
    r("programme.exemplary_create", _staff)
    r(
        "programme.exemplary_edit",
        _exemplary_edit,
        on=ExemplaryModel,
        message=_("Chỉ cơ quan đề xuất hoặc cán bộ điều phối mới sửa hoặc hủy điển hình này."),
    )
    r("programme.commendation_create", _staff)
    r(
        "programme.commendation_edit",
        _commendation_edit,
        on=CommendationProposal,
        message=_("Chỉ cơ quan đề xuất mới sửa hoặc rút đề xuất này."),
    )
    r(
        "programme.commendation_submit",
        _commendation_submit,
        on=CommendationProposal,
        message=_("Chỉ lãnh đạo cơ quan đề xuất mới trình đề xuất khen thưởng."),
    )
    r(
        "programme.commendation_review",
        _commendation_review,
        on=CommendationProposal,
        message=_("Chỉ cơ quan thẩm định mới thẩm định đề xuất này."),
    )
    r(
        "programme.commendation_decide",
        _commendation_decide,
        on=CommendationProposal,
        message=_("Chỉ lãnh đạo cơ quan phê duyệt mới quyết định đề xuất này."),
    )
