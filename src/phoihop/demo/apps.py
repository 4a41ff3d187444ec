from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province: loaded by calling every app's services (`phoihop load-demo`). It
    sits above every app; no app imports it."""

    name = "phoihop.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
