import contextlib
from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created

from phoihop.core import writes
from phoihop.core.auditguard import register_sqlite_functions


class CoreConfig(AppConfig):
    name = "phoihop.core"
    label = "core"
    verbose_name = "Danh mục và phân quyền"

    def ready(self) -> None:
        # The SQL function the audit log's DELETE trigger asks (migration 0004).
        connection_created.connect(register_sqlite_functions, dispatch_uid="phoihop-audit-sqlite")
        # Committed writes bump the staff data's generation (cached work lists, pickers).
        connection_created.connect(writes.watch_connection, dispatch_uid="phoihop-writes")
        # WhiteNoise expects the static files folder even when it serves from the finders;
        # settings create no folder on import, so start-up does (an unwritable var/ is left
        # to the code that writes there, which names the path).
        with contextlib.suppress(OSError):
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
