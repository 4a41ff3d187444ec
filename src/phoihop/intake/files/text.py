"""Plain-text files: decoding (UTF-8, UTF-16 with BOM, Windows-1258), CSV with a sniffed
dialect, and JSON records (an array, or one object a line)."""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from phoihop.intake.files.common import (
    FileRejected,
    RowData,
    RowProblem,
    clip,
    max_rows,
    too_many_rows,
)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1258, in that order."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif b"\x00" in data[:4096]:
        raise FileRejected(
            _(
                "Tệp không phải văn bản (có byte rỗng) hoặc là UTF-16 không có BOM; "
                "vui lòng lưu lại dạng CSV UTF-8."
            )
        )
    else:
        candidates = ["utf-8", "cp1258"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise FileRejected(
            _("Không nhận ra bảng mã của tệp (hỗ trợ UTF-8, UTF-16 có BOM, Windows-1258).")
        )
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n")
    if "\x00" in text or controls > max(10, len(text[:65536]) // 100):
        raise FileRejected(_("Tệp không phải văn bản (chứa ký tự điều khiển)."))
    return text


def csv_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    limit = max_rows()
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileRejected(
                _("Dòng %(n)s: không đọc được dòng CSV (%(err)s).")
                % {"n": number + 1, "err": error}
            ) from error
        number += 1
        if number > limit:
            raise too_many_rows(limit)
        yield number, [clip(v) for v in row]


def jsonl_rows(data: bytes) -> Iterator[tuple[int, RowData]]:
    text = decode_text(data)
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except (ValueError, RecursionError) as error:
            raise FileRejected(_("Tệp JSON không hợp lệ: %(err)s") % {"err": error}) from error
        if not isinstance(items, list):
            raise FileRejected(_("Tệp JSON phải là một danh sách các bài đăng."))
        for number, item in enumerate(items, start=1):
            if isinstance(item, dict):
                yield number, item
            else:
                yield number, RowProblem(_("không phải một đối tượng JSON"))
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            yield number, RowProblem(_("không phải JSON hợp lệ"))
            continue
        if isinstance(item, dict):
            yield number, item
        else:
            yield number, RowProblem(_("không phải một đối tượng JSON"))
