"""The libraries' admin pages in Vietnamese where their admin classes hold literal English
(fieldset headings, computed columns): the same classes, re-registered with Vietnamese
labels. Core's admin calls ``register_in_vietnamese``: Django loads it after the libraries'
(INSTALLED_APPS order)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

FIELDSETS = {
    "Identity": "Thiết bị",
    "Timestamps": "Thời gian",
    "Configuration": "Cấu hình mã",
    "State": "Trạng thái",
    "Throttling": "Chặn đoán mã",
}


# what the device form says under each field (their own help texts are literal English)
DEVICE_HELP = {
    "user": "Người dùng sở hữu thiết bị này.",
    "name": "Tên dễ nhận biết của thiết bị, ví dụ «Điện thoại công vụ».",
    "confirmed": "Thiết bị đã sẵn sàng để dùng chưa?",
    "throttling_failure_timestamp": "Lần nhập mã sai gần nhất; để trống nếu lần gần nhất đúng.",
    "throttling_failure_count": "Số lần nhập mã sai liên tiếp.",
    "key": "Khóa bí mật dạng hệ 16, tối đa 40 byte.",
    "step": "Mỗi mã có hiệu lực trong bấy nhiêu giây.",
    "t0": "Thời điểm (Unix) bắt đầu đếm chu kỳ.",
    "digits": "Số chữ số của mỗi mã.",
    "tolerance": "Số chu kỳ trước hoặc sau vẫn chấp nhận.",
    "drift": "Số chu kỳ đồng hồ của thiết bị đã biết là lệch so với máy chủ.",
    "last_t": "Chu kỳ của mã đúng gần nhất; mã sau phải thuộc chu kỳ muộn hơn.",
}


# read-only fields shown through the methods below, without the model's English help text
SHOWN = {"created_at": "created", "last_used_at": "last_used"}


def _vietnamese(fieldsets: Any) -> list[tuple[str | None, dict[str, Any]]]:
    return [
        (
            FIELDSETS.get(name, name) if name else name,
            opts | {"fields": [SHOWN.get(f, f) for f in opts["fields"]]},
        )
        for name, opts in fieldsets
    ]


class DeviceAdminMixin:
    """Vietnamese help under the device form's fields; read-only times without English."""

    readonly_fields = ["created", "last_used"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["help_texts"] = DEVICE_HELP | kwargs.get("help_texts", {})
        return super().get_form(request, obj, **kwargs)  # type: ignore[misc]

    @admin.display(description="tạo lúc")
    def created(self, device: Any) -> Any:
        return device.created_at

    @admin.display(description="dùng lần cuối lúc")
    def last_used(self, device: Any) -> Any:
        return device.last_used_at


class VietnameseTOTPDeviceAdmin(DeviceAdminMixin, TOTPDeviceAdmin):  # type: ignore[misc]  # untyped library
    readonly_fields = [*DeviceAdminMixin.readonly_fields, "qrcode_link"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _vietnamese(super().get_fieldsets(request, obj))

    @admin.display(description="Mã QR")
    def qrcode_link(self, device: TOTPDevice) -> SafeString:
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, "Xem mã QR để quét")


class VietnameseStaticDeviceAdmin(DeviceAdminMixin, StaticDeviceAdmin):  # type: ignore[misc]
    fieldsets = _vietnamese(StaticDeviceAdmin.fieldsets)


class VietnameseTaskResultAdmin(DBTaskResultAdmin):
    list_display = tuple(  # type: ignore[assignment]
        "task" if column == "task_name" else column for column in DBTaskResultAdmin.list_display
    )

    @admin.display(description="Tác vụ")
    def task(self, result: DBTaskResult[Any, Any]) -> str:
        return result.task_name

    @admin.display(description="Lỗi (traceback)")
    def formatted_traceback(self, obj: DBTaskResult[Any, Any]) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description="Chạy sau lúc")
    def display_run_after(self, obj: DBTaskResult[Any, Any]) -> Any:
        return super().display_run_after(obj)


def register_in_vietnamese(site: admin.AdminSite) -> None:
    """Replace the libraries' registrations on ``site`` by the Vietnamese ones above."""
    for model, model_admin in (
        (TOTPDevice, VietnameseTOTPDeviceAdmin),
        (StaticDevice, VietnameseStaticDeviceAdmin),
        (DBTaskResult, VietnameseTaskResultAdmin),
    ):
        site.unregister(model)
        site.register(model, model_admin)
