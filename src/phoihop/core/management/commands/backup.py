"""`phoihop backup PATH`: database, media and audit checkpoint, with a signed manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu, tệp đính kèm và điểm kiểm tra nhật ký vào một thư mục mới."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        events = (manifest["audit"] or {}).get("count", 0)
        self.stdout.write(
            f"Đã sao lưu vào {options['path']}: {len(manifest['files'])} tệp, "
            f"{events} sự kiện kiểm toán."
        )
