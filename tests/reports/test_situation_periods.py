"""What the situation report counts in its period: each opinion in the period it happened in
(a petition's meeting day, a post's time; its arrival when the source gives none), on the
province's local days, the last day included; the comparison with the period before; the
rebuttals published in the period, by their own titles, the registry's and the portal's;
what it proposes for a matter carrying a false claim; which matters it calls rising."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.factories import ArticleFactory, ClaimFactory, RebuttalFactory, SignalFactory

from phoihop.cases import services as case_services
from phoihop.cases.models import Issue
from phoihop.factcheck.models import Claim, Rebuttal, Sighting
from phoihop.intake.models import Signal
from phoihop.portal.models import Article
from phoihop.reports.periods import parse_period, period_before
from phoihop.reports.situation import matters, on_demand_period, situation_report
from phoihop.triaging.models import Cluster, TriageProposal

NOVEMBER = parse_period("2025-11")
DECEMBER = parse_period("2025-12")


def local(*args: int) -> dt.datetime:
    """A moment of the province's local time (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(dt.datetime(*args))


def opinion(
    text: str,
    *,
    issue: Issue | None,
    occurred: dt.datetime | None,
    received: dt.datetime,
    channel: str = Signal.Channel.PETITION,
) -> Signal:
    signal = SignalFactory(channel=channel, raw_text=text, issue=issue, occurred_at=occurred)
    # `received_at` is stamped when the row is stored: set it as the import stored it
    Signal.objects.filter(pk=signal.pk).update(received_at=received)
    return signal


def paragraph(doc: Any, key: str) -> str:
    return next(b.text for b in doc.blocks if b.key == key)


def _imported_in_december(world: Any) -> Issue:
    """Petitions of November's voter meetings imported on 03/12, and posts around the
    month's edges, all about one issue."""
    land = case_services.issue_create(
        by=world.coordinator,
        title="Chậm chi trả tiền bồi thường giải phóng mặt bằng cao tốc",
        visibility=Issue.Visibility.PUBLIC,
    )
    imported = local(2025, 12, 3, 9, 0)
    for n in range(3):  # the meeting of 15/11, a day without a time: local midnight
        opinion(
            f"Cử tri đề nghị chi trả bồi thường, ý kiến {n}",
            issue=land,
            occurred=local(2025, 11, 15),
            received=imported,
        )
    # the last evening of November, local time (16:30 UTC)
    opinion(
        "Bài đăng tối 30/11 về bồi thường cao tốc",
        issue=land,
        occurred=local(2025, 11, 30, 23, 30),
        received=imported,
        channel=Signal.Channel.SOCIAL,
    )
    # no time from the source: counted when it reached us
    opinion(
        "Phản ánh qua đường dây nóng về bồi thường",
        issue=land,
        occurred=None,
        received=local(2025, 11, 20, 14, 0),
        channel=Signal.Channel.FEEDBACK,
    )
    # October's last evening: the period before November
    opinion(
        "Bài đăng tối 31/10 về bồi thường",
        issue=land,
        occurred=local(2025, 10, 31, 23, 0),
        received=imported,
        channel=Signal.Channel.SOCIAL,
    )
    # 00:30 on 01/12 local is still 30/11 in UTC: December's
    opinion(
        "Bài đăng rạng sáng 01/12 về bồi thường",
        issue=land,
        occurred=local(2025, 12, 1, 0, 30),
        received=imported,
        channel=Signal.Channel.SOCIAL,
    )
    return land


def test_a_november_report_drafted_in_december_counts_novembers_opinions(world: Any) -> None:
    land = _imported_in_december(world)

    [matter] = matters(start=NOVEMBER.start, end=NOVEMBER.end)
    assert matter.issue == land
    assert (matter.signals, matter.previous) == (5, 1)
    assert matter.channels == {"petition": 3, "social": 1, "feedback": 1}

    doc = situation_report(period=NOVEMBER, today=dt.date(2025, 12, 5))
    overview = paragraph(doc, "overview")
    assert "nắm bắt 5 ý kiến" in overview and "tập trung vào 1 vấn đề" in overview
    assert "Trong kỳ không có vấn đề nổi lên" not in "\n".join(b.text for b in doc.blocks)
    assert "5 ý kiến, tăng 4 (400%) so với kỳ trước" in paragraph(doc, "m1")
    table = next(b.table for b in doc.blocks if b.table is not None)
    assert table.rows[0][2:5] == ["5", "1", "+4"]


