"""`phoihop triage-engine [--rebuild]`: load (or rebuild) the partition's triage engine the
way the worker does, snapshot it, and say how long it took and what it holds."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.triaging import runtime


class Command(BaseCommand):
    help = "Nạp hoặc dựng lại bộ phân loại của phân vùng, lưu bản chụp và báo thời gian."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="dựng lại từ cơ sở dữ liệu, bỏ bản lưu"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["rebuild"]:
            runtime.snapshot_path().unlink(missing_ok=True)
        held = runtime.load()
        source = "bản lưu"
        if held is None:
            held = runtime.build()
            source = "cơ sở dữ liệu"
        runtime.sync(held)
        seconds = time.perf_counter() - started
        runtime.save(held)
        signals = f"{len(held.engine.signal_issue):,}".replace(",", ".")
        groups = f"{len(held.engine.index.issues):,}".replace(",", ".")
        took = f"{seconds:.1f}".replace(".", ",")
        self.stdout.write(
            f"Bộ phân loại phân vùng {runtime.partition()}: {signals} ý kiến, {groups} nhóm; "
            f"nạp từ {source} trong {took} giây (seconds={seconds:.3f})"
        )
