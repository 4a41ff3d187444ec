"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from phoihop.core import province


def configured_province(request: HttpRequest) -> dict[str, Any]:
    """The province the installation serves (PHOIHOP_PROVINCE_CODE), for the public layout."""
    return {"province": province.current()}
