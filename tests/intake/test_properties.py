"""Random bytes and random rows never escape as a crash, and never half-write a file."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.intake.conftest import PETITION_HEADERS, csv_bytes, docx_table, xlsx_bytes

from phoihop.api.services import token_create
from phoihop.intake import services
from phoihop.intake.models import ImportBatch, Signal

FIXTURES_OK = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = ["a.xlsx", "a.csv", "a.docx", "a.jsonl", "a.xml", "a.txt", "a"]
CHANNELS = ["petitions", "feedback", "posts", "news"]


def _try_import(data: bytes, name: str, channel: str, **kw: Any) -> services.ImportReport | None:
    before = Signal.objects.count()
    try:
        report = services.import_file(data=data, filename=name, channel=channel, by=None, **kw)
    except ValidationError:
        assert Signal.objects.count() == before
        return None
    delta = Signal.objects.count() - before
    if report.stored:
        assert delta == report.new
    else:
        assert delta == 0 and report.errors
    return report


@FIXTURES_OK
@given(
    data=st.binary(max_size=3000),
    name=st.sampled_from(NAMES),
    channel=st.sampled_from(CHANNELS),
)
def test_random_bytes_are_an_error_or_an_import_never_a_crash(
    db: None, data: bytes, name: str, channel: str
) -> None:
    _try_import(data, name, channel)


def _zip_with(member: str, content: bytes, base: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(
                info.filename, content if info.filename == member else source.read(info)
            )
    return out.getvalue()


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
BASE_XLSX = xlsx_bytes([PETITION_HEADERS, [1, "Đề nghị", "", "", "", ""]])
BASE_DOCX = docx_table([["STT", "Nội dung kiến nghị"], [1, "Đề nghị"]])
MEMBERS = [
    (BASE_XLSX, "xl/worksheets/sheet1.xml", "a.xlsx"),
    (BASE_XLSX, "xl/sharedStrings.xml", "a.xlsx"),
    (BASE_DOCX, "word/document.xml", "a.docx"),
]


@FIXTURES_OK
@given(
    content=st.binary(max_size=2000) | st.text(max_size=500).map(str.encode),
    target=st.sampled_from(MEMBERS),
)
def test_office_files_with_a_random_part_are_refused_cleanly(
    db: None, content: bytes, target: tuple[bytes, str, str]
) -> None:
    base, member, name = target
    _try_import(_zip_with(member, content, base), name, "petitions")


POST_KEYS = st.sampled_from(
    ["text", "post_id", "platform", "author", "time", "reactions", "shares", "url", "Nội dung"]
)


@FIXTURES_OK
@given(
    items=st.lists(
        st.dictionaries(POST_KEYS | st.text(max_size=6), JSONISH, max_size=6), max_size=8
    ),
    only_valid=st.booleans(),
)
def test_random_json_posts_are_all_stored_or_none_unless_asked(
    db: None, items: list[dict[str, Any]], only_valid: bool
) -> None:
    data = "\n".join(json.dumps(item, ensure_ascii=False) for item in items).encode()
    report = _try_import(data, "posts.jsonl", "posts", only_valid=only_valid)
    if report is not None and report.stored:
        assert only_valid or not report.errors


CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["=1+1", "+84912", "-", "@x", "32/13/2026", "01/02/2026", " ", "Xã Cao Lộc"]),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
)
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=7), min_size=0, max_size=15)


def _printable(value: Any) -> Any:
    # openpyxl refuses control characters in cells; a spreadsheet could not hold them either.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable())
    return value


@FIXTURES_OK
@given(rows=ROWS, as_csv=st.booleans(), only_valid=st.booleans())
def test_random_rows_are_all_stored_or_none_unless_asked(
    db: None, rows: list[list[Any]], as_csv: bool, only_valid: bool
) -> None:
    table = [PETITION_HEADERS, *[[_printable(v) for v in row] for row in rows]]
    if as_csv:
        data, name = csv_bytes(table), "a.csv"
    else:
        data, name = xlsx_bytes(table), "a.xlsx"
    report = _try_import(data, name, "petitions", only_valid=only_valid)
    if report is not None and report.stored:
        assert report.new + report.known == report.rows - report.error_rows
        assert only_valid or not report.errors
        assert all(line.startswith("Dòng ") for line in report.errors)


@FIXTURES_OK
@given(data=st.binary(max_size=2000), name=st.sampled_from(NAMES))
def test_the_web_import_answers_random_bytes_without_a_500(
    world: Any, data: bytes, name: str, settings: Any
) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "triage"],
        }
    }
    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)
    response = client.post(
        "/cong-viec/tiep-nhan/nhap/",
        {"file": SimpleUploadedFile(name, data), "channel": "petitions"},
    )
    assert response.status_code in (302, 400)
    assert not ImportBatch.objects.filter(status=ImportBatch.Status.FAILED).exists()


ITEM = st.fixed_dictionaries(
    {"text": st.text(max_size=50)},
    optional={
        "channel": st.sampled_from(["api", "social", "feedback", "petition", "news", "x"]),
        "url": st.text(max_size=30),
        "occurred_at": st.text(max_size=25),
        "place": st.integers() | st.text(max_size=5),
        "reactions": JSONISH,
        "metadata": JSONISH,
        "round": st.text(max_size=10),
    },
)


@pytest.mark.django_db
@FIXTURES_OK
@given(items=st.lists(ITEM, max_size=5))
def test_the_api_answers_random_items_without_a_500(
    world: Any, items: list[dict[str, Any]]
) -> None:
    _token, key = token_create(user=world.coordinator, name="p")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", raise_request_exception=False)
    before = Signal.objects.count()
    response = client.post(
        "/api/signals/batch", json.dumps({"signals": items}), content_type="application/json"
    )
    assert response.status_code in (200, 201, 400, 422)
    if response.status_code >= 400:
        assert Signal.objects.count() == before
