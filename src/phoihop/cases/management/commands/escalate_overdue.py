"""`phoihop escalate-overdue`: queue the escalation of overdue work (e.g. from cron, daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.cases import services
from phoihop.cases.tasks import escalate_overdue


class Command(BaseCommand):
    help = "Báo cáo các việc quá hạn cho cơ quan điều phối (đưa vào hàng đợi xử lý nền)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="chạy ngay, không qua hàng đợi")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = services.escalate_overdue()
            self.stdout.write(f"Đã báo cáo {count} việc quá hạn.")
            return
        result = escalate_overdue.enqueue()
        self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
