"""Template filters of the portal."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from phoihop.portal.sanitize import clean_html as _clean

register = template.Library()


@register.filter
def clean_html(value: str) -> SafeString:
    """Sanitise stored rich text again when rendering (defence in depth)."""
    return mark_safe(_clean(value))  # noqa: S308 - nh3 output
