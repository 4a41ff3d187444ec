from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "phoihop.programme"
    label = "programme"
    verbose_name = "Chương trình phối hợp"

    def ready(self) -> None:
        from phoihop.core import inbox
        from phoihop.programme import permissions, subscriptions
        from phoihop.programme.inbox import programme_work

        permissions.register()
        subscriptions.subscribe()
        inbox.register(programme_work)
