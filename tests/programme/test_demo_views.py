"""In the browser, on the demo province: the coordinator opens the programme, sees the
agency × task matrix, issues a guidance and sees acknowledgements arrive from demo users."""

from __future__ import annotations

import re

from django.test import Client
from django.utils import timezone

from phoihop.core.models import User
from phoihop.demo.loader import load_demo
from phoihop.demo.programme import GUIDANCE_TITLE
from phoihop.factcheck.models import Claim, Rebuttal
from phoihop.programme.models import (
    CommendationProposal,
    Guidance,
    GuidanceRecipient,
    KeyProject,
    Programme,
    Task,
)


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_coordinator_runs_the_programme_on_demo_data(db: None) -> None:
    load_demo()
    counts = (Task.objects.count(), Guidance.objects.count(), Claim.objects.count())
    load_demo()  # idempotent
    assert counts == (Task.objects.count(), Guidance.objects.count(), Claim.objects.count())

    programme = Programme.objects.get()
    assert programme.signed_on.strftime("%d/%m/%Y") == "08/09/2021"
    assert programme.areas.count() == 7
    assert Task.objects.filter(due_on__lt=timezone.localdate(), progress__lt=100).exists()
    assert Claim.objects.filter(status=Claim.Status.VERIFYING).exists()
    assert Rebuttal.objects.filter(state=Rebuttal.State.PUBLISHED).exists()
    assert KeyProject.objects.get().links.exists()
    assert CommendationProposal.objects.filter(state="submitted").exists()
    demo_guidance = Guidance.objects.get(title=GUIDANCE_TITLE)
    assert demo_guidance.recipients.filter(acknowledged_at__isnull=False).exists()
    assert demo_guidance.recipients.filter(acknowledged_at__isnull=True).exists()

    coordinator = _client("dieuphoi")
    detail = coordinator.get(f"/cong-viec/chuong-trinh/dinh-huong/{demo_guidance.pk}/")
    detail_html = detail.content.decode()
    assert (
        "Dư luận mạng lưới gửi về" in detail_html and "công khai danh sách chi trả" in detail_html
    )
    assert 'hx-trigger="every 30s"' in detail_html  # acknowledgements refresh while watching
    page = coordinator.get("/cong-viec/chuong-trinh/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ma trận cơ quan × nhiệm vụ" in html
    assert "Truyền thông về dự án cao tốc Đồng Đăng – Trà Lĩnh" in html
    assert "Trễ" in html and "Quá hạn" not in html.split("Ma trận")[0]

    page = coordinator.post(
        "/cong-viec/chuong-trinh/dinh-huong/moi/",
        {
            "title": "Định hướng về mùa mưa lũ",
            "key_messages": "Chủ động phòng chống thiên tai.",
            "valid_from": timezone.localdate().isoformat(),
        },
    )
    assert page.status_code == 302
    url = page["Location"]
    guidance = Guidance.objects.get(title="Định hướng về mùa mưa lũ")
    assert coordinator.post(f"{url}issue/", {}).status_code == 302
    guidance.refresh_from_db()
    assert guidance.state == Guidance.State.ISSUED
    total = guidance.recipients.count()
    assert total >= 5

    handler = _client("xuly.nnmt")
    mine = handler.get("/cong-viec/chuong-trinh/dinh-huong/").content.decode()
    assert "Định hướng về mùa mưa lũ" in mine and "Chưa xác nhận" in mine
    assert handler.post(f"{url}acknowledge/", {}).status_code == 302
    assert _client("xuly.xd").post(f"{url}acknowledge/", {}).status_code == 302

    acks = coordinator.get(f"{url}tiep-nhan/").content.decode()
    assert f"2/{total} người nhận đã xác nhận." in acks
    pending = re.search(r'id="chua-xac-nhan">(.*?)</ul>', acks, re.S)
    done = re.search(r'id="da-xac-nhan">(.*?)</ul>', acks, re.S)
    assert pending is not None and done is not None
    assert "Vi Thị Mai" in done.group(1) and "Nông Văn Hải" in done.group(1)
    assert "Chu Văn Bình" in pending.group(1)
    assert (
        GuidanceRecipient.objects.filter(guidance=guidance, acknowledged_at__isnull=False).count()
        == 2
    )

    # Someone outside the recipients cannot acknowledge, nor see the lists.
    assert _client("hdnd").post(f"{url}acknowledge/", {}).status_code == 403
    assert handler.get(f"{url}tiep-nhan/").status_code == 403
