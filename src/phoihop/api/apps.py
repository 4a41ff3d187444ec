from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "phoihop.api"
    label = "api"
    verbose_name = "API tích hợp"
