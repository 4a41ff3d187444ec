from django.contrib import admin

from phoihop.api.models import ApiToken
from phoihop.core.admin_base import AuditedAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    # the key's hash is never copied into the audit log
    audited_fields = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: object) -> bool:
        return False  # tokens are made with `phoihop create-token`, which shows the key once
