"""Staff pages of commendation proposals: the list with the drafting form, a proposal's
page and the steps of its approval chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.core.policy import agency_ids
from phoihop.programme import (
    commendation_selectors,
    commendation_services,
    permissions,
)
from phoihop.programme.forms import (
    ApprovalForm,
    CommendationForm,
    ReasonForm,
)
from phoihop.programme.models import (
    CommendationProposal,
)
from phoihop.programme.web import staff_user, submit


@login_required
@require_http_methods(["GET", "POST"])
def commendation_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    own = agency_ids(user, *permissions.STAFF_ROLES)
    can_create = policy.can(user, "programme.commendation_create")
    form = (
        CommendationForm(
            request.POST or None, agency_ids=own, initial={"year": timezone.localdate().year}
        )
        if can_create
        else None
    )
    status = 200
    if request.method == "POST":
        policy.require(user, "programme.commendation_create")
        assert form is not None
        proposal = submit(
            request,
            form,
            lambda d: commendation_services.commendation_create(by=user, **d),
            _("Đã lưu dự thảo đề xuất khen thưởng."),
        )
        if isinstance(proposal, CommendationProposal):
            return redirect("programme:commendation_detail", pk=proposal.pk)
        status = 400
    year = timezone.localdate().year
    counts = commendation_selectors.commendation_counts(year=year)
    return render(
        request,
        "programme/commendation_list.html",
        {
            "proposals": commendation_selectors.commendations_for(user=user),
            "form": form,
            "year": year,
            "count_rows": [
                (label, counts[state]) for state, label in CommendationProposal.State.choices
            ],
        },
        status=status,
    )


COMMENDATION_ACTIONS: dict[str, tuple[str, str, type[forms.Form]]] = {
    "submit": ("programme.commendation_submit", CommendationProposal.State.DRAFT, forms.Form),
    "review": ("programme.commendation_review", CommendationProposal.State.SUBMITTED, forms.Form),
    "approve": ("programme.commendation_decide", CommendationProposal.State.REVIEWED, ApprovalForm),
    "reject": ("programme.commendation_review", CommendationProposal.State.SUBMITTED, ReasonForm),
    "reject-final": (
        "programme.commendation_decide",
        CommendationProposal.State.REVIEWED,
        ReasonForm,
    ),
}


def _commendation_context(
    user: User, proposal: CommendationProposal, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    actions = {
        name: bound.get(name) or form_class(prefix=name)
        for name, (permission, state, form_class) in COMMENDATION_ACTIONS.items()
        if proposal.state == state and policy.can(user, permission, proposal)
    }
    return {
        "proposal": proposal,
        "actions": actions,
        "waiting_for": commendation_selectors.waiting_for(proposal=proposal),
    }


@login_required
@require_GET
def commendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    proposal = get_object_or_404(CommendationProposal, pk=pk)
    return render(
        request, "programme/commendation_detail.html", _commendation_context(user, proposal)
    )


@login_required
@require_POST
def commendation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = staff_user(request)
    proposal = get_object_or_404(CommendationProposal, pk=pk)
    if action not in COMMENDATION_ACTIONS:
        raise Http404
    permission, _state, form_class = COMMENDATION_ACTIONS[action]
    policy.require(user, permission, proposal)
    form = form_class(request.POST, prefix=action)
    runs: dict[str, Callable[[dict[str, Any]], Any]] = {
        "submit": lambda d: commendation_services.commendation_submit(by=user, proposal=proposal),
        "review": lambda d: commendation_services.commendation_review(by=user, proposal=proposal),
        "approve": lambda d: commendation_services.commendation_approve(
            by=user, proposal=proposal, **d
        ),
        "reject": lambda d: commendation_services.commendation_reject(
            by=user, proposal=proposal, reason=d["reason"]
        ),
        "reject-final": lambda d: commendation_services.commendation_reject(
            by=user, proposal=proposal, reason=d["reason"]
        ),
    }
    done = {
        "submit": _("Đã trình đề xuất khen thưởng."),
        "review": _("Đã xác nhận hồ sơ đạt."),
        "approve": _("Đã phê duyệt khen thưởng."),
        "reject": _("Đã trả lại đề xuất: hồ sơ không đạt."),
        "reject-final": _("Đã ghi nhận không phê duyệt đề xuất khen thưởng."),
    }
    if submit(request, form, runs[action], done[action]) is not None:
        return redirect("programme:commendation_detail", pk=proposal.pk)
    proposal.refresh_from_db()
    messages.error(request, _("Chưa thực hiện được: vui lòng xem lỗi bên dưới."))
    return render(
        request,
        "programme/commendation_detail.html",
        _commendation_context(user, proposal, bound={action: form}),
        status=400,
    )
