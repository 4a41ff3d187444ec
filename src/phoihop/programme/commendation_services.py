"""Commendation proposals and their approval chain: drafted, submitted, reviewed,
approved or rejected, each step audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.core import audit, policy
from phoihop.core.models import Agency, User
from phoihop.programme import inputs
from phoihop.programme.models import (
    CommendationProposal,
    ExemplaryModel,
)

# The number of a commendation decision as it is printed: a state body's «1234/QĐ-UBND» (a
# legal document also carries its year: «12/2026/QĐ-UBND»), a Party body's «45-QĐ/TU».
DECISION_NUMBER = re.compile(
    r"\d{1,6}(?:/\d{4})?/[A-ZĐ]{1,10}(?:-[A-ZĐ0-9&]{1,20}){0,3}"
    r"|\d{1,6}-[A-ZĐ]{1,10}/[A-ZĐ0-9&]{1,20}(?:-[A-ZĐ0-9&]{1,20}){0,2}"
)


def _scope(proposal: CommendationProposal) -> str:
    return f"commendation:{proposal.pk}"


@transaction.atomic
def commendation_create(
    *,
    by: User,
    nominee: str,
    nominee_kind: str,
    achievements: str,
    form: str,
    year: int,
    proposing_agency: Agency,
    reviewing_agency: Agency,
    approving_agency: Agency,
    evidence: str = "",
    exemplary_model: ExemplaryModel | None = None,
) -> CommendationProposal:
    """Draft a commendation proposal with its dossier and its approval chain."""
    policy.require(by, "programme.commendation_create")
    inputs.own_agency(by, proposing_agency)
    nominee = inputs.required(nominee, "nominee", _("Cần nhập tập thể, cá nhân được đề nghị."))
    achievements = inputs.required(achievements, "achievements", _("Cần nêu thành tích."))
    form = inputs.required(form, "form", _("Cần nêu hình thức khen thưởng."))
    if nominee_kind not in CommendationProposal.NomineeKind.values:
        raise ValidationError({"nominee_kind": _("Loại đối tượng không hợp lệ.")})
    if reviewing_agency.pk == proposing_agency.pk:
        raise ValidationError(
            {"reviewing_agency": _("Cơ quan thẩm định phải khác cơ quan đề xuất.")}
        )
    proposal = CommendationProposal.objects.create(
        nominee=nominee,
        nominee_kind=nominee_kind,
        achievements=achievements,
        evidence=(evidence or "").strip(),
        form=form,
        year=year,
        proposing_agency=proposing_agency,
        reviewing_agency=reviewing_agency,
        approving_agency=approving_agency,
        exemplary_model=exemplary_model,
        created_by=by,
    )
    audit.record(
        actor=by,
        action="commendation.create",
        target=proposal,
        scope=_scope(proposal),
        after={"state": proposal.state},
    )
    return proposal


def _step(proposal: CommendationProposal, expected: str, to: str, by: User, **data: Any) -> None:
    if proposal.state != expected:
        raise ValidationError(
            _("Đề xuất đang ở trạng thái «%(state)s», không thể chuyển sang «%(to)s».")
            % {
                "state": proposal.get_state_display(),
                "to": CommendationProposal.State(to).label,
            }
        )
    proposal.state = to
    proposal.save()
    audit.record(
        actor=by,
        action=f"commendation.{to}",
        target=proposal,
        scope=_scope(proposal),
        before={"state": expected},
        after={"state": to},
        **data,
    )


@transaction.atomic
def commendation_submit(*, by: User, proposal: CommendationProposal) -> CommendationProposal:
    """A leader of the proposing agency submits the dossier to the reviewing agency."""
    policy.require(by, "programme.commendation_submit", proposal)
    proposal.submitted_at = timezone.now()
    _step(proposal, CommendationProposal.State.DRAFT, CommendationProposal.State.SUBMITTED, by)
    return proposal


@transaction.atomic
def commendation_review(
    *, by: User, proposal: CommendationProposal, note: str = ""
) -> CommendationProposal:
    """The reviewing agency (e.g. the emulation and commendation board) finds it in order."""
    policy.require(by, "programme.commendation_review", proposal)
    proposal.reviewed_at = timezone.now()
    proposal.reviewed_by = by
    _step(
        proposal,
        CommendationProposal.State.SUBMITTED,
        CommendationProposal.State.REVIEWED,
        by,
        note=inputs.text(note),
    )
    return proposal


@transaction.atomic
def commendation_approve(
    *,
    by: User,
    proposal: CommendationProposal,
    decision_number: str,
    decision_date: dt.date,
) -> CommendationProposal:
    """A leader of the approving agency approves the reviewed proposal, recording the number
    and date of the commendation decision."""
    policy.require(by, "programme.commendation_decide", proposal)
    decision_number = inputs.required(
        decision_number, "decision_number", _("Cần nhập số quyết định khen thưởng.")
    )
    decision_number = " ".join(decision_number.split()).upper()
    if not DECISION_NUMBER.fullmatch(decision_number):
        raise ValidationError(
            {
                "decision_number": _(
                    "Số quyết định «%(number)s» chưa đúng dạng «số/ký hiệu», "
                    "ví dụ «1234/QĐ-UBND» (văn bản của Đảng: «45-QĐ/TU»)."
                )
                % {"number": decision_number}
            }
        )
    if decision_date is None:
        raise ValidationError({"decision_date": _("Cần nhập ngày ký quyết định.")})
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("Ngày ký quyết định không được sau hôm nay.")})
    model = proposal.exemplary_model
    if model is not None and (
        model.review != ExemplaryModel.Review.APPROVED or model.cancelled_at is not None
    ):
        raise ValidationError(
            _(
                "Chưa phê duyệt được: điển hình «%(model)s» chưa được công nhận "
                "(%(review)s). Cần công nhận điển hình trước khi phê duyệt khen thưởng."
            )
            % {
                "model": model.name,
                "review": _("Đã hủy") if model.cancelled_at else model.get_review_display(),
            }
        )
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.decision_number = decision_number
    proposal.decision_date = decision_date
    _step(
        proposal,
        CommendationProposal.State.REVIEWED,
        CommendationProposal.State.APPROVED,
        by,
        decision_number=decision_number,
        decision_date=decision_date.isoformat(),
    )
    return proposal


@transaction.atomic
def commendation_reject(
    *, by: User, proposal: CommendationProposal, reason: str
) -> CommendationProposal:
    """The agency whose turn it is rejects the proposal, with a reason: the reviewing agency
    while it is submitted, the approving agency once it is reviewed."""
    S = CommendationProposal.State
    if proposal.state == S.SUBMITTED:
        policy.require(by, "programme.commendation_review", proposal)
    elif proposal.state == S.REVIEWED:
        policy.require(by, "programme.commendation_decide", proposal)
    else:
        raise ValidationError(
            _("Đề xuất đang ở trạng thái «%(state)s», không thể từ chối.")
            % {"state": proposal.get_state_display()}
        )
    reason = inputs.required(reason, "reason", _("Cần nêu lý do không phê duyệt."))
    proposal.reason = reason
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    _step(proposal, proposal.state, S.REJECTED, by, reason=reason)
    return proposal
