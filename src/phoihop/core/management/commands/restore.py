"""`phoihop restore PATH`: check the manifest, put everything back, verify the audit chain."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục từ bản sao lưu: kiểm tra bản kê (chữ ký, mã băm), chép lại cơ sở dữ liệu, "
        "tệp đính kèm, điểm kiểm tra, rồi kiểm tra chuỗi nhật ký kiểm toán."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Đã khôi phục: {len(report.files)} tệp, nhật ký kiểm toán toàn vẹn "
            f"({report.events} sự kiện)."
        )
