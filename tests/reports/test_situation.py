"""The public-opinion situation report names the right places and reads as an official text:
the issue's own place first, a signal's place read from its text before the place it came
from, no doubled punctuation where quoted wording meets the template's."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.utils import timezone
from tests.factories import SignalFactory

from phoihop.cases import services as case_services
from phoihop.cases.models import Issue
from phoihop.core.models import AdministrativeUnit
from phoihop.core.places import LANG_SON, places_load
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.intake.models import Signal
from phoihop.reports import services as report_services
from phoihop.reports.content import quoted
from phoihop.reports.periods import parse_period
from phoihop.reports.situation import matters, situation_report
from phoihop.triage.normalize import fold
from phoihop.triaging import services as triage_services


def _unit(name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level=AdministrativeUnit.Level.COMMUNE, name=name)


def _signal(text: str, *, place: AdministrativeUnit, issue: Issue | None = None) -> Signal:
    return SignalFactory(
        channel=Signal.Channel.PETITION,
        source="tiep-xuc-cu-tri.xlsx",
        raw_text=text,
        search_text=fold(text),
        place=place,
        issue=issue,
    )


def _month() -> Any:
    return parse_period(timezone.localdate().strftime("%Y-%m"))


def test_an_issue_is_reported_at_its_own_place_before_its_signals_sources(world: Any) -> None:
    places_load(province_code=LANG_SON)
    dong_kinh, luong_van_tri = _unit("Phường Đông Kinh"), _unit("Phường Lương Văn Tri")
    land = case_services.issue_create(
        by=world.coordinator,
        title="Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc",
        place=dong_kinh,
        visibility=Issue.Visibility.PUBLIC,
    )
    # Three petitions raised at a voter meeting in Lương Văn Tri, all about Đông Kinh's land.
    for n in range(3):
        _signal(
            f"Cử tri đề nghị sớm chi trả bồi thường cao tốc, lần {n}",
            place=luong_van_tri,
            issue=land,
        )
    period = _month()
    matter = next(m for m in matters(start=period.start, end=period.end) if m.issue == land)
    assert matter.place_text() == "Phường Đông Kinh, Phường Lương Văn Tri"

    doc = situation_report(period=period)
    paragraph = next(b.text for b in doc.blocks if b.key == "m1")
    assert "địa bàn: phường Đông Kinh, phường Lương Văn Tri." in paragraph
    table = next(b.table for b in doc.blocks if b.kind == "table")
    assert table is not None and table.rows[0][-1] == "Phường Đông Kinh, Phường Lương Văn Tri"


def test_a_signal_is_placed_where_its_text_says_before_where_it_came_from(world: Any) -> None:
    places_load(province_code=LANG_SON)
    luong_van_tri = _unit("Phường Lương Văn Tri")
    text = "Cử tri phản ánh cấp giấy chứng nhận quyền sử dụng đất chậm tại phường Tam Thanh"
    signal = _signal(text, place=luong_van_tri)
    triage_services.triage_signals(signal_ids=[signal.pk])
    signal.refresh_from_db()
    assert signal.proposal.place is not None and signal.proposal.place.name == "Phường Tam Thanh"
    period = _month()
    matter = next(m for m in matters(start=period.start, end=period.end) if "Tam Thanh" in m.title)
    assert matter.place_text() == "Phường Tam Thanh"


DOUBLED = re.compile(r"[.,;:!?]\s*[.,;:»]|\.\s+\(")


def test_quoted_wording_does_not_double_the_reports_punctuation(world: Any) -> None:
    places_load(province_code=LANG_SON)
    clip = "Clip nước suối đổi màu đen ngòm gần cụm công nghiệp, người dân lo lắng."
    signal = SignalFactory(
        channel=Signal.Channel.SOCIAL,
        source="mang-xa-hoi.jsonl",
        raw_text=clip,
        search_text=fold(clip),
    )
    triage_services.triage_signals(signal_ids=[signal.pk])
    now = timezone.now()
    claim = Claim.objects.create(
        wording="Tỉnh thu hồi đất làm cao tốc mà không bồi thường.",
        summary="Tỉnh thu hồi đất làm cao tốc mà không bồi thường.",
        first_seen_on=timezone.localdate(),
        risk=Claim.Risk.HIGH,
        competent_agency=world.dept,
        created_by=world.coordinator,
    )
    Rebuttal.objects.create(
        claim=claim,
        title="Thông tin thu hồi đất không bồi thường là sai sự thật",
        text="Mọi trường hợp thu hồi đất đều được bồi thường theo quy định.",
        rating=Rebuttal.Rating.FALSE,
        state=Rebuttal.State.PUBLISHED,
        confirming_agency=world.dept,
        drafted_by=world.coordinator,
        drafted_at=now,
        published_at=now,
    )

    doc = situation_report(period=_month())
    texts = [b.text for b in doc.blocks if b.kind == "paragraph"]
    texts += [cell for b in doc.blocks if b.table for row in b.table.rows for cell in row]
    for text in texts:
        assert not DOUBLED.search(text), text
    body = "\n".join(texts)
    assert "người dân lo lắng: 1 ý kiến" in body
    assert (
        "«Thông tin thu hồi đất không bồi thường là sai sự thật» (phản bác thông tin «Tỉnh thu "
        "hồi đất làm cao tốc mà không bồi thường»)." in body
    )
    assert "«Clip nước suối đổi màu đen ngòm gần cụm công nghiệp, người dân lo lắng»." in body


def test_long_wording_is_cut_at_a_word() -> None:
    text = "Người dân phản ánh " + "ngập úng kéo dài " * 30
    cut = quoted(text, limit=60)
    assert cut == "Người dân phản ánh ngập úng kéo dài ngập úng kéo dài ngập…"
    assert quoted("  Đường xuống cấp;\n ") == "Đường xuống cấp"


LABEL = re.compile(r'<label for="t-[^"]+" class="sr-only">([^<]*)</label>')


def test_the_editors_paragraph_labels_are_words_not_keys(world: Any) -> None:
    places_load(province_code=LANG_SON)
    land = case_services.issue_create(
        by=world.coordinator,
        title="Chậm chi trả bồi thường cao tốc",
        place=_unit("Phường Đông Kinh"),
    )
    _signal(
        "Cử tri hỏi bao giờ được nhận tiền bồi thường", place=_unit("Phường Tam Thanh"), issue=land
    )
    report = report_services.document_draft(
        by=world.coordinator, kind="situation", period=_month().code
    )
    client = Client()
    client.force_login(world.coordinator)
    page = client.get(f"/cong-viec/bao-cao/van-ban/{report.pk}/").content.decode()
    labels = LABEL.findall(page)
    assert labels[:2] == ["Đoạn tổng quan", "Vấn đề thứ 1: Chậm chi trả bồi thường cao tốc"]
    assert "Đoạn về các vấn đề đã trả lời, phản bác" in labels
    assert "Đoạn về các vấn đề đang xử lý" in labels
    assert "Đề xuất, kiến nghị thứ 1" in labels
    keys = re.compile(r"\b(overview|answered|open|matters|m\d+|p\d+)\b")
    assert not [label for label in labels if keys.search(label)], labels

    empty = client.post(f"/cong-viec/bao-cao/van-ban/{report.pk}/", {"text-overview": " "})
    assert empty.status_code == 400
    assert "«Đoạn tổng quan» không được để trống." in empty.content.decode()

    # A draft stored before paragraphs had labels is labelled by its sections.
    for block in report.content["blocks"]:
        block.pop("label", None)
    report.save(update_fields=["content"])
    page = client.get(f"/cong-viec/bao-cao/van-ban/{report.pk}/").content.decode()
    labels = LABEL.findall(page)
    assert labels[:3] == [
        "Đoạn 1, mục I. Tình hình chung",
        "Đoạn 1, mục II. Những vấn đề nổi lên được dư luận quan tâm",
        "Đoạn 1, mục III. Kết quả trả lời, phản bác",
    ]
    assert not [label for label in labels if keys.search(label)], labels
