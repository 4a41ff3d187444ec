"""Builders of real-shaped import files, and the places they name."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from tests.factories import UnitFactory

from phoihop.core.models import AdministrativeUnit

PETITION_HEADERS = [
    "STT",
    "Nội dung kiến nghị",
    "Địa bàn",
    "Tổ đại biểu",
    "Ngày tiếp xúc",
    "Lĩnh vực",
]


@pytest.fixture(autouse=True)
def _media_and_cache(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # The test feeds are served on 127.0.0.1, which production refuses (see news._check_host).
    settings.PHOIHOP_INTAKE_FETCH_PRIVATE = True
    cache.clear()  # rate limits live in the cache


@pytest.fixture
def places(db: None) -> dict[str, AdministrativeUnit]:
    province = UnitFactory(level=AdministrativeUnit.Level.PROVINCE, code=20, name="Tỉnh Lạng Sơn")
    names = ["Phường Lương Văn Tri", "Xã Hoàng Văn Thụ", "Phường Tam Thanh", "Xã Cao Lộc"]
    units = {"province": province}
    for index, name in enumerate(names):
        units[name] = UnitFactory(code=6000 + index, name=name, parent=province)
    return units


def petition_rows(count: int, *, start: int = 1) -> list[list[Any]]:
    places = ["Phường Lương Văn Tri", "Xã Hoàng Văn Thụ", "Phường Tam Thanh", "Xã Cao Lộc"]
    return [
        [
            n,
            f"Cử tri đề nghị sửa chữa tuyến đường liên thôn số {n} bị xuống cấp nghiêm trọng",
            places[n % len(places)],
            "Tổ đại biểu số 3",
            f"{(n % 28) + 1:02d}/10/2026",
            "Giao thông",
        ]
        for n in range(start, start + count)
    ]


def xlsx_bytes(rows: list[list[Any]], *, title_rows: list[list[Any]] | None = None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (title_rows or []) + rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows software writes it: base letters + tone marks."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed[1:] if c in "\u0300\u0301\u0303\u0309\u0323")
        others = "".join(c for c in decomposed[1:] if c not in tones)
        out += unicodedata.normalize("NFC", decomposed[0] + others).encode("cp1258")
        out += tones.encode("cp1258")
    return bytes(out)


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    text = buffer.getvalue()
    if encoding == "cp1258":
        return cp1258(text)
    return text.encode(encoding)


def docx_table(rows: list[list[Any]]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("BIÊN BẢN TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỬ TRI", level=1)
    document.add_paragraph("Kỳ họp thứ năm, Hội đồng nhân dân tỉnh khóa XVII.")
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_numbered(sections: dict[str, list[str]], *, auto: bool = False) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("BIÊN BẢN HỘI NGHỊ TIẾP XÚC CỬ TRI")
    document.add_paragraph("Thời gian: 8 giờ ngày 12/10/2026. Địa điểm: nhà văn hóa khối 5")
    number = 0
    for heading, items in sections.items():
        document.add_paragraph(f"{heading}:")
        for item in items:
            number += 1
            if auto:
                document.add_paragraph(item, style="List Number")
            else:
                document.add_paragraph(f"{number}. {item}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def jsonl_bytes(items: list[dict[str, Any]]) -> bytes:
    return "\n".join(json.dumps(item, ensure_ascii=False) for item in items).encode()


def posts(count: int) -> list[dict[str, Any]]:
    return [
        {
            "post_id": f"fb_{n}",
            "platform": "Facebook",
            "author_handle": f"nguoidan{n}",
            "time": "2026-11-20T08:30:00+07:00",
            "text": f"Đường qua xã Cao Lộc ngập sâu sau mưa lớn, bài số {n}",
            "reactions": 120 + n,
            "shares": 15,
            "url": f"https://facebook.com/posts/{n}?utm_source=x",
        }
        for n in range(1, count + 1)
    ]
