from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "phoihop.cases"
    label = "cases"
    verbose_name = "Vấn đề và giao xử lý"

    def ready(self) -> None:
        from phoihop.cases import hot, permissions, queues, subscriptions, timeline
        from phoihop.core import audit_labels, inbox

        permissions.register()
        subscriptions.subscribe()
        inbox.register(hot.inbox_items)
        queues.register_all()
        audit_labels.register(timeline.TIMELINE_LABELS)
