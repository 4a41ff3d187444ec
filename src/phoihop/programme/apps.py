from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "phoihop.programme"
    label = "programme"
    verbose_name = "Chương trình phối hợp"
