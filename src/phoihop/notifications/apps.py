from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "phoihop.notifications"
    label = "notifications"
    verbose_name = "Thông báo"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.core import audit_labels
        from phoihop.notifications import subscriptions

        subscriptions.connect()
        audit_labels.register({"notification.retry": _("Gửi lại thông báo")})
