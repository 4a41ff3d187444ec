"""`{% notification_bell %}` for the staff header and `{% resolution_question code %}` for
the public look-up page (templates load them by name: no import between apps)."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.core.models import User
from phoihop.notifications import selectors, services

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    count = (
        selectors.unread_count(user=user) if isinstance(user, User) and user.is_authenticated else 0
    )
    return {"count": count, "request": context["request"]}


@register.inclusion_tag("notifications/_resolution_question.html", takes_context=True)
def resolution_question(context: dict[str, Any], code: str) -> dict[str, Any]:
    return {"ask": services.feedback_for_code(code=code), "csrf_token": context.get("csrf_token")}
