"""`phoihop verify-audit`: walk the hash chain of the audit log and report the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from phoihop.core.audit import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký kiểm toán (chuỗi băm)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Nhật ký bị sửa đổi: liên kết hỏng đầu tiên ở sự kiện #{report.broken_at} "
                f"({report.reason}); {report.checked} sự kiện trước đó hợp lệ."
            )
        self.stdout.write(f"Nhật ký kiểm toán toàn vẹn: {report.checked} sự kiện.")
