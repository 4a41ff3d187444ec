"""Imports store each signal once, check every row first, and never half-write a file."""

from __future__ import annotations

from typing import Any

import pytest
from tests.intake.conftest import (
    PETITION_HEADERS,
    csv_bytes,
    docx_numbered,
    docx_table,
    jsonl_bytes,
    petition_rows,
    posts,
    xlsx_bytes,
)

from phoihop.core.models import AuditEvent
from phoihop.intake import services
from phoihop.intake.files import FileRejected
from phoihop.intake.models import ImportBatch, Signal, VoterContactRound


def _state() -> tuple[int, int, int, int]:
    return (
        Signal.objects.count(),
        VoterContactRound.objects.count(),
        ImportBatch.objects.count(),
        AuditEvent.objects.count(),
    )


def _import(data: bytes, name: str, channel: str = "petitions", **kw: Any) -> services.ImportReport:
    return services.import_file(data=data, filename=name, channel=channel, by=None, **kw)


def test_petitions_from_xlsx_are_stored_once_in_a_round_named_after_the_file(places: Any) -> None:
    data = xlsx_bytes([PETITION_HEADERS, *petition_rows(20)])
    report = _import(data, "kien_nghi_ky_hop_5.xlsx")
    assert (report.rows, report.new, report.known, report.errors) == (20, 20, 0, [])
    voter_round = VoterContactRound.objects.get()
    assert voter_round.name == "kien nghi ky hop 5"
    signal = Signal.objects.get(metadata__stt="2")
    assert signal.channel == Signal.Channel.PETITION
    assert signal.round == voter_round
    assert signal.place == places["Phường Tam Thanh"]
    assert signal.metadata["deputy"] == "Tổ đại biểu số 3"
    assert signal.metadata["meeting_date"] == "2026-10-03"
    assert signal.raw_text.startswith("Cử tri đề nghị") and signal.text
    assert signal.received_at is not None and signal.batch_id == report.batch_id

    again = _import(data, "kien_nghi_ky_hop_5.xlsx")
    assert (again.new, again.known) == (0, 20)
    assert Signal.objects.count() == 20
    assert "0 tín hiệu mới, 20 đã có từ trước" in again.summary()


def test_one_audit_event_per_import_with_counts(places: Any) -> None:
    report = _import(xlsx_bytes([PETITION_HEADERS, *petition_rows(5)]), "dot1.xlsx")
    event = AuditEvent.objects.get(action="intake.import")
    assert event.target_id == str(report.batch_id)
    assert (event.data["new"], event.data["known"], event.data["rows"]) == (5, 0, 5)


def test_headers_are_recognised_whatever_their_case_or_diacritics(places: Any) -> None:
    headers = ["stt", "NOI DUNG", "Xã, phường", "ĐẠI BIỂU", "ngay tiep xuc", "LĨNH VỰC", "Ghi chú"]
    rows = [[1, "Đề nghị lắp đèn chiếu sáng", "Xã Cao Lộc", "Ông A", "12/10/2026", "", "x"]]
    report = _import(xlsx_bytes([headers, *rows]), "dot.xlsx", round_name="Đợt 1")
    assert report.new == 1
    signal = Signal.objects.get()
    assert signal.place == places["Xã Cao Lộc"]
    assert signal.metadata["deputy"] == "Ông A"
    assert signal.round is not None and signal.round.name == "Đợt 1"


def test_title_rows_above_the_header_are_skipped_and_row_numbers_follow_the_sheet(
    places: Any,
) -> None:
    rows = petition_rows(15)
    rows[11][1] = ""  # the 12th petition, on sheet row 3 + 1 + 12 = 16
    title = [["TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỬ TRI"], ["Trước kỳ họp thứ 5"], []]
    before = _state()
    report = _import(xlsx_bytes([PETITION_HEADERS, *rows], title_rows=title), "dot.xlsx")
    assert report.errors == ["Dòng 16: thiếu nội dung kiến nghị"]
    assert not report.stored
    assert _state() == before


def test_a_bad_row_rejects_the_whole_file_and_names_row_and_field(places: Any) -> None:
    rows = petition_rows(20)
    rows[12][1] = "   "  # sheet row 14
    rows[4][4] = "32/13/2026"  # sheet row 6
    before = _state()
    report = _import(xlsx_bytes([PETITION_HEADERS, *rows]), "dot.xlsx")
    assert report.errors == [
        "Dòng 6: ngày tiếp xúc «32/13/2026» không hợp lệ (cần dạng ngày/tháng/năm)",
        "Dòng 14: thiếu nội dung kiến nghị",
    ]
    assert (report.stored, report.new, report.error_rows) == (False, 0, 2)
    assert _state() == before


