"""Login and logout, with the login form rate-limited per address and per user name."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit


@method_decorator(
    ratelimit(key="ip", rate=settings.PHOIHOP_LOGIN_RATE, method="POST", block=False),
    name="post",
)
@method_decorator(
    ratelimit(key="post:username", rate=settings.PHOIHOP_LOGIN_RATE, method="POST", block=False),
    name="post",
)
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if getattr(request, "limited", False):
            response = self.render_to_response(
                {
                    **self.get_context_data(form=self.get_form()),
                    "rate_limited": _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút."),
                },
                status=429,
            )
            return response
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass
