"""GeoReport v2 endpoints: thin views over `open311.georeport`, XML or JSON by suffix."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.decorators import ratelimit

from phoihop.api.services import user_for_key
from phoihop.core import policy
from phoihop.open311 import formats, georeport
from phoihop.open311.georeport import Open311Error

View = Callable[..., HttpResponse]


def _spec_errors(*methods: str) -> Callable[[View], View]:
    """Allowed methods, the jurisdiction check, and Open311Error → the spec's error list."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = formats.errors(
                    fmt,
                    405,
                    f"Không hỗ trợ phương thức {request.method}; dùng {' hoặc '.join(methods)}.",
                )
                response["Allow"] = ", ".join(methods)
                return response
            params = request.POST if request.method == "POST" else request.GET
            try:
                georeport.check_jurisdiction(params.get("jurisdiction_id"))
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                return formats.errors(fmt, error.status, error.description)

        return wrapper

    return decorate


@_spec_errors("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [georeport.service_row(f) for f in georeport.services()]
    return formats.render(fmt, rows, root="services", item="service")


@_spec_errors("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    field = georeport.service(code)
    return formats.render(
        fmt, georeport.service_definition(field), root="service_definition", item="attribute"
    )


def _post_rate(group: str, request: HttpRequest) -> str:
    return str(settings.PHOIHOP_OPEN311_POST_RATE)


@csrf_exempt
@ratelimit(key="ip", rate=_post_rate, method="POST", block=False)
@_spec_errors("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    rows = georeport.requests(georeport.parse_filters(request.GET))
    return formats.render(fmt, rows, root="service_requests", item="request")


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    if getattr(request, "limited", False):
        raise Open311Error(429, "Gửi quá nhiều yêu cầu, vui lòng thử lại sau ít phút.")
    key = request.POST.get("api_key", "").strip()
    user = user_for_key(key) if key else None
    if user is None:
        raise Open311Error(403, "Cần khóa API (api_key) hợp lệ để gửi yêu cầu.")
    if not policy.can(user, "intake.signal_submit_api"):
        raise Open311Error(403, "Khóa API (api_key) này không được phép gửi yêu cầu.")
    row = georeport.create_request(by=user, params=request.POST)
    return formats.render(fmt, [row], root="service_requests", item="request")


@_spec_errors("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    row = georeport.request(request_id)
    return formats.render(fmt, [row], root="service_requests", item="request")


@_spec_errors("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    row = georeport.token(token)
    return formats.render(fmt, [row], root="service_requests", item="request")
