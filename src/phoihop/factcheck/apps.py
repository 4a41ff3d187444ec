from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "phoihop.factcheck"
    label = "factcheck"
    verbose_name = "Phản bác thông tin sai sự thật"
