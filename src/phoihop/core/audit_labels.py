"""What each audit action is called in Vietnamese, for the admin's log: core owns the registry
and each app registers the names of its own actions from its `AppConfig.ready()`, so the
admin never imports an app above core (STYLE.md example 13)."""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phoihop.core.text import in_sentence

ACTION_LABELS: dict[str, str | Promise] = {
    "agency.merge": _("Sáp nhập, đổi tên cơ quan"),
    "membership.grant": _("Giao vai trò trong cơ quan"),
    "auth.2fa.enrol": _("Đăng ký xác thực hai bước"),
    "auth.2fa.verify": _("Xác thực hai bước"),
}

# «<app>.<model>.<verb>», written for every edit made in admin (core.admin_base)
ADMIN_VERBS: dict[str, str | Promise] = {
    "create": _("Thêm"),
    "change": _("Sửa"),
    "delete": _("Xóa"),
    "password": _("Đổi mật khẩu"),
}


def register(labels: Mapping[str, str | Promise]) -> None:
    """Name an app's audit actions (called once, from the app's `ready()`)."""
    ACTION_LABELS.update(labels)


def label_of(action: str) -> str:
    """The Vietnamese name of an action; an action nobody named is shown as it is stored."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    app_label, _dot, rest = action.partition(".")
    model_name, _dot, verb = rest.partition(".")
    if verb in ADMIN_VERBS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return action
        return f"{ADMIN_VERBS[verb]} {in_sentence(str(model._meta.verbose_name))} ({_('quản trị')})"
    return action
