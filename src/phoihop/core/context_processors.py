"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from phoihop.core import policy, province


def workspace(request: HttpRequest) -> dict[str, Any]:
    # Error pages can be rendered before AuthenticationMiddleware ran (a request for a host
    # not in ALLOWED_HOSTS is refused by CommonMiddleware): then there is no user yet.
    user = getattr(request, "user", None)
    if user is None:
        return {"is_coordinator": False, "is_administrator": False}
    return {
        "is_coordinator": policy.is_coordinator(user),
        "is_administrator": policy.is_administrator(user),
    }


def configured_province(request: HttpRequest) -> dict[str, Any]:
    """The province the installation serves (PHOIHOP_PROVINCE_CODE), for the public layout."""
    return {"province": province.current()}
