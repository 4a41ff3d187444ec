"""The admin site: Vietnamese titles, and sections and their pages in Vietnamese alphabetical
order (Django sorts by code point, which puts «Đăng nhập sai…» after «Xác thực…»)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from phoihop.core.collation import sort_key


def _by_name(entry: dict[str, Any]) -> Any:
    return sort_key(str(entry["name"]), drop_prefix=False)


class AdminSite(admin.AdminSite):
    site_header = "phoihop — Quản trị hệ thống"
    site_title = "phoihop"
    index_title = "Cấu hình chương trình phối hợp"

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        sections = super().get_app_list(request, app_label)
        for section in sections:
            section["models"].sort(key=_by_name)
        return sorted(sections, key=_by_name)
