"""Login (one view for the workspace and the admin site), its throttling, and the second
factor.

Throttling: django-axes counts failed logins per account *and* address; after
PHOIHOP_LOGIN_FAILURES failures that pair is refused for PHOIHOP_LOGIN_COOLOFF_MINUTES, so an
attacker elsewhere cannot lock the real owner out. A plain per-address rate limit still
slows a flood from one address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    HttpResponseForbidden,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render, resolve_url
from django.template import loader
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_ratelimit.decorators import ratelimit

from phoihop.core import audit, twofactor
from phoihop.core.models import User

LOCKED = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.")


@method_decorator(
    ratelimit(key="ip", rate=settings.PHOIHOP_LOGIN_RATE, method="POST", block=False),
    name="post",
)
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if getattr(request, "limited", False):
            return locked_out(request)
        return super().post(request, *args, **kwargs)


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The login page again, with a Vietnamese message and 429 (also django-axes' lockout)."""
    form = AuthenticationForm(request)
    return render(
        request,
        "core/login.html",
        {"form": form, "rate_limited": LOCKED, "next": request.POST.get("next", "")},
        status=429,
    )


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's login is the same view as everyone's (throttled, two-factor). Someone
    already signed in who still lands here may not use the admin: a refusal, not a redirect
    back to the login page (which sends a signed-in person on to `next`: a loop)."""
    if request.user.is_authenticated:
        raise PermissionDenied(_("Tài khoản của bạn không có quyền vào trang quản trị."))
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"/dang-nhap/?{query}" if query else "/dang-nhap/?next=/quan-tri/")


class LogoutView(auth_views.LogoutView):
    pass


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """«Xác thực hai bước»: enrol an authenticator app the first time, then enter a code."""
    user = request.user
    assert isinstance(user, User)
    if twofactor.is_verified(request) or not twofactor.required_for(user):
        return redirect(_next(request))
    device = twofactor.confirmed_device(user)
    error = ""
    if device is None:
        pending = twofactor.pending_device(user)
        wait = twofactor.seconds_to_wait(pending) if request.method == "POST" else 0
        if wait:
            error = twofactor.throttled_message(wait)
        elif request.method == "POST":
            codes = twofactor.confirm_enrolment(
                user=user, device=pending, code=request.POST.get("code", "")
            )
            if codes is not None:
                otp_login(request, pending)
                return render(
                    request,
                    "core/two_factor_codes.html",
                    {"codes": codes, "next": _next(request)},
                )
            error = _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trên ứng dụng.")
        return render(
            request,
            "core/two_factor_enrol.html",
            {
                "secret": twofactor.secret_base32(pending),
                "uri": pending.config_url,
                "qr": twofactor.qr_code(pending.config_url),
                "error": error,
                "next": _next(request),
            },
            status=400 if error else 200,
        )
    # measured before the attempt: a wrong code starts the wait, which the next one may meet
    wait = twofactor.seconds_to_wait(device) if request.method == "POST" else 0
    if request.method == "POST":
        matched = match_token(user, request.POST.get("code", "").replace(" ", ""))
        if matched is not None:
            otp_login(request, matched)
            audit.record(
                actor=user,
                action="auth.2fa.verify",
                target=user,
                method="recovery" if matched.__class__.__name__ == "StaticDevice" else "totp",
            )
            return redirect(_next(request))
        error = (
            twofactor.throttled_message(wait)
            if wait
            else _(
                "Mã không đúng hoặc đã dùng. Hãy thử lại "
                "(sau mỗi lần sai cần đợi lâu hơn một chút)."
            )
        )
    return render(
        request,
        "core/two_factor_verify.html",
        {"error": error, "next": _next(request)},
        status=400 if error else 200,
    )


# Error pages. Django's own handlers run the CSRF check again on the error page (to offer a
# token to its template); that check reads the request body, so a body Django could not read
# (a form posted in windows-1258) raised once more inside the 400 handler, then inside the 500
# handler, and the server answered its bare 500. These pages need no token.


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"exception": str(exception or "")}
    return HttpResponseForbidden(loader.render_to_string("403.html", context, request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever failed may fail again while rendering it.
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_GET
def favicon(request: HttpRequest) -> HttpResponseBase:
    """/favicon.ico, which browsers ask for beside pages that name no icon (a feed, a PDF);
    pages name phoihop/icon.svg."""
    path = finders.find("phoihop/favicon.ico")
    if not isinstance(path, str):
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response
