"""`phoihop verify-audit [--checkpoint]`: walk the keyed hash chain of the audit log, compare
its head with the signed checkpoint outside the database, and report the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.core.audit import checkpoint_file, verify_chain, write_checkpoint

REASONS = {
    "prev_hash": "liên kết với sự kiện trước bị cắt",
    "hash": "nội dung hoặc mã băm bị sửa",
    "checkpoint": "không khớp điểm kiểm tra đã ký (sự kiện mới nhất bị xóa hoặc chuỗi bị viết lại)",
}


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký kiểm toán (chuỗi băm có khóa và điểm kiểm tra)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="Nếu chuỗi toàn vẹn, ghi điểm kiểm tra mới (chạy định kỳ, ví dụ cron mỗi giờ).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Nhật ký bị sửa đổi: liên kết hỏng đầu tiên ở sự kiện #{report.broken_at} "
                f"({REASONS.get(report.reason, report.reason)}); "
                f"{report.checked} sự kiện trước đó hợp lệ."
            )
        self.stdout.write(f"Nhật ký kiểm toán toàn vẹn: {report.checked} sự kiện.")
        if options["checkpoint"] and write_checkpoint() is not None:
            self.stdout.write(f"Đã ghi điểm kiểm tra: {checkpoint_file()}")
