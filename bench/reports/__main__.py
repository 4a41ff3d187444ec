"""Export benchmark: stream 50,000 issues to CSV and XLSX and show that memory stays flat.

    python -m bench.reports [--rows 50000]

Runs on a temporary SQLite database; prints rows/second and the peak of Python memory
(tracemalloc) during each export, at 10,000 rows and at the full size, and appends them to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="phoihop-bench-")
    os.environ["PHOIHOP_VAR_DIR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from phoihop.cases.models import Assignment, Issue
    from phoihop.core.models import Agency
    from phoihop.reports import exports

    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(code="so-bench", name="Sở thử tải", kind="department")
    today = timezone.localdate()
    batch = 5000
    for start in range(0, args.rows, batch):
        issues = Issue.objects.bulk_create(
            Issue(
                code=f"VD-B-{i:07d}",
                title=f"Vấn đề thử tải số {i} về đường giao thông",
                received_on=today,
                state="assigned",
                search_text=f"van de thu tai {i}",
            )
            for i in range(start, min(start + batch, args.rows))
        )
        Assignment.objects.bulk_create(
            Assignment(
                issue=issue,
                agency=agency,
                agency_name=agency.name,
                role="lead",
                deadline=today + dt.timedelta(days=10),
            )
            for issue in issues
        )

    results = []
    for size in sorted({min(10_000, args.rows), args.rows}):
        qs = Issue.objects.filter(pk__in=Issue.objects.order_by("id").values("id")[:size])
        for fmt in ("csv", "xlsx"):
            tracemalloc.start()
            began = time.perf_counter()
            rows = exports.issue_rows(qs)
            if fmt == "csv":
                written = sum(
                    len(chunk) for chunk in exports.csv_stream(exports.ISSUE_HEADER, rows)
                )
            else:
                handle = exports.xlsx_file(exports.ISSUE_HEADER, rows)
                written = len(handle.read())
                handle.close()
            seconds = time.perf_counter() - began
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results.append((size, fmt, seconds, size / seconds, peak / 2**20, written / 2**20))
            print(
                f"{fmt:5} {size:>7} rows: {seconds:6.2f} s, {size / seconds:8.0f} rows/s, "
                f"peak Python memory {peak / 2**20:6.1f} MiB, file {written / 2**20:.1f} MiB"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (incl. creating the data): {rss:.0f} MiB")

    if not args.no_append:
        lines = [
            f"\n## Export of issues (bench/reports) — {dt.date.today():%d/%m/%Y}\n",
            f"Machine: 2 cores, 24 GiB, Python {platform.python_version()}, SQLite. "
            f"Command: `python -m bench.reports --rows {args.rows}`\n",
            "| format | rows | seconds | rows/s | peak Python memory (MiB) | file (MiB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {f} | {n:,} | {s:.2f} | {r:,.0f} | {m:.1f} | {w:.1f} |"
            for n, f, s, r, m, w in results
        ]
        lines.append(
            f"\nProcess peak RSS including building the data: {rss:.0f} MiB. "
            "Peak memory at 10,000 and at the full size being close is what 'flat' means.\n"
        )
        with Path("bench/RESULTS.md").open("a", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
    sys.exit(0)


if __name__ == "__main__":
    main()
