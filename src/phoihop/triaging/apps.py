from django.apps import AppConfig


class TriagingConfig(AppConfig):
    name = "phoihop.triaging"
    label = "triaging"
    verbose_name = "Phân loại, ghép nhóm ý kiến"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.core import audit_labels
        from phoihop.triaging import permissions, subscriptions

        permissions.register()
        subscriptions.connect()
        # proposal.* and cluster.* are named by cases (an issue's history shows them)
        audit_labels.register({"signal.triage": _("Tự động đề xuất phân loại, ghép nhóm")})
