"""Read-side questions about commendation proposals."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from phoihop.core.models import User
from phoihop.programme.models import (
    CommendationProposal,
)


def commendation_counts(*, year: int) -> dict[str, int]:
    """Proposals of a year per state (for the programme report)."""
    counts = dict(
        CommendationProposal.objects.filter(year=year)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return {state: counts.get(state, 0) for state in CommendationProposal.State.values}


def commendations_for(*, user: User) -> QuerySet[CommendationProposal]:
    return CommendationProposal.objects.select_related(
        "proposing_agency", "reviewing_agency", "approving_agency"
    ).order_by("-created_at")


def waiting_for(*, proposal: CommendationProposal) -> str | None:
    """Who must take the proposal's next step, said the way the page tells it («Chờ …»);
    None once it is decided or withdrawn."""
    S = CommendationProposal.State
    if proposal.state == S.DRAFT:
        text = _("Chờ lãnh đạo %(agency)s trình")
        agency = proposal.proposing_agency
    elif proposal.state == S.SUBMITTED:
        text = _("Chờ %(agency)s thẩm định")
        agency = proposal.reviewing_agency
    elif proposal.state == S.REVIEWED:
        text = _("Chờ lãnh đạo %(agency)s phê duyệt")
        agency = proposal.approving_agency
    else:
        return None
    return text % {"agency": agency.name}
