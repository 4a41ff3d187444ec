"""Thin views: the staff bell's list, the citizen's «đã được giải quyết chưa?» page and
the Zalo OA webhook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from phoihop.core.web import staff_user
from phoihop.notifications import channels, selectors, services


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    page = Paginator(selectors.notifications_for(user=user), 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": selectors.unread_count(user=user),
            "preference": selectors.preference_of(user=user),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    services.mark_read(user=user, ids=ids or None)
    target = request.POST.get("next", "")
    if target.startswith("/cong-viec/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    try:
        services.preference_set(user=user, daily_digest=request.POST.get("daily_digest") == "on")
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Đã lưu tùy chọn nhận thư tổng hợp."))
    return redirect("notifications:list")


@ratelimit(key="ip", rate="30/h", method="POST", block=False)
@require_http_methods(["GET", "POST"])
def resolution(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's one-click answer. The links in the answer message open this page with
    the choice made; «Có» and «Chưa» (with a reason) are sent by one button (POST: a mail
    scanner following links must not answer for the citizen)."""
    ask = services.feedback_read(token=token)
    if ask is None:
        raise Http404
    choice = request.POST.get("tra-loi") or request.GET.get("tra-loi", "")
    error = ""
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = _("Bạn đã gửi quá nhiều lần, vui lòng thử lại sau.")
        elif choice not in ("co", "chua"):
            error = _("Xin chọn «Đã giải quyết» hoặc «Chưa giải quyết».")
        else:
            try:
                services.feedback_give(
                    token=token, resolved=choice == "co", reason=request.POST.get("ly-do", "")
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                return redirect("notifications:resolution", token=token)
        ask = services.feedback_read(token=token) or ask
    return render(
        request,
        "notifications/resolution.html",
        {"ask": ask, "choice": choice, "error": error},
        status=400 if error else 200,
    )


@csrf_exempt
@require_POST
def zalo_webhook(request: HttpRequest) -> HttpResponse:
    """Zalo OA events. Answered quickly (Zalo waits two seconds); refused unless signed."""
    if not channels.zalo_webhook_configured():
        raise Http404
    try:
        signal = services.zalo_inbound(
            body=request.body, signature=request.headers.get("X-ZEvent-Signature", "")
        )
    except services.WebhookRefused:
        return JsonResponse({"error": "chữ ký không hợp lệ"}, status=401)
    return JsonResponse({"ok": True, "tracking_code": signal.tracking_code if signal else None})
