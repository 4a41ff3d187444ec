"""`phoihop link-project-mentions`: queue the linking of new signals and issues to key
projects by their keywords (e.g. from cron, daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.programme import project_services
from phoihop.programme.tasks import link_project_mentions


class Command(BaseCommand):
    help = "Gắn tín hiệu, vấn đề mới với các dự án trọng điểm theo từ khóa (qua hàng đợi nền)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="chạy ngay, không qua hàng đợi")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            count = project_services.projects_link_mentions()
            self.stdout.write(f"Đã gắn {count} tín hiệu, vấn đề với dự án trọng điểm.")
            return
        result = link_project_mentions.enqueue()
        self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
