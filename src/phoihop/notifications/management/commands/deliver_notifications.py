"""`phoihop deliver-notifications`: drain the outbox now, or queue a drain (cron every few
minutes as a safety net: a worker killed mid-batch leaves claims that the next drain takes
over once their lease is over)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.notifications import services
from phoihop.notifications.tasks import deliver


class Command(BaseCommand):
    help = "Gửi các thư, tin nhắn đang chờ (đưa vào hàng đợi, hoặc --now: gửi ngay)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="gửi ngay trong tiến trình này")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["now"]:
            self.stdout.write(f"Đã đưa vào hàng đợi: {deliver.enqueue().id}")
            return
        sent = failed = 0
        while True:
            drained = services.deliver_due()
            sent, failed = sent + drained.sent, failed + drained.failed
            if drained.claimed == 0:
                break
        self.stdout.write(f"Đã gửi {sent}, lỗi {failed}.")
