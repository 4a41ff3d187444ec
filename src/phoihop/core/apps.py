from django.apps import AppConfig
from django.db.backends.signals import connection_created

from phoihop.core.auditguard import register_sqlite_functions


class CoreConfig(AppConfig):
    name = "phoihop.core"
    label = "core"
    verbose_name = "Danh mục và phân quyền"

    def ready(self) -> None:
        # The SQL function the audit log's DELETE trigger asks (migration 0004).
        connection_created.connect(register_sqlite_functions, dispatch_uid="phoihop-audit-sqlite")
