"""The libraries' own sections of the admin, named in Vietnamese: Django's way to rename an
app is a subclass of its config in INSTALLED_APPS (labels, tables and migrations unchanged);
Django's admin app is configured the same way to use phoihop's admin site.
Their strings marked for translation are in locale/vi; model names they left unmarked are
named here. (A module of its own: in core/apps.py, a second config would stop Django picking
CoreConfig for phoihop.core.)"""

from typing import Any

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.timezone import localtime
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpAppConfig
from django_tasks_db.apps import TasksAppConfig

# django-otp's device fields, as the administrator enrolling staff reads them
DEVICE_FIELDS = {
    "user": "người dùng",
    "name": "tên thiết bị",
    "confirmed": "đã xác nhận",
    "created_at": "tạo lúc",
    "last_used_at": "dùng lần cuối lúc",
    "throttling_failure_timestamp": "lần nhập sai gần nhất lúc",
    "throttling_failure_count": "số lần nhập sai liên tiếp",
    "key": "khóa bí mật",
    "step": "chu kỳ mã (giây)",
    "t0": "mốc thời gian T0",
    "digits": "số chữ số",
    "tolerance": "số chu kỳ chấp nhận lệch",
    "drift": "độ lệch đồng hồ",
    "last_t": "chu kỳ dùng gần nhất",
    "device": "bộ mã",
    "token": "mã dự phòng",
}


def _name_model(config: AppConfig, model: str, singular: str, plural: str) -> None:
    meta = config.get_model(model)._meta
    meta.verbose_name, meta.verbose_name_plural = singular, plural
    for field in meta.get_fields():
        if field.name in DEVICE_FIELDS:
            field.verbose_name = DEVICE_FIELDS[field.name]  # type: ignore[union-attr]


def _token_title(token: Any) -> str:
    return f"Mã dự phòng số {token.pk}"


def _task_title(result: Any) -> str:
    """What the admin's breadcrumbs, titles and messages call a queued task."""
    name = result.task_name.rsplit(".", 1)[-1]
    return f"Tác vụ {name}, xếp hàng lúc {localtime(result.enqueued_at):%d/%m/%Y %H:%M}"


class AdminConfig(DjangoAdminConfig):
    default_site = "phoihop.core.admin_site.AdminSite"


class AxesConfig(AxesAppConfig):  # type: ignore[misc]  # untyped library
    verbose_name = "Đăng nhập sai, tạm khóa"


class OtpStaticConfig(OtpStaticAppConfig):  # type: ignore[misc]
    verbose_name = "Xác thực hai bước: mã dự phòng"

    def ready(self) -> None:
        super().ready()
        _name_model(self, "StaticDevice", "bộ mã dự phòng", "bộ mã dự phòng")
        _name_model(self, "StaticToken", "mã dự phòng", "mã dự phòng")
        # the models have no title of their own: the admin would say «StaticToken object (5)»
        self.get_model("StaticToken").__str__ = _token_title


class OtpTotpConfig(OtpTotpAppConfig):  # type: ignore[misc]
    verbose_name = "Xác thực hai bước: ứng dụng tạo mã"

    def ready(self) -> None:
        super().ready()
        _name_model(self, "TOTPDevice", "ứng dụng tạo mã (TOTP)", "ứng dụng tạo mã (TOTP)")


class TasksConfig(TasksAppConfig):
    verbose_name = "Tác vụ nền"

    def ready(self) -> None:
        super().ready()
        self.get_model("DBTaskResult").__str__ = _task_title  # type: ignore[method-assign]
