"""Templates ask the one permission registry, never a rule of their own:
`{% load policy %}{% if request.user|can:"programme.manage" %}` for a verb about no one thing,
`{% can_on request.user "portal.article_edit" article as can_edit %}` for a verb about one."""

from __future__ import annotations

from typing import Any

from django import template

from phoihop.core import policy

register = template.Library()


@register.filter
def can(user: Any, verb: str) -> bool:
    return policy.can(user, verb)


@register.simple_tag
def can_on(user: Any, verb: str, obj: Any) -> bool:
    return policy.can(user, verb, obj)
