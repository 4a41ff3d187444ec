from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "phoihop.core"
    label = "core"
    verbose_name = "Danh mục và phân quyền"