def test_only_valid_stores_the_good_rows_and_still_lists_the_bad(places: Any) -> None:
    rows = petition_rows(20)
    rows[12][1] = ""
    report = _import(xlsx_bytes([PETITION_HEADERS, *rows]), "dot.xlsx", only_valid=True)
    assert report.stored and report.new == 19
    assert report.errors == ["Dòng 14: thiếu nội dung kiến nghị"]
    batch = ImportBatch.objects.get()
    assert batch.error_count == 1 and batch.errors == report.errors


def test_a_crash_while_writing_leaves_the_database_as_it_was(places: Any) -> None:
    before = _state()

    def crash(phase: str, done: int, total: int) -> None:
        if phase == "write" and done >= 1000:
            raise RuntimeError("mất điện")

    data = xlsx_bytes([PETITION_HEADERS, *petition_rows(1500)])
    with pytest.raises(RuntimeError):
        _import(data, "dot.xlsx", progress=crash)
    assert _state() == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_csv_in_each_encoding_gives_the_same_signals(places: Any, encoding: str) -> None:
    rows = [PETITION_HEADERS, *petition_rows(6)]
    xlsx_report = _import(xlsx_bytes(rows), "dot.xlsx", round_name="Đợt 1")
    delimiter = ";" if encoding == "cp1258" else ","
    csv_report = _import(
        csv_bytes(rows, encoding=encoding, delimiter=delimiter), "dot.csv", round_name="Đợt 1"
    )
    assert (xlsx_report.new, csv_report.new, csv_report.known) == (6, 0, 6)
    assert Signal.objects.filter(place=places["Xã Hoàng Văn Thụ"]).count() >= 1


def test_same_words_from_two_places_are_two_petitions(places: Any) -> None:
    rows = [PETITION_HEADERS, [1, "Đề nghị nâng cấp trạm y tế", "Xã Cao Lộc", "", "", ""]]
    rows.append([2, "Đề nghị  nâng cấp trạm y tế ", "Phường Tam Thanh", "", "", ""])
    rows.append([3, "Đề nghị nâng cấp trạm y tế", "Xã Cao Lộc", "", "", ""])
    report = _import(xlsx_bytes(rows), "dot.xlsx")
    assert (report.new, report.known) == (2, 1)


def test_docx_minutes_with_a_table(places: Any) -> None:
    rows = [["STT", "Nội dung kiến nghị", "Địa phương", "Cơ quan giải quyết"]]
    rows += [
        [n, f"Kiến nghị về cấp nước sạch số {n}", "Xã Cao Lộc", "Sở Xây dựng"] for n in (1, 2, 3)
    ]
    rows.append([4, "", "Xã Cao Lộc", ""])
    report = _import(docx_table(rows), "bien_ban.docx")
    assert report.errors == ["Dòng 5: thiếu nội dung kiến nghị"]
    report = _import(docx_table(rows), "bien_ban.docx", only_valid=True)
    assert report.new == 3
    assert Signal.objects.filter(place=places["Xã Cao Lộc"]).count() == 3


@pytest.mark.parametrize("auto", [False, True])
def test_docx_minutes_with_numbered_paragraphs(places: Any, auto: bool) -> None:
    data = docx_numbered(
        {
            "Cử tri Phường Tam Thanh": [
                "Đề nghị sớm giải quyết dứt điểm việc cấp giấy chứng nhận quyền sử dụng đất.",
                "Đề nghị nạo vét kênh thoát nước khối 5.",
            ],
            "Cử tri Xã Cao Lộc": ["Đề nghị hỗ trợ giống cây trồng sau lũ."],
        },
        auto=auto,
    )
    report = _import(data, "bien_ban_tiep_xuc.docx")
    assert (report.rows, report.new, report.errors) == (3, 3, [])
    assert Signal.objects.filter(place=places["Phường Tam Thanh"]).count() == 2
    assert Signal.objects.filter(place=places["Xã Cao Lộc"]).count() == 1


def test_jsonl_social_posts_are_stored_once_per_post(db: None) -> None:
    items = posts(5)
    items.append({**items[0], "post_id": "fb_99", "author_handle": "khac"})  # same words shared
    report = _import(jsonl_bytes(items), "export.jsonl", channel="posts")
    assert (report.new, report.known) == (6, 0)
    signal = Signal.objects.get(external_id="fb_1")
    assert signal.channel == Signal.Channel.SOCIAL
    assert signal.url == "https://facebook.com/posts/1"
    assert signal.metadata["platform"] == "facebook"
    assert signal.metadata["reactions"] == 121 and signal.metadata["author"] == "nguoidan1"
    assert signal.occurred_at is not None
    assert _import(jsonl_bytes(items), "export.jsonl", channel="posts").known == 6


