from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "phoihop.reports"
    label = "reports"
    verbose_name = "Báo cáo, thống kê"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from phoihop.core import audit_labels
        from phoihop.reports import permissions

        permissions.register()
        audit_labels.register(
            {
                "report.draft": _("Lập dự thảo báo cáo"),
                "report.edit": _("Sửa dự thảo báo cáo"),
                "report.issue": _("Ban hành báo cáo"),
            }
        )
