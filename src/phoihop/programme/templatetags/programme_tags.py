"""Template helpers of the programme: whether to offer an action, asked of the one policy."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.programme import permissions

register = template.Library()


@register.filter
def may(user: Any, action: str) -> bool:
    """`{% if request.user|may:"programme.manage" %}` — the same rule the service enforces."""
    return permissions.can(user, action)  # type: ignore[arg-type]
