"""`phoihop report KIND --period P [--session ID] [--meeting ID] --format F --output FILE`."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phoihop.intake.models import CouncilSession
from phoihop.programme.models import Meeting
from phoihop.reports import services
from phoihop.reports.models import ReportDocument
from phoihop.reports.periods import parse_period


class Command(BaseCommand):
    help = (
        "Lập báo cáo (DOCX/PDF theo thể thức của cơ quan ban hành: Hướng dẫn 36-HD/VPTW "
        "hoặc Nghị định 30/2020/NĐ-CP) từ dữ liệu hiện có."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportDocument.Kind.values)
        parser.add_argument(
            "--period", default="", help="YYYY, YYYY-H1, YYYY-H2, YYYY-Qn hoặc YYYY-MM"
        )
        parser.add_argument("--session", type=int, help="mã kỳ họp HĐND")
        parser.add_argument("--meeting", type=int, help="mã hội nghị giao ban (thông báo kết luận)")
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        session = None
        if options["session"] is not None:
            session = CouncilSession.objects.filter(pk=options["session"]).first()
            if session is None:
                raise CommandError(f"Không có kỳ họp với mã {options['session']}.")
        meeting = None
        if options["meeting"] is not None:
            meeting = Meeting.objects.filter(pk=options["meeting"]).first()
            if meeting is None:
                raise CommandError(f"Không có hội nghị giao ban với mã {options['meeting']}.")
        try:
            period = parse_period(options["period"]) if options["period"] else None
            doc = services.build(
                kind=options["kind"], period=period, session=session, meeting=meeting
            )
        except (ValueError, ValidationError) as error:
            message = (
                "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            )
            raise CommandError(message) from error
        output: Path = options["output"]
        output.write_bytes(services.render(doc, options["format"]))
        self.stdout.write(f"Đã ghi {output} ({output.stat().st_size} byte).")
