"""`phoihop poll-feeds`: queue the reading of the news feeds (from cron, e.g. every 15 min)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from phoihop.intake import services
from phoihop.intake.tasks import poll_feeds


class Command(BaseCommand):
    help = "Lấy tin mới từ các nguồn RSS/Atom đang theo dõi (đưa vào hàng đợi xử lý nền)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="chạy ngay, không qua hàng đợi")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = services.feeds_poll()
            self.stdout.write(_("Đã lưu %(n)s bài báo mới.") % {"n": count})
            return
        result = poll_feeds.enqueue()
        self.stdout.write(_("Đã đưa vào hàng đợi: %(id)s") % {"id": result.id})
