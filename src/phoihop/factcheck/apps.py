from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "phoihop.factcheck"
    label = "factcheck"
    verbose_name = "Phản bác thông tin sai sự thật"

    def ready(self) -> None:
        from phoihop.core import inbox
        from phoihop.factcheck.inbox import factcheck_work

        inbox.register(factcheck_work)
