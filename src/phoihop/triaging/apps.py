from django.apps import AppConfig


class TriagingConfig(AppConfig):
    name = "phoihop.triaging"
    label = "triaging"
    verbose_name = "Phân loại, ghép nhóm ý kiến"

    def ready(self) -> None:
        from phoihop.triaging import permissions, subscriptions

        permissions.register()
        subscriptions.connect()
