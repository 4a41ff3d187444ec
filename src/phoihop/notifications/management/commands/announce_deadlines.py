"""`phoihop announce-deadlines`: daily, warn of work due in two working days and escalate
overdue work (Celery beat, or cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from phoihop.notifications.tasks import announce_deadlines


class Command(BaseCommand):
    help = "Nhắc việc sắp đến hạn (2 ngày làm việc) và báo việc quá hạn (đưa vào hàng đợi)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Đã đưa vào hàng đợi: {announce_deadlines.enqueue().id}")
