"""`phoihop load-demo`: the demo province, PHOIHOP_PROVINCE_CODE (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from phoihop.demo.core import DEMO_PASSWORD, DEMO_TOTP_SECRET, USERS
from phoihop.demo.loader import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của tỉnh đã cấu hình (chạy lại nhiều lần không tạo trùng)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_demo()
        self.stdout.write(
            f"Dữ liệu mẫu: {counts['agencies']} cơ quan, {counts['users']} người dùng, "
            f"{counts['new_issues']} vấn đề mới."
        )
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, full_name, _position, agency, role in USERS:
            self.stdout.write(f"  {username:<15} {role:<14} {agency:<10} {full_name}")
        self.stdout.write(
            "Điều phối, lãnh đạo và quản trị cần xác thực hai bước: thêm khóa mẫu "
            f"{DEMO_TOTP_SECRET} vào ứng dụng xác thực, hoặc chạy `phoihop demo-otp` để lấy mã."
        )
