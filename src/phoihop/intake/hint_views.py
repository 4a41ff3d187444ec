"""The small JSON endpoint behind the feedback form's as-you-type hints."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from phoihop.intake import hints


def _rate(group: str, request: HttpRequest) -> str:
    return str(settings.PHOIHOP_HINTS_RATE)


@ratelimit(key="ip", rate=_rate, method="GET", block=False)
@require_GET
def feedback_hints(request: HttpRequest) -> JsonResponse:
    """`?q=` the text typed so far → the closest public issues (title, link, status, place)."""
    if getattr(request, "limited", False):
        return JsonResponse(
            {"error": _("Bạn tra cứu quá nhanh. Vui lòng thử lại sau ít giây.")}, status=429
        )
    found = hints.similar_public_issues(text=request.GET.get("q", "")[:2000])
    response = JsonResponse(
        {
            "hints": [
                {
                    "kind": h.kind,
                    "title": h.title,
                    "url": h.url,
                    "excerpt": h.excerpt,
                    "status": h.status,
                    "place": h.place,
                }
                for h in found
            ]
        }
    )
    response["Cache-Control"] = "no-store"
    return response
