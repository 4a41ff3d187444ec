"""`phoihop demo-otp`: the current two-factor code of the demo accounts (demo key only)."""

from typing import Any

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from phoihop.demo.core import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "In mã xác thực hai bước hiện tại của các tài khoản mẫu (chỉ dùng cho bản demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
        self.stdout.write(f"{totp.token():06d}")
