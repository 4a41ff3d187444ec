"""Streaming exports of filtered lists: CSV row by row, XLSX through openpyxl's write-only
mode into a temporary file. Memory stays flat whatever the number of rows.

Rows carry dates and times as values, in local time (settings.TIME_ZONE): XLSX writes them as
real Excel dates shown dd/mm/yyyy (they sort and filter as dates), CSV as dd/mm/yyyy text."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from phoihop.cases.models import Assignment, Issue
from phoihop.intake.files import spreadsheet_safe
from phoihop.intake.models import Signal
from phoihop.intake.selectors import source_label

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (intake's rule, one definition)."""
    return spreadsheet_safe(value) if isinstance(value, str) else value


ISSUE_HEADER = [
    "Mã",
    "Tiêu đề",
    "Lĩnh vực",
    "Địa bàn",
    "Độ khẩn",
    "Mức độ công khai",
    "Trạng thái",
    "Ngày tiếp nhận",
    "Cơ quan chủ trì",
    "Hạn xử lý",
    "Kết quả",
]
SIGNAL_HEADER = ["Kênh", "Nguồn", "Nội dung", "Địa bàn", "Thời điểm tiếp nhận", "Vấn đề"]


def issue_rows(issues: QuerySet[Issue]) -> Iterator[list[Any]]:
    labels = {
        "state": dict(Issue.State.choices),
        "urgency": dict(Issue.Urgency.choices),
        "visibility": dict(Issue.Visibility.choices),
        "outcome": dict(Issue.Outcome.choices),
    }
    lead = (
        Assignment.objects.filter(issue=OuterRef("pk"), role=Assignment.Role.LEAD)
        .exclude(state__in=["returned", "transferred", "cancelled"])
        .order_by("-id")
    )
    # values() + iterator(): no model instances, no prefetch cache growing with the list.
    rows = (
        issues.order_by("id")
        .annotate(
            lead_name=Subquery(lead.values("agency_name")[:1]),
            lead_deadline=Subquery(lead.values("deadline")[:1]),
        )
        .values_list(
            "code",
            "title",
            "field__name",
            "place__name",
            "urgency",
            "visibility",
            "state",
            "received_on",
            "lead_name",
            "lead_deadline",
            "outcome",
        )
    )
    for (
        code,
        title,
        field,
        place,
        urgency,
        visibility,
        state,
        received,
        lead_name,
        deadline,
        outcome,
    ) in rows.iterator(chunk_size=2000):
        yield [
            code,
            title,
            field or "",
            place or "",
            str(labels["urgency"].get(urgency, "")),
            str(labels["visibility"].get(visibility, "")),
            str(labels["state"].get(state, "")),
            received,
            lead_name or "",
            deadline,
            str(labels["outcome"].get(outcome, "")),
        ]


def signal_rows(signals: QuerySet[Signal]) -> Iterator[list[Any]]:
    channels = dict(Signal.Channel.choices)
    rows = signals.order_by("id").values_list(
        "channel",
        "source",
        "metadata",
        "round__name",
        "text",
        "place__name",
        "received_at",
        "issue__code",
    )
    for channel, source, metadata, round_name, text, place, received, issue in rows.iterator(
        chunk_size=2000
    ):
        yield [
            str(channels.get(channel, channel)),
            source_name(source, metadata, round_name),
            text,
            place or "",
            # the time staff saw on the signal's page, not the stored UTC
            timezone.localtime(received).replace(tzinfo=None),
            issue or "",
        ]


def source_name(source: str, metadata: dict[str, Any] | None, round_name: str | None) -> str:
    """The source as the signal list names it: a petition's voter-contact round («Tiếp xúc cử
    tri trước Kỳ họp thứ 5…»), else intake's words for the source («Mạng xã hội Facebook»),
    never the stored key («kien-nghi:…», «mxh:facebook:…»)."""
    if round_name:
        return round_name
    return source_label(source, metadata)


def _text(value: Any) -> Any:
    """A CSV cell: dates and times as Vietnamese read them; text safe from formulas."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return safe_cell(value)


def _cell(sheet: Any, value: Any) -> Any:
    """An XLSX cell: dates and times as real Excel dates with a dd/mm/yyyy format."""
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
        return cell
    return safe_cell(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV lines one at a time, UTF-8 with BOM so that Excel reads Vietnamese correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_text(value) for value in row])


def xlsx_file(header: list[str], rows: Iterable[list[Any]]) -> IO[bytes]:
    """A temporary XLSX file written row by row (openpyxl write-only), rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dữ liệu")
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
