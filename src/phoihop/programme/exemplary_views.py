"""Staff pages of exemplary models: the list with the proposal form, and a model's own page
with its review."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from phoihop.core import policy
from phoihop.core.policy import agency_ids
from phoihop.programme import (
    editing,
    exemplary_services,
    permissions,
)
from phoihop.programme.forms import (
    ExemplaryForm,
)
from phoihop.programme.models import (
    ExemplaryModel,
)
from phoihop.programme.web import staff_user, submit


@login_required
@require_http_methods(["GET", "POST"])
def exemplary_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    own = agency_ids(user, *permissions.STAFF_ROLES)
    can_create = policy.can(user, "programme.exemplary_create")
    form = ExemplaryForm(request.POST or None, agency_ids=own) if can_create else None
    status = 200
    if request.method == "POST":
        policy.require(user, "programme.exemplary_create")
        assert form is not None
        if submit(
            request,
            form,
            lambda d: exemplary_services.exemplary_create(by=user, **d),
            _("Đã ghi nhận điển hình."),
        ):
            return redirect("programme:exemplary_list")
        status = 400
    models = ExemplaryModel.objects.select_related("proposing_agency", "place", "field")
    return render(
        request,
        "programme/exemplary_list.html",
        {"models": models, "form": form},
        status=status,
    )


TEXT = forms.Textarea(attrs={"rows": 4})


class ReviewForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Ý kiến thẩm định"), widget=TEXT, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def exemplary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An exemplary model: what it achieved, its review, its proposals and its portal article."""
    user = staff_user(request)
    model = get_object_or_404(
        ExemplaryModel.objects.select_related("place", "field", "proposing_agency", "reviewed_by"),
        pk=pk,
    )
    can_review = policy.can(user, "programme.manage") and model.cancelled_at is None
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        policy.require(user, "programme.manage")
        assert form is not None
        approve = request.POST.get("decision") == "approve"
        if submit(
            request,
            form,
            lambda d: editing.exemplary_review(
                by=user, model=model, approve=approve, note=d["note"]
            ),
            _("Đã công nhận điển hình.") if approve else _("Đã ghi ý kiến không công nhận."),
        ):
            return redirect("programme:exemplary_detail", pk=pk)
    return render(
        request,
        "programme/exemplary_detail.html",
        {
            "model": model,
            "form": form,
            "proposals": model.proposals.order_by("-created_at"),
        },
        status=400 if form is not None and form.errors else 200,
    )
