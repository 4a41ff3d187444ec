from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "phoihop.api"
    label = "api"
    verbose_name = "API tích hợp"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.core import audit_labels

        audit_labels.register(
            {
                "api_token.create": _("Tạo khóa API"),
                "api_token.revoke": _("Thu hồi khóa API"),
            }
        )
