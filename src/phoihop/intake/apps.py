from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "phoihop.intake"
    label = "intake"
    verbose_name = "Tiếp nhận ý kiến, kiến nghị"

    def ready(self) -> None:
        from phoihop.intake import permissions

        permissions.register()
