"""`phoihop import PATH --channel petitions|feedback|posts|news [--round NAME] [--only-valid]`.

Exit 0 and print how many signals were new and how many already known. With a bad row
(and without --only-valid) exit 1, store nothing, and print one «Dòng N: …» line per bad
row. PATH may also be the http(s) address of an RSS/Atom feed for --channel news.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from phoihop.intake import news, services
from phoihop.intake.files import max_file_bytes
from phoihop.intake.headers import header_key


class Command(BaseCommand):
    help = "Nhập tín hiệu từ tệp (XLSX, CSV, DOCX, JSONL) hoặc nguồn tin RSS/Atom."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="đường dẫn tệp, hoặc địa chỉ RSS/Atom với --channel news")
        parser.add_argument("--channel", required=True, choices=list(services.CHANNELS))
        parser.add_argument("--round", default="", help="tên đợt tiếp xúc cử tri (kiến nghị)")
        parser.add_argument(
            "--only-valid", action="store_true", help="nhập các dòng hợp lệ, bỏ qua dòng lỗi"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="TIÊU_ĐỀ=CỘT",
            help="ghép một tiêu đề cột lạ với cột đã biết, ví dụ «Ý kiến=content»",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["path"]
        try:
            if path.startswith(("http://", "https://")):
                data = news.fetch(path)
            else:
                file = Path(path)
                if not file.is_file():
                    raise CommandError(_("Không tìm thấy tệp %(path)s") % {"path": path})
                if file.stat().st_size > max_file_bytes():
                    raise CommandError(
                        _("Tệp quá lớn; giới hạn là %(n)s MB.") % {"n": max_file_bytes() // 2**20}
                    )
                data = file.read_bytes()
            mapping = {}
            for item in options["map"]:
                header, _sep, key = item.partition("=")
                mapping[header_key(header)] = key.strip()
            report = services.import_file(
                data=data,
                filename=Path(path).name if not path.startswith("http") else path,
                channel=options["channel"],
                by=None,
                round_name=options["round"],
                only_valid=options["only_valid"],
                mapping=mapping or None,
                progress=self._progress,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write("")
        for line in report.errors:
            self.stderr.write(line)
        for line in report.warnings:
            self.stderr.write(_("Lưu ý — %(line)s") % {"line": line})
        if not report.stored:
            raise CommandError(report.summary())
        if report.round_name:
            self.stdout.write(_("Đợt tiếp xúc cử tri: %(name)s") % {"name": report.round_name})
        self.stdout.write(report.summary())
        self.stdout.write(_("Mới: %(n)s") % {"n": report.new})
        self.stdout.write(_("Đã có: %(n)s") % {"n": report.known})

    def _progress(self, phase: str, done: int, total: int) -> None:
        label = _("Đang kiểm tra") if phase == "check" else _("Đang ghi")
        if total:
            width = 30
            filled = width * min(done, total) // total
            text = f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            text = _("%(label)s: %(n)s dòng") % {"label": label, "n": done}
        stream: Any = self.stderr._out
        if getattr(stream, "isatty", lambda: False)():
            stream.write("\r" + text)
            stream.flush()
        elif done == total or done % 10_000 == 0:
            # Not a terminal (a log, a pipe): whole lines, now and then.
            stream.write(text + "\n")
