"""`phoihop create-token USER --name NAME`: an API token for an integration, shown once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.api.services import token_create
from phoihop.core.models import User


class Command(BaseCommand):
    help = "Tạo khóa API cho một người dùng (khóa chỉ hiển thị một lần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="tich-hop", help="tên tích hợp")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{options['username']}».")
        _token, key = token_create(user=user, name=options["name"])
        self.stdout.write(key)
