"""Who may do what with false claims and rebuttals; registered in the one policy registry
(`core.policy`) when the app starts.

Rules:
- every staff member with a role sees the registry of claims and their rebuttals;
- staff of the Propaganda Department (handlers, leaders, coordinators) and coordinators of
  any agency register claims and link the signals where a claim spreads;
- only the Propaganda Department's coordinators open verification, draft a rebuttal,
  publish it, and close a claim as not false or dropped;
- only a leader of the agency competent for the facts (the rebuttal's confirming agency,
  e.g. the court or procuracy for a case, the department for a project) signs the facts off,
  or sends the draft back with a reason.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from phoihop.core import policy
from phoihop.core.models import Membership
from phoihop.core.policy import AnyUser, agency_ids, is_administrator, is_coordinator
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.programme.permissions import is_propaganda_coordinator, is_propaganda_staff


def _claim_view(user: AnyUser, obj: Any) -> bool:
    return bool(agency_ids(user)) or is_administrator(user)


def _register_or_link(user: AnyUser, obj: Any) -> bool:
    return is_propaganda_staff(user) or is_coordinator(user)


def _propaganda_coordinator(user: AnyUser, obj: Any) -> bool:
    return is_propaganda_coordinator(user)


def _rebuttal_confirm(user: AnyUser, rebuttal: Rebuttal) -> bool:
    return rebuttal.confirming_agency_id in agency_ids(user, Membership.Role.LEADER)


def register() -> None:
    """Called once from `FactcheckConfig.ready()`."""
    r = policy.register
    r("factcheck.claim_view", _claim_view)
    r(
        "factcheck.claim_register",
        _register_or_link,
        message=_("Chỉ Ban Tuyên giáo và Dân vận hoặc cán bộ điều phối ghi nhận thông tin."),
    )
    r(
        "factcheck.claim_link",
        _register_or_link,
        on=Claim,
        message=_("Chỉ Ban Tuyên giáo và Dân vận hoặc cán bộ điều phối gắn tín hiệu."),
    )
    r(
        "factcheck.claim_verify",
        _propaganda_coordinator,
        on=Claim,
        message=_("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận mở xác minh."),
    )
    r(
        "factcheck.claim_close",
        _propaganda_coordinator,
        on=Claim,
        message=_("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận kết luận thông tin."),
    )
    r(
        "factcheck.rebuttal_draft",
        _propaganda_coordinator,
        on=Claim,
        message=_("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận soạn bài phản bác."),
    )
    r(
        "factcheck.rebuttal_confirm",
        _rebuttal_confirm,
        on=Rebuttal,
        message=_("Chỉ lãnh đạo cơ quan có thẩm quyền về nội dung này mới xác nhận thông tin."),
    )
    r(
        "factcheck.rebuttal_publish",
        _propaganda_coordinator,
        on=Rebuttal,
        message=_("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận đăng bài phản bác."),
    )
