from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "phoihop.cases"
    label = "cases"
    verbose_name = "Vấn đề và giao xử lý"

    def ready(self) -> None:
        from phoihop.cases import queues

        queues.register_all()