def test_posts_report_bad_lines_of_jsonl(db: None) -> None:
    lines = jsonl_bytes(posts(2)) + b"\n{not json\n" + b'{"text": "x", "shares": "nhieu"}\n'
    report = _import(lines, "export.jsonl", channel="posts")
    assert report.errors == [
        "Dòng 3: không phải JSON hợp lệ",
        "Dòng 4: lượt chia sẻ không phải số",
    ]
    assert Signal.objects.count() == 0


def test_feedback_from_a_spreadsheet_gets_tracking_codes(places: Any) -> None:
    rows = [["Họ và tên", "Số điện thoại", "Địa bàn", "Nội dung phản ánh"]]
    rows += [["Nguyễn Văn A", "0912345678", "Xã Cao Lộc", "Đèn đường hỏng nhiều tháng"]]
    rows += [["", "", "", "Rác thải ùn ứ tại chợ"]]
    report = _import(csv_bytes(rows), "duong_day_nong.csv", channel="feedback")
    assert report.new == 2
    codes = list(Signal.objects.values_list("tracking_code", flat=True))
    assert all(code and code.startswith("PA-") for code in codes)
    assert not any(ch in "".join(codes).replace("PA-", "") for ch in "01OIL")


def test_formula_cells_are_stored_as_text_and_flagged(places: Any) -> None:
    rows = [PETITION_HEADERS, [1, '=HYPERLINK("http://x.example","bấm")', "", "", "", ""]]
    rows.append([2, "@SUM(A1:A2) cử tri hỏi", "", "", "", ""])
    report = _import(xlsx_bytes(rows), "dot.xlsx")
    assert report.new == 2 and report.errors == []
    assert report.warnings[0].startswith("Dòng 2: ô «Nội dung kiến nghị» bắt đầu bằng «=»")
    signal = Signal.objects.get(metadata__stt="1")
    assert signal.raw_text == '=HYPERLINK("http://x.example","bấm")'
    assert signal.metadata["formula_like"] == ["content"]


def test_a_place_not_in_the_gazetteer_is_stored_without_one_and_said(places: Any) -> None:
    rows = [PETITION_HEADERS, *petition_rows(2)]
    rows[2][2] = "Xã Không Có"
    report = _import(xlsx_bytes(rows), "dot.xlsx")
    assert report.new == 2 and report.errors == []
    assert report.warnings == [
        "Dòng 3: không nhận ra địa bàn «Xã Không Có»; đã lưu, chưa gắn địa bàn"
    ]
    assert Signal.objects.get(metadata__stt="2").place is None
    assert Signal.objects.get(metadata__stt="1").place is not None


def test_a_file_without_the_content_column_is_refused_by_name(places: Any) -> None:
    data = xlsx_bytes([["STT", "Ý kiến người dân", "Ghi chú"], [1, "abc", ""]])
    with pytest.raises(FileRejected) as error:
        _import(data, "dot.xlsx")
    assert "Không tìm thấy cột «Nội dung kiến nghị»" in error.value.messages[0]
    assert "«Ý kiến người dân»" in error.value.messages[0]
    report = _import(data, "dot.xlsx", mapping={"y kien nguoi dan": "content"})
    assert report.new == 1


def test_every_row_keeps_its_own_values_through_the_two_passes(places: Any) -> None:
    _import(xlsx_bytes([PETITION_HEADERS, *petition_rows(40)]), "dot.xlsx")
    for signal in Signal.objects.all():
        number = signal.raw_text.split("số ")[1].split(" ")[0]
        assert signal.metadata["stt"] == number
        assert signal.metadata["meeting_date"] == f"2026-10-{int(number) % 28 + 1:02d}"


def test_social_posts_from_a_csv_export_with_vietnamese_headers(db: None) -> None:
    rows = [["Mã bài", "Nền tảng", "Tài khoản", "Thời gian", "Nội dung", "Lượt chia sẻ", "Link"]]
    rows += [
        ["123", "Facebook", "an.nguyen", "20/11/2026 08:15", "Cầu treo bản Pò bị hỏng", "12", ""]
    ]
    rows += [["124", "TikTok", "bich", "không rõ", "Ùn tắc ở cửa khẩu", "nhiều", "ftp://x"]]
    report = _import(csv_bytes(rows), "mxh.csv", channel="posts")
    assert report.errors == [
        "Dòng 3: thời gian «không rõ» không hợp lệ",
        "Dòng 3: lượt chia sẻ không phải số",
        "Dòng 3: đường dẫn không hợp lệ (cần http:// hoặc https://)",
    ]
    report = _import(csv_bytes(rows), "mxh.csv", channel="posts", only_valid=True)
    signal = Signal.objects.get()
    assert (report.new, signal.external_id, signal.metadata["shares"]) == (1, "123", 12)
    assert signal.occurred_at is not None and signal.occurred_at.hour == 1  # 08:15 in Hà Nội
