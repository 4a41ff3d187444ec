"""Staff pages of the false-claim registry: the list, registering a claim, and one claim
with its spread over time and the steps of its rebuttal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.core.web import attach_errors
from phoihop.factcheck import selectors, services
from phoihop.factcheck.forms import (
    ClaimFilterForm,
    ClaimForm,
    CloseForm,
    DraftForm,
    LinkSignalForm,
    NoteForm,
    ReasonForm,
)
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.intake.models import Signal


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    policy.require(user, "factcheck.claim_view")
    return user


@login_required
@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    _user(request)  # may see the registry at all
    form = ClaimFilterForm(request.GET or None)
    status = q = ""
    if form.is_valid():
        status, q = form.cleaned_data["status"], form.cleaned_data["q"]
    return render(
        request,
        "factcheck/claim_list.html",
        {"form": form, "claims": selectors.claims(status=status, q=q)[:200]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.require(user, "factcheck.claim_register")
    form = ClaimForm(request.POST or None, initial={"first_seen_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_register(by=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            # Registered is not verified: the claim is false only once a rebuttal is confirmed.
            messages.success(request, _("Đã ghi nhận thông tin cần kiểm chứng."))
            return redirect("factcheck:claim_detail", pk=claim.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "factcheck/claim_create.html", {"form": form}, status=status)


@dataclass(frozen=True)
class Step:
    form: type[forms.Form]
    permission: str  # a verb of the policy registry
    offered: Callable[[Claim, Rebuttal | None], bool]
    run: Callable[[Claim, Rebuttal | None, User, dict[str, Any]], object]
    title: Any
    done: Any


def _draft_state(rebuttal: Rebuttal | None) -> bool:
    return rebuttal is not None and rebuttal.state == Rebuttal.State.DRAFT


S = Claim.Status
STEPS: dict[str, Step] = {
    "verify": Step(
        forms.Form,
        "factcheck.claim_verify",
        lambda c, r: c.status == S.NEW,
        lambda c, r, by, d: services.claim_start_verification(claim=c, by=by),
        _lazy("Mở xác minh"),
        _lazy("Đã chuyển sang «Đang xác minh»."),
    ),
    "draft": Step(
        DraftForm,
        "factcheck.rebuttal_draft",
        lambda c, r: c.status == S.VERIFYING and (r is None or r.state != Rebuttal.State.PUBLISHED),
        lambda c, r, by, d: services.rebuttal_draft(claim=c, by=by, **d),
        _lazy("Soạn bài phản bác"),
        _lazy("Đã lưu dự thảo bài phản bác; chờ cơ quan có thẩm quyền xác nhận."),
    ),
    "confirm": Step(
        NoteForm,
        "factcheck.rebuttal_confirm",
        lambda c, r: _draft_state(r),
        lambda c, r, by, d: services.rebuttal_confirm(rebuttal=r, by=by, note=d["note"]),  # type: ignore[arg-type]
        _lazy("Xác nhận thông tin trong bài phản bác"),
        _lazy("Đã xác nhận thông tin."),
    ),
    "return": Step(
        ReasonForm,
        "factcheck.rebuttal_confirm",
        lambda c, r: _draft_state(r),
        lambda c, r, by, d: services.rebuttal_return(rebuttal=r, by=by, reason=d["reason"]),  # type: ignore[arg-type]
        _lazy("Đề nghị sửa bài phản bác"),
        _lazy("Đã gửi đề nghị sửa."),
    ),
    "publish": Step(
        forms.Form,
        "factcheck.rebuttal_publish",
        lambda c, r: r is not None and r.state == Rebuttal.State.CONFIRMED,
        lambda c, r, by, d: services.rebuttal_publish(rebuttal=r, by=by),  # type: ignore[arg-type]
        _lazy("Đăng bài phản bác và gửi định hướng tới mạng lưới"),
        _lazy("Đã đăng bài phản bác và gửi định hướng tới mạng lưới."),
    ),
    "close": Step(
        CloseForm,
        "factcheck.claim_close",
        lambda c, r: c.status in Claim.OPEN_STATUSES,
        lambda c, r, by, d: services.claim_close(claim=c, by=by, **d),
        _lazy("Kết luận không phản bác"),
        _lazy("Đã kết luận."),
    ),
    "link": Step(
        LinkSignalForm,
        "factcheck.claim_link",
        lambda c, r: True,
        lambda c, r, by, d: services.claim_link_signal(claim=c, signal=d["signal"], by=by),
        _lazy("Gắn tín hiệu có nội dung này"),
        _lazy("Đã gắn tín hiệu."),
    ),
}


def _initial(name: str, claim: Claim, rebuttal: Rebuttal | None) -> forms.Form:
    if name == "draft":
        # The picker lists today's agencies: one merged since it was chosen shows as the
        # agency that carries its work (its successor), never as «---------».
        if rebuttal is not None:
            return DraftForm(
                prefix=name,
                initial={
                    "title": rebuttal.title,
                    "text": rebuttal.text,
                    "rating": rebuttal.rating,
                    "confirming_agency": rebuttal.confirming_agency.current.pk,
                },
            )
        return DraftForm(
            prefix=name, initial={"confirming_agency": claim.competent_agency.current.pk}
        )
    return STEPS[name].form(prefix=name)


def _context(
    user: User, claim: Claim, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    rebuttal = (
        Rebuttal.objects.filter(claim=claim)
        .select_related(
            "confirming_agency", "confirmed_by", "drafted_by", "published_by", "guidance"
        )
        .first()
    )
    steps = {
        name: {"form": bound.get(name) or _initial(name, claim, rebuttal), "title": step.title}
        for name, step in STEPS.items()
        if step.offered(claim, rebuttal)
        and policy.can(user, step.permission, rebuttal if name in ("confirm", "return") else claim)
    }
    return {
        "claim": claim,
        "rebuttal": rebuttal,
        "steps": steps,
        "over_time": selectors.sightings_over_time(claim=claim),
        "sightings": selectors.sightings(claim=claim)[:100],
    }


@login_required
@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    claim = get_object_or_404(Claim.objects.select_related("competent_agency", "field"), pk=pk)
    return render(request, "factcheck/claim_detail.html", _context(user, claim))


@login_required
@require_POST
def claim_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    claim = get_object_or_404(Claim, pk=pk)
    step = STEPS.get(action)
    if step is None:
        raise Http404
    rebuttal = Rebuttal.objects.filter(claim=claim).first()
    target = rebuttal if action in ("confirm", "return") else claim
    if target is None:
        raise Http404
    policy.require(user, step.permission, target)
    form = step.form(request.POST, prefix=action)
    if form.is_valid():
        try:
            step.run(claim, rebuttal, user, form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, str(step.done))
            return redirect("factcheck:claim_detail", pk=claim.pk)
    claim.refresh_from_db()
    messages.error(request, _("Chưa thực hiện được: vui lòng xem lỗi bên dưới."))
    return render(
        request, "factcheck/claim_detail.html", _context(user, claim, {action: form}), status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def signal_rebuttals(request: HttpRequest, pk: int, rebuttal: int | None = None) -> HttpResponse:
    """A signal matched to rebutted claims: the existing rebuttals, and the one-step answer."""
    user = _user(request)
    signal = get_object_or_404(Signal.objects.select_related("issue"), pk=pk)
    issue = signal.issue
    if issue is not None and not policy.can(user, "cases.issue_view", issue):
        raise Http404
    if request.method == "POST":
        chosen = get_object_or_404(Rebuttal, pk=rebuttal)
        try:
            services.answer_with_rebuttal(by=user, signal=signal, rebuttal=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Đã trả lời vấn đề bằng bài phản bác."))
            assert issue is not None
            return redirect("cases:issue_detail", pk=issue.pk)
    can_answer = issue is not None and policy.can(user, "cases.issue_answer", issue)
    return render(
        request,
        "factcheck/signal_rebuttals.html",
        {
            "signal": signal,
            "rebuttals": selectors.rebuttals_for_signal(signal=signal),
            "can_answer": can_answer,
        },
        status=400 if request.method == "POST" else 200,
    )
