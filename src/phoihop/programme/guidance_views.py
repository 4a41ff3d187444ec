"""Staff pages of orientation guidance: the list, drafting, the guidance page with its
actions (issue, co-sign, acknowledge, report back) and the acknowledgement lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.programme import (
    guidance_services,
    network_selectors,
    network_services,
)
from phoihop.programme.forms import (
    FieldReportForm,
    GuidanceForm,
    IssueGuidanceForm,
)
from phoihop.programme.models import (
    Guidance,
)
from phoihop.programme.web import staff_user, submit


@login_required
@require_GET
def guidance_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    return render(
        request,
        "programme/guidance_list.html",
        {
            "guidances": network_selectors.guidance_list(user=user)[:200],
            "mine": network_selectors.guidance_for_recipient(user=user)[:50],
            "can_create": policy.can(user, "programme.guidance_create"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def guidance_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    policy.require(user, "programme.guidance_create")
    form = GuidanceForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST":
        guidance = submit(
            request,
            form,
            lambda d: guidance_services.guidance_create(by=user, **d),
            _("Đã lưu dự thảo định hướng."),
        )
        if isinstance(guidance, Guidance):
            return redirect("programme:guidance_detail", pk=guidance.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programme/guidance_create.html", {"form": form}, status=status)


def _guidance_context(
    user: User, guidance: Guidance, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    recipient = network_selectors.recipient_of(guidance=guidance, user=user)
    draft = guidance.state == Guidance.State.DRAFT
    actions: dict[str, forms.Form] = {}
    if (
        draft
        and policy.can(user, "programme.guidance_issue", guidance)
        and not guidance.needs_cosign
    ):
        actions["issue"] = bound.get("issue") or IssueGuidanceForm()
    if draft and guidance.needs_cosign and policy.can(user, "programme.guidance_cosign", guidance):
        actions["cosign"] = bound.get("cosign") or forms.Form()
    sees_acks = policy.can(user, "programme.guidance_acks_view")
    return {
        "guidance": guidance,
        "recipient": recipient,
        "acks": network_selectors.acknowledgements(guidance=guidance) if sees_acks else None,
        "field_reports": (
            network_selectors.field_reports(guidance=guidance, user=user) if sees_acks else []
        ),
        "actions": actions,
        "report_form": (
            bound.get("report") or FieldReportForm()
            if policy.can(user, "programme.guidance_report_back")
            and guidance.state == Guidance.State.ISSUED
            else None
        ),
    }


@login_required
@require_GET
def guidance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    guidance = get_object_or_404(Guidance.objects.select_related("resolution"), pk=pk)
    policy.require(user, "programme.guidance_view", guidance)
    return render(request, "programme/guidance_detail.html", _guidance_context(user, guidance))


@login_required
@require_GET
def guidance_acknowledgements(request: HttpRequest, pk: int) -> HttpResponse:
    """The acknowledgement lists alone, refreshed by htmx while the sender watches."""
    user = staff_user(request)
    if not policy.can(user, "programme.guidance_acks_view"):
        raise PermissionDenied(_("Bạn không có quyền xem danh sách này."))
    guidance = get_object_or_404(Guidance, pk=pk)
    policy.require(user, "programme.guidance_view", guidance)
    return render(
        request,
        "programme/_acknowledgements.html",
        {"guidance": guidance, "acks": network_selectors.acknowledgements(guidance=guidance)},
    )


@login_required
@require_POST
def guidance_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = staff_user(request)
    guidance = get_object_or_404(Guidance, pk=pk)
    policy.require(user, "programme.guidance_view", guidance)
    form: forms.Form
    if action == "issue":
        policy.require(user, "programme.guidance_issue", guidance)
        form = IssueGuidanceForm(request.POST)
        run: Callable[[dict[str, Any]], Any] = lambda d: guidance_services.guidance_issue(  # noqa: E731
            by=user, guidance=guidance, kinds=d["kinds"]
        )
        done = _("Đã phát hành định hướng tới mạng lưới.")
    elif action == "cosign":
        policy.require(user, "programme.guidance_cosign", guidance)
        form = forms.Form(request.POST)
        run = lambda d: guidance_services.guidance_cosign(by=user, guidance=guidance)  # noqa: E731
        done = _("Đã đồng ký định hướng.")
    elif action == "acknowledge":
        recipient = network_selectors.recipient_of(guidance=guidance, user=user)
        if recipient is None:
            raise PermissionDenied(_("Định hướng này không gửi cho bạn."))
        form = forms.Form(request.POST)
        run = lambda d: guidance_services.guidance_acknowledge(by=user, recipient=recipient)  # noqa: E731
        done = _("Đã xác nhận tiếp nhận định hướng.")
    elif action == "report":
        policy.require(user, "programme.guidance_report_back")
        form = FieldReportForm(request.POST)
        run = lambda d: network_services.field_report_send(  # noqa: E731
            by=user, text=d["text"], guidance=guidance
        )
        done = _("Đã gửi phản ánh dư luận; cảm ơn đồng chí.")
    else:
        raise Http404
    if submit(request, form, run, done) is not None:
        return redirect("programme:guidance_detail", pk=guidance.pk)
    messages.error(request, _("Chưa thực hiện được: vui lòng xem lỗi bên dưới."))
    context = _guidance_context(user, guidance, bound={action: form})
    if action in ("cosign", "acknowledge"):
        context["action_errors"] = form.non_field_errors()
    return render(request, "programme/guidance_detail.html", context, status=400)
