"""`phoihop import PATH --channel …`: the contract scripts rely on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, load_command_class
from tests.intake.conftest import (
    PETITION_HEADERS,
    csv_bytes,
    jsonl_bytes,
    petition_rows,
    posts,
    xlsx_bytes,
)

from phoihop.core.models import AuditEvent
from phoihop.intake.models import Signal, VoterContactRound


def _run(*args: str) -> int:
    """Run the command as `run_from_argv` (the console script) does; its exit status.

    `run_from_argv` itself also closes every database connection when it ends, which would
    close the test's own transaction on PostgreSQL; the rest is the same.
    """
    command = load_command_class("phoihop.intake", "import")
    parser = command.create_parser("phoihop", "import")
    options = vars(parser.parse_args(args))
    positional = options.pop("args", ())
    try:
        command.execute(*positional, **options)
    except CommandError as error:
        command.stderr.write(f"{error.__class__.__name__}: {error}")
        return error.returncode
    return 0


def _file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_good_file_exits_0_and_prints_new_and_known(
    places: Any, tmp_path: Path, capsys: Any
) -> None:
    path = _file(tmp_path, "dot_5.xlsx", xlsx_bytes([PETITION_HEADERS, *petition_rows(12)]))
    assert _run(path, "--channel", "petitions", "--round", "Tiếp xúc trước kỳ họp 5") == 0
    captured = capsys.readouterr()
    assert "Mới: 12" in captured.out and "Đã có: 0" in captured.out
    assert "Đang kiểm tra" in captured.err and "Đang ghi" in captured.err  # progress
    assert VoterContactRound.objects.get().name == "Tiếp xúc trước kỳ họp 5"
    assert _run(path, "--channel", "petitions", "--round", "Tiếp xúc trước kỳ họp 5") == 0
    out = capsys.readouterr().out
    assert "Mới: 0" in out and "Đã có: 12" in out
    assert Signal.objects.count() == 12


def test_a_bad_row_exits_non_zero_stores_nothing_and_names_each_row(
    places: Any, tmp_path: Path, capsys: Any
) -> None:
    rows = petition_rows(20)
    rows[12][1] = ""
    rows[15][4] = "hôm qua"
    path = _file(tmp_path, "dot.csv", csv_bytes([PETITION_HEADERS, *rows], encoding="utf-8-sig"))
    events = AuditEvent.objects.count()
    assert _run(path, "--channel", "petitions") != 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("Dòng ")]
    assert lines == [
        "Dòng 14: thiếu nội dung kiến nghị",
        "Dòng 17: ngày tiếp xúc «hôm qua» không hợp lệ (cần dạng ngày/tháng/năm)",
    ]
    assert Signal.objects.count() == 0 and VoterContactRound.objects.count() == 0
    assert AuditEvent.objects.count() == events

    assert _run(path, "--channel", "petitions", "--only-valid") == 0
    captured = capsys.readouterr()
    assert "Mới: 18" in captured.out
    assert "Dòng 14: thiếu nội dung kiến nghị" in captured.err
    assert VoterContactRound.objects.get().name == "dot"


def test_posts_and_hostile_files_from_the_command_line(
    db: None, tmp_path: Path, capsys: Any
) -> None:
    path = _file(tmp_path, "posts.jsonl", jsonl_bytes(posts(4)))
    assert _run(path, "--channel", "posts") == 0
    assert "Mới: 4" in capsys.readouterr().out
    assert _run(_file(tmp_path, "rong.csv", b""), "--channel", "feedback") != 0
    assert "Tệp rỗng" in capsys.readouterr().err
    assert _run(str(tmp_path / "khong-co.xlsx"), "--channel", "petitions") != 0
    assert "Không tìm thấy tệp" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--map", "--map="])
def test_unknown_headers_can_be_mapped_on_the_command_line(
    db: None, tmp_path: Path, capsys: Any, option: str
) -> None:
    path = _file(tmp_path, "a.csv", csv_bytes([["Ý kiến", "Ghi chú"], ["Đề nghị B", ""]]))
    assert _run(path, "--channel", "petitions") != 0
    assert "Không tìm thấy cột «Nội dung kiến nghị»" in capsys.readouterr().err
    args = [option + "Ý kiến=content"] if option.endswith("=") else [option, "Ý kiến=content"]
    assert _run(path, "--channel", "petitions", *args) == 0
