"""Template context shared by every staff page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from phoihop.core import policy


def workspace(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "is_coordinator": policy.is_coordinator(user),
        "is_administrator": policy.is_administrator(user),
    }
