"""`phoihop send-digests`: queue the staff's daily digest (Celery beat at 07:00, or cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.notifications import services
from phoihop.notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Gửi thư tổng hợp thông báo hằng ngày cho cán bộ đã đăng ký (đưa vào hàng đợi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="chạy ngay, không qua hàng đợi")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(f"Đã đưa {services.digests_send()} thư tổng hợp vào hàng gửi.")
            return
        self.stdout.write(f"Đã đưa vào hàng đợi: {send_digests.enqueue().id}")
