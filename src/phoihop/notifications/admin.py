"""The outbox in admin: every message sent (what, to whom, when, result); failures first."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from phoihop.core import policy
from phoihop.core.admin_base import ReadOnlyAdmin
from phoihop.notifications import services
from phoihop.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "purpose",
        "about",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "channel", "purpose")
    search_fields = ("recipient", "about", "subject")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["send_again"]
    list_display_links = ("created_at",)

    # Recipients are citizens' e-mails and phone numbers: administrators only.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return policy.is_administrator(request.user)

    @admin.action(description=_("Gửi lại các thư, tin nhắn gửi lỗi đã chọn"), permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        again = 0
        for delivery in queryset.filter(status=Delivery.Status.FAILED):
            try:
                services.delivery_retry(delivery=delivery, by=request.user)  # type: ignore[arg-type]
            except ValidationError:
                continue
            again += 1
        self.message_user(
            request,
            _("Đã đưa %(n)s thư, tin nhắn vào hàng gửi lại.") % {"n": again},
            messages.SUCCESS,
        )
