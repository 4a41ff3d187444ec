"""The `phoihop` console script: Django management commands with the project's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    # Commands are spelled with hyphens on the command line (`phoihop verify-audit`).
    command_at = 2 if len(args) > 2 and args[1] == "help" else 1
    if len(args) > command_at and not args[command_at].startswith("-"):
        args[command_at] = args[command_at].replace("-", "_")
    args[0] = "phoihop"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
