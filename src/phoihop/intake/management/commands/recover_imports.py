"""`phoihop recover-imports [--requeue]`: web imports whose worker died are marked failed and,
with --requeue, queued again (from cron, e.g. every 10 min)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from phoihop.intake import services
from phoihop.intake.tasks import run_import


class Command(BaseCommand):
    help = "Phục hồi các lần nhập bị dừng giữa chừng (máy chủ xử lý nền ngừng đột ngột)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requeue", action="store_true", help="đưa lại vào hàng đợi")

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = services.import_batches_recover()
        for batch in recovered:
            if options["requeue"]:
                services.import_batch_retry(batch=batch, by=None)
                run_import.enqueue(batch.pk)
            self.stdout.write(_("Lần nhập #%(id)s: %(name)s") % {"id": batch.pk, "name": batch})
        self.stdout.write(_("Đã phục hồi %(n)s lần nhập.") % {"n": len(recovered)})
