"""The `phoihop` console script: Django management commands with the project's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    # Commands are spelled with hyphens on the command line (`phoihop verify-audit`).
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "phoihop"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
