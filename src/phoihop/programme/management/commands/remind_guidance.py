"""`phoihop remind-guidance`: queue reminders for guidance that network members have not
acknowledged (e.g. from cron, hourly)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.programme import network_services
from phoihop.programme.tasks import remind_unacknowledged_guidance


class Command(BaseCommand):
    help = "Nhắc thành viên mạng lưới chưa xác nhận tiếp nhận định hướng (qua hàng đợi nền)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="chạy ngay, không qua hàng đợi")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = network_services.remind_unacknowledged()
            self.stdout.write(f"Đã nhắc {count} lượt thành viên chưa xác nhận định hướng.")
            return
        result = remind_unacknowledged_guidance.enqueue()
        self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
