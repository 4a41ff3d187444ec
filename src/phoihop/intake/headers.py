"""Column headers recognised by their Vietnamese names, whatever their case or diacritics."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import openpyxl
import openpyxl.styles
import openpyxl.utils
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from phoihop.triage.normalize import fold

_NON_WORD = re.compile(r"[^0-9a-z]+")


def header_key(value: Any) -> str:
    """«Nội dung kiến nghị», «NOI DUNG KIEN NGHI» and «nội_dung kiến-nghị» share one key."""
    if value is None:
        return ""
    text = str(value)
    # Headers, places and agency names repeat on every row: fold each distinct one once.
    return _folded_key(text) if len(text) <= 200 else _NON_WORD.sub(" ", fold(text)).strip()


@lru_cache(maxsize=8192)
def _folded_key(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    synonyms: tuple[str, ...]
    required: bool = False


PLACE = Column(
    "place",
    _("Địa bàn"),
    ("dia ban", "dia phuong", "xa phuong", "xa", "phuong", "don vi", "dia diem", "noi tiep xuc"),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "petitions": (
        Column("stt", _("STT"), ("stt", "tt", "so tt", "so thu tu")),
        Column(
            "content",
            _("Nội dung kiến nghị"),
            (
                "noi dung",
                "noi dung kien nghi",
                "kien nghi",
                "noi dung kien nghi cu tri",
                "y kien kien nghi",
                "y kien cu tri",
            ),
            required=True,
        ),
        PLACE,
        Column(
            "deputy",
            _("Đại biểu / Tổ đại biểu"),
            ("dai bieu", "to dai bieu", "dai bieu tiep xuc", "to dai bieu hdnd"),
        ),
        Column("date", _("Ngày tiếp xúc"), ("ngay", "ngay tiep xuc", "thoi gian tiep xuc")),
        Column("field", _("Lĩnh vực"), ("linh vuc",)),
        Column(
            "agency",
            _("Cơ quan giải quyết"),
            ("co quan giai quyet", "co quan", "co quan tham quyen", "co quan chu tri"),
        ),
    ),
    "feedback": (
        Column("stt", _("STT"), ("stt", "tt", "so tt", "so thu tu")),
        Column(
            "content",
            _("Nội dung phản ánh"),
            ("noi dung", "noi dung phan anh", "phan anh", "y kien", "noi dung kien nghi"),
            required=True,
        ),
        Column("title", _("Tiêu đề"), ("tieu de",)),
        Column("name", _("Họ tên"), ("ho ten", "ho va ten", "nguoi phan anh", "ten")),
        Column(
            "contact",
            _("Liên hệ"),
            ("lien he", "dien thoai", "so dien thoai", "sdt", "email", "thu dien tu"),
        ),
        PLACE,
        Column("date", _("Ngày phản ánh"), ("ngay", "ngay phan anh", "thoi gian", "ngay gui")),
    ),
    "posts": (
        Column("post_id", _("Mã bài đăng"), ("post id", "id", "ma bai", "ma bai dang")),
        Column("platform", _("Nền tảng"), ("platform", "nen tang", "mang xa hoi", "network")),
        Column(
            "author",
            _("Tài khoản đăng"),
            ("author", "author handle", "handle", "tac gia", "tai khoan", "user", "username"),
        ),
        Column(
            "time",
            _("Thời gian đăng"),
            ("time", "created at", "published at", "timestamp", "thoi gian", "ngay dang"),
        ),
        Column(
            "content",
            _("Nội dung bài đăng"),
            ("text", "content", "message", "noi dung", "noi dung bai dang"),
            required=True,
        ),
        Column("reactions", _("Lượt tương tác"), ("reactions", "likes", "luot thich", "tuong tac")),
        Column("shares", _("Lượt chia sẻ"), ("shares", "luot chia se", "chia se")),
        Column("comments", _("Lượt bình luận"), ("comments", "binh luan", "luot binh luan")),
        Column("url", _("Đường dẫn"), ("url", "link", "duong dan", "permalink")),
    ),
}
IMPORT_CHANNELS = tuple(COLUMNS)


def columns_for(channel: str) -> tuple[Column, ...]:
    return COLUMNS[channel]


def column_choices(channel: str) -> list[tuple[str, str]]:
    return [(c.key, str(c.label)) for c in COLUMNS[channel]]


@dataclass
class HeaderMap:
    """Which cell index carries which column, and which headers were not recognised."""

    index: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def missing(self, channel: str) -> list[Column]:
        # Channels without columns (news feeds are XML, not tables) miss nothing.
        return [c for c in COLUMNS.get(channel, ()) if c.required and c.key not in self.index]


def key_for(channel: str, header: Any, mapping: dict[str, str] | None = None) -> str | None:
    """The column key of one header: the operator's mapping first, then the known names."""
    folded = header_key(header)
    if not folded:
        return None
    if mapping and folded in mapping:
        return mapping[folded] or None
    for column in COLUMNS.get(channel, ()):
        # The label the import page and the template file show is always accepted too.
        if folded in column.synonyms or folded == header_key(str(column.label)):
            return column.key
    return None


def map_headers(
    channel: str, headers: list[Any], mapping: dict[str, str] | None = None
) -> HeaderMap:
    result = HeaderMap()
    for index, header in enumerate(headers):
        key = key_for(channel, header, mapping)
        if key is None:
            if header_key(header) and not (mapping and header_key(header) in mapping):
                result.unknown.append(str(header).strip())
            continue
        result.index.setdefault(key, index)
    return result


def looks_like_header(cells: list[Any]) -> bool:
    """Whether a row reads like a header row of any channel (has a content column)."""
    return any(key_for(channel, cell) == "content" for channel in COLUMNS for cell in cells if cell)


def template_xlsx(channel: str) -> bytes:
    """A workbook whose first row holds the Vietnamese headers of `channel` (required ones
    marked with *), ready to fill in and import."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Du lieu"
    sheet.append([f"{c.label}{' *' if c.required else ''}" for c in COLUMNS[channel]])
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    for index, column in enumerate(COLUMNS[channel], start=1):
        width = 60 if column.key == "content" else 22
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