def test_the_december_report_holds_only_decembers_opinions_against_november(
    world: Any,
) -> None:
    land = _imported_in_december(world)

    [matter] = matters(start=DECEMBER.start, end=DECEMBER.end)
    assert matter.issue == land
    assert (matter.signals, matter.previous) == (1, 5)
    doc = situation_report(period=DECEMBER, today=dt.date(2025, 12, 5))
    assert "nắm bắt 1 ý kiến" in paragraph(doc, "overview")
    assert "1 ý kiến, giảm 4 (80%) so với kỳ trước" in paragraph(doc, "m1")


def test_the_on_demand_report_counts_an_issues_opinions_when_they_happened(world: Any) -> None:
    land = _imported_in_december(world)
    window = on_demand_period(today=dt.date(2025, 11, 30))  # 01/11–30/11

    [matter] = matters(start=window.start, end=window.end, issue=land)
    assert (matter.signals, matter.previous) == (5, 1)
    doc = situation_report(period=window, issue=land, today=dt.date(2025, 12, 5))
    assert "nắm bắt 5 ý kiến" in paragraph(doc, "overview")


def test_the_period_before_a_month_is_the_month_before() -> None:
    assert period_before(DECEMBER.start, DECEMBER.end) == dt.date(2025, 11, 1)
    assert period_before(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == dt.date(2026, 2, 1)
    q1 = parse_period("2026-Q1")
    assert period_before(q1.start, q1.end) == dt.date(2025, 10, 1)
    year = parse_period("2026")
    assert period_before(year.start, year.end) == dt.date(2025, 1, 1)
    # an on-demand window: as many days before
    assert period_before(dt.date(2026, 11, 9), dt.date(2026, 12, 8)) == dt.date(2026, 10, 10)


def _rebuttals() -> None:
    court = RebuttalFactory(
        claim=ClaimFactory(summary="Tòa án tỉnh xử oan một nông dân trong vụ tranh chấp đất."),
        title="Không có chuyện Tòa án nhân dân tỉnh xử oan nông dân",
        state=Rebuttal.State.PUBLISHED,
        published_at=local(2025, 11, 30, 23, 30),  # November's last evening (16:30 UTC)
    )
    # the registry's rebuttal has its portal article too: counted once, as the registry's
    ArticleFactory(
        title=court.title,
        category=Article.Category.REBUTTAL,
        state=Article.State.PUBLISHED,
        published_at=court.published_at,
        external_key=f"factcheck.rebuttal:{court.pk}",
    )
    RebuttalFactory(
        claim=ClaimFactory(summary="Tin đồn vỡ đập hồ chứa"),
        title="Hồ chứa an toàn, không có chuyện vỡ đập",
        state=Rebuttal.State.CONFIRMED,  # not published: not counted
    )
    # written straight on the portal, 00:15 on 01/12 local (still 30/11 in UTC)
    ArticleFactory(
        title="Thông tin thu hồi toàn bộ đất nông nghiệp xã Na Sầm là sai sự thật",
        category=Article.Category.REBUTTAL,
        state=Article.State.PUBLISHED,
        published_at=local(2025, 12, 1, 0, 15),
        claim="Tỉnh sẽ thu hồi toàn bộ đất nông nghiệp của xã Na Sầm để mở rộng khu kinh tế.",
    )
    # the last day of December, late
    ArticleFactory(
        title="Không có chuyện cấm xe tải qua cửa khẩu",
        category=Article.Category.REBUTTAL,
        state=Article.State.PUBLISHED,
        published_at=local(2025, 12, 31, 23, 50),
    )
    ArticleFactory(  # withdrawn: no longer published
        title="Bài phản bác đã gỡ",
        category=Article.Category.REBUTTAL,
        state=Article.State.WITHDRAWN,
        published_at=local(2025, 12, 7, 9, 0),
    )
    ArticleFactory(  # not a rebuttal
        title="Tin hoạt động",
        category=Article.Category.NEWS,
        state=Article.State.PUBLISHED,
        published_at=local(2025, 12, 7, 9, 0),
    )


def test_the_rebuttals_published_in_the_period_are_named_by_their_own_titles(
    world: Any,
) -> None:
    _rebuttals()
    november = paragraph(situation_report(period=NOVEMBER), "answered")
    assert november.endswith(
        "Trong kỳ đăng 1 bài phản bác thông tin sai sự thật: «Không có chuyện Tòa án nhân "
        "dân tỉnh xử oan nông dân» (phản bác thông tin «Tòa án tỉnh xử oan một nông dân "
        "trong vụ tranh chấp đất»)."
    )

    december = paragraph(situation_report(period=DECEMBER), "answered")
    assert december.endswith(
        "Trong kỳ đăng 2 bài phản bác thông tin sai sự thật: «Thông tin thu hồi toàn bộ đất "
        "nông nghiệp xã Na Sầm là sai sự thật» (phản bác thông tin «Tỉnh sẽ thu hồi toàn bộ "
        "đất nông nghiệp của xã Na Sầm để mở rộng khu kinh tế»); «Không có chuyện cấm xe tải "
        "qua cửa khẩu»."
    )


def _cluster(texts: list[str], *, on: dt.datetime) -> list[Signal]:
    """Posts still being triaged, grouped into one cluster."""
    posts = [
        opinion(text, issue=None, occurred=on, received=on, channel=Signal.Channel.SOCIAL)
        for text in texts
    ]
    cluster = Cluster.objects.create(key=f"s:{posts[0].pk}", founder=posts[0], size=len(posts))
    for post in posts:
        TriageProposal.objects.create(
            signal=post, decision=TriageProposal.Decision.NEW, cluster=cluster
        )
    return posts


def _seen(claim: Claim, signals: list[Signal]) -> None:
    for signal in signals:
        Sighting.objects.create(claim=claim, signal=signal, seen_at=signal.happened_at)


def test_a_matter_carrying_a_false_claim_is_proposed_for_verification_not_an_answer(
    world: Any,
) -> None:
    on = local(2025, 11, 18, 20, 0)
    verifying = ClaimFactory(
        summary="Tỉnh thu hồi đất làm cao tốc mà không bồi thường",
        status=Claim.Status.VERIFYING,
        competent_agency=world.dept,
    )
    RebuttalFactory(
        claim=verifying,
        title="Thông tin thu hồi đất làm cao tốc không bồi thường là sai sự thật",
        confirming_agency=world.dept,
    )
    rumour = "Làm cao tốc Đồng Đăng mà không đền bù cho dân, đất mất trắng!"
    _seen(verifying, _cluster([rumour, "Cao tốc thu hồi đất không bồi thường", "Mất trắng"], on=on))

    # a real grievance: one post of four repeats the rumour, it stays a grievance
    land = case_services.issue_create(
        by=world.coordinator,
        title="Chậm chi trả tiền bồi thường cao tốc",
        visibility=Issue.Visibility.PUBLIC,
    )
    grievance = [
        opinion(
            f"Cử tri hỏi ngày chi trả bồi thường, ý kiến {n}", issue=land, occurred=on, received=on
        )
        for n in range(4)
    ]
    _seen(verifying, grievance[:1])

    # an issue whose claim is already rebutted
    court = case_services.issue_create(
        by=world.coordinator,
        title="Tin đồn Tòa án tỉnh xử oan nông dân",
        visibility=Issue.Visibility.PUBLIC,
    )
    opinion("Tòa án tỉnh xử oan nông dân", issue=court, occurred=on, received=on)
    RebuttalFactory(
        claim=ClaimFactory(
            summary="Tòa án tỉnh xử oan nông dân", issue=court, status=Claim.Status.REBUTTED
        ),
        title="Không có chuyện Tòa án nhân dân tỉnh xử oan nông dân",
        state=Rebuttal.State.PUBLISHED,
        published_at=on,
    )

    doc = situation_report(period=NOVEMBER, today=dt.date(2025, 12, 5))
    proposals = [b.text for b in doc.blocks if b.key.startswith("p")]
    body = "\n".join(b.text for b in doc.blocks)
    assert (
        "Đề nghị Sở Nông nghiệp và Môi trường khẩn trương xác minh, cung cấp thông tin chính "
        "thức về vấn đề «Làm cao tốc Đồng Đăng mà không đền bù cho dân, đất mất trắng» để Ban "
        "Tuyên giáo và Dân vận Tỉnh ủy phản bác thông tin sai sự thật «Tỉnh thu hồi đất làm "
        "cao tốc mà không bồi thường»; dự thảo bài phản bác «Thông tin thu hồi đất làm cao tốc "
        "không bồi thường là sai sự thật» đang chờ xác nhận." in proposals[1]
    )
    assert "trả lời, công khai kết quả giải quyết vấn đề «Làm cao tốc" not in body
    assert (
        "Tình hình xử lý: khớp với thông tin sai sự thật «Tỉnh thu hồi đất làm cao tốc mà "
        "không bồi thường» (đang xác minh)." in body
    )
    assert (
        "Làm cao tốc Đồng Đăng mà không đền bù cho dân, đất mất trắng (đang xác minh thông "
        "tin sai sự thật, Sở Nông nghiệp và Môi trường)" in paragraph(doc, "open")
    )
    # the grievance is still to be answered
    assert (
        "sớm trả lời, công khai kết quả giải quyết vấn đề «Chậm chi trả tiền bồi thường cao "
        "tốc»" in body
    )
    # the rebutted one is counted as rebutted, and nobody is asked to answer it
    assert paragraph(doc, "answered").startswith(
        "Đã trả lời, phản bác 1 vấn đề: Tin đồn Tòa án tỉnh xử oan nông dân."
    )
    assert not [p for p in proposals if "Tòa án" in p]


def _issue(world: Any, title: str, *, november: list[dt.datetime], october: int = 0) -> Issue:
    issue = case_services.issue_create(
        by=world.coordinator, title=title, visibility=Issue.Visibility.PUBLIC
    )
    for n, on in enumerate(november):
        opinion(f"{title}, ý kiến {n}", issue=issue, occurred=on, received=on)
    for n in range(october):
        on = local(2025, 10, 10 + n, 9, 0)
        opinion(f"{title}, ý kiến tháng 10 số {n}", issue=issue, occurred=on, received=on)
    return issue


def _rising_proposal(doc: Any) -> str:
    found = [b.text for b in doc.blocks if b.key.startswith("p") and "đang tăng" in b.text]
    assert len(found) <= 1
    return found[0] if found else ""


def test_a_matter_is_called_rising_from_five_opinions_or_a_hotness_alert(world: Any) -> None:
    days = [local(2025, 11, 3 + 3 * n, 9, 0) for n in range(6)]
    _issue(world, "Ùn tắc kéo dài trên đường lên cửa khẩu", november=days, october=1)
    _issue(world, "Thiếu nước sinh hoạt mùa khô", november=days[:3])  # 3, none before
    _issue(world, "Đèn chiếu sáng hỏng", november=days[:5], october=5)  # 5, as many as before
    # four opinions in November's last evening: the issue heats up as the month closes
    evening = [local(2025, 11, 30, 20 + n, 0) for n in range(4)]
    _issue(world, "Sạt lở taluy đường tỉnh 229", november=evening)
    _cluster([f"Giá phân bón tăng mạnh, ý kiến {n}" for n in range(4)], on=days[2])

    proposal = _rising_proposal(situation_report(period=NOVEMBER, today=dt.date(2025, 12, 5)))
    assert proposal.endswith(
        "ban hành định hướng tuyên truyền đối với các vấn đề đang tăng: Ùn tắc kéo dài trên "
        "đường lên cửa khẩu (6 ý kiến, tăng 5 (500%) so với kỳ trước); Sạt lở taluy đường tỉnh "
        "229 (4 ý kiến, mới xuất hiện trong kỳ)."
    )


def test_no_matter_is_called_rising_on_one_to_three_opinions(world: Any) -> None:
    for n, title in enumerate(["Rác thải ở chợ", "Chuyển đổi số", "Giá phân bón"]):
        _issue(world, title, november=[local(2025, 11, 5 + 7 * k, 9, 0) for k in range(n + 1)])

    doc = situation_report(period=NOVEMBER, today=dt.date(2025, 12, 5))
    assert _rising_proposal(doc) == ""
    assert "tập trung vào 3 vấn đề" in paragraph(doc, "overview")
