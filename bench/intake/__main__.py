"""Benchmark: import 100,000 petitions from a generated XLSX into a temporary SQLite database.

    python -m bench.intake [--rows 100000] [--no-append]

Reports rows per second for the whole import (checking pass, writing pass, audit) and for a
re-import (everything already known), with the process's peak resident memory (RSS) during
each import, and appends the numbers to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent.parent / "RESULTS.md"
PLACES = ["Phường Lương Văn Tri", "Xã Hoàng Văn Thụ", "Phường Tam Thanh", "Xã Cao Lộc"]
TOPICS = [
    "sửa chữa tuyến đường liên thôn bị xuống cấp nghiêm trọng sau mùa mưa lũ",
    "cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã nộp hồ sơ từ lâu",
    "đầu tư công trình cấp nước sạch tập trung cho các thôn vùng cao",
    "hỗ trợ giống cây trồng, vật nuôi cho các hộ bị thiệt hại do thiên tai",
]


def _rss_mib(field: str) -> float:
    """VmRSS (now) or VmHWM (peak since the last reset) of this process, in MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")  # resets VmHWM to the current RSS (Linux ≥ 4.0)
        return True
    except OSError:
        return False


def generate(path: Path, rows: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Kiến nghị")
    sheet.append(
        ["STT", "Nội dung kiến nghị", "Địa bàn", "Tổ đại biểu", "Ngày tiếp xúc", "Lĩnh vực"]
    )
    for n in range(1, rows + 1):
        sheet.append(
            [
                n,
                f"Cử tri đề nghị {TOPICS[n % len(TOPICS)]} (kiến nghị số {n})",
                PLACES[n % len(PLACES)],
                f"Tổ đại biểu số {n % 9 + 1}",
                f"{n % 28 + 1:02d}/10/2026",
                "Giao thông",
            ]
        )
    workbook.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="phoihop-bench-intake-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["PHOIHOP_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from phoihop.core.models import AdministrativeUnit
    from phoihop.intake import services
    from phoihop.intake.models import Signal

    province = AdministrativeUnit.objects.create(
        level="province", code=20, name="Tỉnh Lạng Sơn", search_name="tinh lang son"
    )
    for index, name in enumerate(PLACES):
        AdministrativeUnit.objects.create(
            level="commune", code=6000 + index, name=name, parent=province, search_name=name
        )

    xlsx = work / "kien_nghi_100k.xlsx"
    started = time.perf_counter()
    generate(xlsx, args.rows)
    generated_in = time.perf_counter() - started
    data = xlsx.read_bytes()
    print(
        f"Tệp: {args.rows:,} dòng, {len(data) / 2**20:.1f} MiB, tạo trong {generated_in:.1f} s",
        file=sys.stderr,
    )

    results: list[dict[str, Any]] = []
    for label in ("import", "re-import"):
        baseline = _rss_mib("VmRSS")
        has_peak = _reset_peak()
        started = time.perf_counter()
        report = services.import_file(
            data=data, filename=xlsx.name, channel="petitions", by=None, round_name="Bench"
        )
        seconds = time.perf_counter() - started
        peak = _rss_mib("VmHWM") if has_peak else float("nan")
        results.append(
            {
                "label": label,
                "rows": report.rows,
                "new": report.new,
                "known": report.known,
                "seconds": seconds,
                "rate": report.rows / seconds,
                "baseline": baseline,
                "peak": peak,
            }
        )
        print(
            f"{label}: {report.rows:,} dòng, mới {report.new:,}, đã có {report.known:,}, "
            f"{seconds:.1f} s, {report.rows / seconds:,.0f} dòng/s, RSS {baseline:.0f} → "
            f"đỉnh {peak:.0f} MiB",
        )
    assert Signal.objects.count() == args.rows

    if not args.no_append:
        lines = [
            "",
            f"## Intake: petitions from XLSX (bench/intake) — {dt.date.today():%d/%m/%Y}",
            "",
            f"Machine: 2 cores, 24 GiB, Python {platform.python_version()}, SQLite "
            f"(temporary file). Command: `python -m bench.intake --rows {args.rows}`. "
            f"File: {args.rows:,} rows, {len(data) / 2**20:.1f} MiB XLSX (openpyxl read-only, "
            "checked in one pass, written in a second pass in batches of 1,000 inside one "
            "transaction).",
            "",
            "| run | rows | new | already known | seconds | rows/s | RSS before (MiB) "
            "| peak RSS (MiB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results:
            lines.append(
                f"| {r['label']} | {r['rows']:,} | {r['new']:,} | {r['known']:,} | "
                f"{r['seconds']:.1f} | {r['rate']:,.0f} | {r['baseline']:.0f} | {r['peak']:.0f} |"
            )
        lines.append("")
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
