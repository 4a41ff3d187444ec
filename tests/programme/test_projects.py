"""Key projects: signals and issues linked by keywords, and the advisory brief as DOCX."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from tests.factories import IssueFactory, UnitFactory

from phoihop.intake.models import Signal
from phoihop.programme import briefs, selectors, services
from phoihop.triage.normalize import content_hash, fold


def _signal(text: str, **kwargs: Any) -> Signal:
    return Signal.objects.create(
        channel=Signal.Channel.SOCIAL,
        source="thu",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        **kwargs,
    )


def test_brief_has_title_project_opinion_and_plan(prog: Any) -> None:
    w = prog.world
    place = UnitFactory(name="Xã Đồng Đăng")
    project = services.project_create(
        by=w.coordinator,
        code="cao-toc",
        name="Cao tốc Đồng Đăng – Trà Lĩnh",
        owner_agency=w.other,
        places=[place],
        phases="Giải phóng mặt bằng\nThi công",
        keywords="cao tốc Đồng Đăng\ncao toc dong dang",
        plan_messages="Dự án mở hướng phát triển kinh tế cửa khẩu",
        plan_channels="Báo Lạng Sơn\nĐài PT-TH tỉnh",
        plan_schedule="Quý I: hội nghị báo cáo viên",
        plan_agencies=[w.coordinator_agency, w.other],
    )
    _signal("Người dân hỏi về đền bù cao tốc Đồng Đăng", place=place)
    _signal("Không liên quan")
    IssueFactory(
        title="Chậm chi trả cao tốc Đồng Đăng",
        search_text=fold("Chậm chi trả cao tốc Đồng Đăng"),
        field=w.field,
    )
    assert services.project_link_mentions(project=project) == 2
    assert services.project_link_mentions(project=project) == 0

    opinion = selectors.project_opinion(project=project)
    assert (opinion.total, opinion.signals, opinion.issues) == (2, 1, 1)
    assert opinion.by_field == [("Đất đai", 1)] and opinion.by_place == [("Xã Đồng Đăng", 1)]

    document = Document(io.BytesIO(briefs.project_brief_docx(project=project)))
    text = [p.text for p in document.paragraphs]
    assert briefs.TITLE in text
    assert any("Cao tốc Đồng Đăng – Trà Lĩnh" in line for line in text)
    for section in briefs.SECTIONS:
        assert section in text
    assert any(line.startswith("Tổng số ý kiến, phản ánh liên quan: 2") for line in text)
    assert any("Báo Lạng Sơn; Đài PT-TH tỉnh" in line for line in text)


def test_command_links_new_mentions_now(prog: Any) -> None:
    from django.core.management import call_command

    services.project_create(
        by=prog.world.coordinator,
        code="kcn",
        name="Khu công nghiệp Đồng Bành",
        owner_agency=prog.world.other,
        keywords="khu công nghiệp Đồng Bành",
    )
    _signal("Ô nhiễm ở khu công nghiệp Đồng Bành")
    out = io.StringIO()
    call_command("link_project_mentions", "--now", stdout=out)
    assert "Đã gắn 1 tín hiệu" in out.getvalue()
