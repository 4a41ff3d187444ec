"""What false-claim work asks of a person, for «Việc của tôi» (registered in `FactcheckConfig`):
a leader signs off the facts of a rebuttal; the department publishes a confirmed one or
rewrites one the competent agency sent back."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from phoihop.core.inbox import WorkItem
from phoihop.core.models import Membership, User
from phoihop.core.policy import agency_ids
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.programme.permissions import is_propaganda_coordinator


def factcheck_work(user: User) -> Iterator[WorkItem]:
    if not user.is_authenticated or not user.is_active:
        return
    leads = agency_ids(user, Membership.Role.LEADER)
    if leads:
        to_sign = Rebuttal.objects.filter(
            state=Rebuttal.State.DRAFT, returned_reason="", confirming_agency_id__in=leads
        ).select_related("claim")
        for rebuttal in to_sign:
            yield WorkItem(
                queue=_("Bài phản bác chờ lãnh đạo xác nhận thông tin"),
                title=rebuttal.title,
                url=reverse("factcheck:claim_detail", args=[rebuttal.claim_id]),
                urgent=rebuttal.claim.risk in (Claim.Risk.HIGH, Claim.Risk.CRITICAL),
                note=rebuttal.claim.summary,
                order=15,
            )
    if is_propaganda_coordinator(user):
        for rebuttal in Rebuttal.objects.exclude(state=Rebuttal.State.PUBLISHED).select_related(
            "claim"
        ):
            if rebuttal.state == Rebuttal.State.CONFIRMED:
                queue, note = _("Bài phản bác đã xác nhận, chờ đăng"), rebuttal.claim.summary
            elif rebuttal.returned_reason:
                queue = _("Bài phản bác được đề nghị sửa")
                note = rebuttal.returned_reason
            else:
                continue
            yield WorkItem(
                queue=queue,
                title=rebuttal.title,
                url=reverse("factcheck:claim_detail", args=[rebuttal.claim_id]),
                note=note,
                order=35,
            )
