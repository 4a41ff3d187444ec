"""Who may do what with false claims and rebuttals, built on the helpers of `core.policy`.

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

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import Membership
from phoihop.core.policy import AnyUser, agency_ids, is_administrator, is_coordinator
from phoihop.programme.permissions import is_propaganda_coordinator, is_propaganda_staff

Action = Literal[
    "claim.view",
    "claim.register",
    "claim.link",
    "claim.verify",
    "claim.close",
    "rebuttal.draft",
    "rebuttal.confirm",
    "rebuttal.publish",
]


def can(user: AnyUser, action: Action, obj: Any = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if action == "claim.view":
        return bool(agency_ids(user)) or is_administrator(user)
    if action in ("claim.register", "claim.link"):
        return is_propaganda_staff(user) or is_coordinator(user)
    if action in ("claim.verify", "claim.close", "rebuttal.draft", "rebuttal.publish"):
        return is_propaganda_coordinator(user)
    if action == "rebuttal.confirm":
        return obj.confirming_agency_id in agency_ids(user, Membership.Role.LEADER)
    return False


MESSAGES: dict[str, Promise] = {
    "claim.register": _("Chỉ Ban Tuyên giáo và Dân vận hoặc cán bộ điều phối ghi nhận thông tin."),
    "claim.link": _("Chỉ Ban Tuyên giáo và Dân vận hoặc cán bộ điều phối gắn tín hiệu."),
    "claim.verify": _("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận mở xác minh."),
    "claim.close": _("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận kết luận thông tin."),
    "rebuttal.draft": _("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận soạn bài phản bác."),
    "rebuttal.confirm": _(
        "Chỉ lãnh đạo cơ quan có thẩm quyền về nội dung này mới xác nhận thông tin."
    ),
    "rebuttal.publish": _("Chỉ cán bộ điều phối của Ban Tuyên giáo và Dân vận đăng bài phản bác."),
}


def require(user: AnyUser, action: Action, obj: Any = None) -> None:
    """Raise PermissionDenied (with a Vietnamese message) unless `user` may do `action`."""
    if not can(user, action, obj):
        message = MESSAGES.get(action, _("Bạn không có quyền thực hiện thao tác này."))
        raise PermissionDenied(str(message))
