"""Claims in the product: paraphrases from social networks are matched to the registry, the
signal page leads to the answer with the existing rebuttal, and ClaimReview says where the
claim appeared."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from tests.triaging.test_proposals import _signal, province, triage  # noqa: F401  (fixture)

from phoihop.factcheck import services
from phoihop.factcheck.models import Claim, Rebuttal, Sighting
from phoihop.intake.models import Signal
from phoihop.triaging import runtime

COURT = (
    "Tin lan truyền nói Tòa án nhân dân tỉnh xử oan một nông dân trong vụ tranh chấp đất, "
    'bản án bị "mua".'
)


@pytest.fixture(autouse=True)
def _empty_page_cache() -> Iterator[None]:
    """Published portal pages are cached: leave none behind for other tests."""
    cache.clear()
    yield
    cache.clear()


HOSPITAL = "Bệnh viện Đa khoa tỉnh Lạng Sơn từ chối cấp cứu khiến một sản phụ tử vong."


def _claim(world: Any, wording: str, summary: str) -> Claim:
    return services.claim_register(
        by=world.coordinator,
        wording=wording,
        summary=summary,
        first_seen_on=timezone.localdate(),
        risk=Claim.Risk.HIGH,
        competent_agency=world.dept,
    )


def _published(world: Any, claim: Claim) -> Rebuttal:
    services.claim_start_verification(claim=claim, by=world.coordinator)
    rebuttal = services.rebuttal_draft(
        claim=claim,
        by=world.coordinator,
        title="Tòa án không xử oan nông dân trong vụ tranh chấp đất",
        text="Vụ án được xét xử công khai, đúng trình tự.",
        confirming_agency=world.dept,
    )
    services.rebuttal_confirm(rebuttal=rebuttal, by=world.leader)
    return services.rebuttal_publish(rebuttal=rebuttal, by=world.coordinator, send_guidance=False)


def _post(text: str, url: str, source: str) -> Signal:
    signal = _signal(text, source=source)
    signal.channel = Signal.Channel.SOCIAL
    signal.url = url
    signal.save(update_fields=["channel", "url"])
    return signal


def test_a_tiktok_post_and_a_zalo_paraphrase_are_matched_to_their_claims(
    province: Any,  # noqa: F811
) -> None:
    court = _claim(province, COURT, "Tòa án xử oan nông dân")
    hospital = _claim(province, HOSPITAL, "Bệnh viện từ chối cấp cứu sản phụ")
    _claim(
        province,
        "Bài đăng trên mạng xã hội cho rằng tỉnh Lạng Sơn thu hồi đất của người dân để làm cao "
        "tốc Đồng Đăng – Trà Lĩnh mà không bồi thường, hỗ trợ.",
        "Thu hồi đất cao tốc không bồi thường",
    )
    runtime.forget()
    tiktok = _post(
        "Tòa án tỉnh Lạng Sơn xử oan nông dân trong vụ tranh chấp đất",
        "https://www.tiktok.com/@tin.nong/video/7311",
        "tiktok",
    )
    zalo = _post(
        "nghe noi bv da khoa tinh ko chiu cap cuu nen san phu chet roi, moi nguoi chia se giup",
        "",
        "zalo",
    )
    unrelated = _post("Đề nghị sửa chữa cầu treo bị hư hỏng ở phường Tam Thanh", "", "zalo-2")
    for signal in (tiktok, zalo, unrelated):
        triage(signal)
    assert Sighting.objects.filter(claim=court, signal=tiktok).exists()
    assert Sighting.objects.filter(claim=hospital, signal=zalo).exists()
    assert not Sighting.objects.filter(signal=unrelated).exists()
    assert set(Sighting.objects.filter(signal=tiktok).values_list("claim", flat=True)) == {court.pk}
    assert set(Sighting.objects.filter(signal=zalo).values_list("claim", flat=True)) == {
        hospital.pk
    }


def test_the_signal_page_leads_to_the_answer_with_the_existing_rebuttal(
    province: Any,  # noqa: F811
) -> None:
    claim = _claim(province, COURT, "Tòa án xử oan nông dân")
    _published(province, claim)
    runtime.forget()
    tiktok = _post(
        "Tòa án tỉnh Lạng Sơn xử oan nông dân trong vụ tranh chấp đất",
        "https://www.tiktok.com/@tin.nong/video/7311",
        "tiktok",
    )
    triage(tiktok)
    client = Client()
    client.force_login(province.coordinator)
    page = client.get(f"/cong-viec/tiep-nhan/{tiktok.pk}/").content.decode()
    assert f'href="/cong-viec/phan-bac/tin-hieu/{tiktok.pk}/"' in page
    assert "Trả lời bằng bài phản bác này" in page
    answer_page = client.get(f"/cong-viec/phan-bac/tin-hieu/{tiktok.pk}/").content.decode()
    assert "Tòa án không xử oan nông dân trong vụ tranh chấp đất" in answer_page


def test_claim_review_lists_where_the_claim_appeared(world: Any) -> None:
    claim = _claim(world, COURT, "Tòa án xử oan nông dân")
    for i, url in enumerate(
        ["https://www.tiktok.com/@a/video/1", "", "https://www.facebook.com/groups/x/posts/2"]
    ):
        services.claim_link_signal(
            claim=claim, signal=_post(f"Tòa xử oan nông dân lần {i}", url, f"s{i}"), by=None
        )
    rebuttal = _published(world, claim)
    expected = [
        {"@type": "CreativeWork", "url": "https://www.tiktok.com/@a/video/1"},
        {"@type": "CreativeWork", "url": "https://www.facebook.com/groups/x/posts/2"},
    ]
    assert rebuttal.claim_review()["itemReviewed"]["appearance"] == expected
    page = Client().get(rebuttal.portal_url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    reviews = [json.loads(b) for b in blocks if "ClaimReview" in b]
    assert reviews and reviews[0]["itemReviewed"]["appearance"] == expected


def test_registering_a_claim_does_not_call_it_false_before_verification(world: Any) -> None:
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(
        "/cong-viec/phan-bac/moi/",
        {
            "wording": "Tin đồn xã Na Sầm bị thu hồi toàn bộ đất",
            "first_seen_on": timezone.localdate().strftime("%d/%m/%Y"),
            "risk": "high",
            "competent_agency": world.dept.pk,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã ghi nhận thông tin cần kiểm chứng." in page
    assert "Đã ghi nhận thông tin sai sự thật" not in page
