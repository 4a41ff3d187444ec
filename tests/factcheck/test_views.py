"""The rebuttal path in the browser: register, verify, draft, sign-off, publish."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.utils import timezone
from tests.factories import AgencyFactory

from phoihop.core.services import agency_merge
from phoihop.factcheck import services
from phoihop.factcheck.models import Claim, Rebuttal


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_rebuttal_path_in_the_browser(world: Any, court: Any) -> None:
    coordinator = _client(world.coordinator)
    bad = coordinator.post("/cong-viec/phan-bac/moi/", {"wording": "", "risk": "high"})
    assert bad.status_code == 400
    response = coordinator.post(
        "/cong-viec/phan-bac/moi/",
        {
            "wording": "Tòa án xử oan nông dân",
            "first_seen_on": timezone.localdate().isoformat(),
            "risk": "high",
            "competent_agency": court.agency.pk,
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    base = f"/cong-viec/phan-bac/{claim.pk}/"
    assert coordinator.post(f"{base}verify/", {}).status_code == 302
    draft = {
        "draft-title": "Không có chuyện xử oan",
        "draft-text": "Bản án đúng pháp luật.",
        "draft-rating": "Sai sự thật",
        "draft-confirming_agency": court.agency.pk,
    }
    assert _client(court.leader).post(f"{base}draft/", draft).status_code == 403
    assert coordinator.post(f"{base}draft/", draft).status_code == 302

    # The department leader is not the competent agency; the court's leader is.
    assert _client(world.leader).post(f"{base}confirm/", {}).status_code == 403
    page = _client(court.leader).get(base).content.decode()
    assert "Xác nhận thông tin trong bài phản bác" in page
    assert (
        _client(court.leader).post(f"{base}confirm/", {"confirm-note": "Đúng"}).status_code == 302
    )

    assert coordinator.post(f"{base}publish/", {}).status_code == 302
    rebuttal = Rebuttal.objects.get()
    assert rebuttal.state == Rebuttal.State.PUBLISHED
    page = coordinator.get(base).content.decode()
    assert "Đã phản bác" in page and court.leader.full_name in page

    listing = coordinator.get("/cong-viec/phan-bac/?q=xu oan").content.decode()
    assert "Tòa án xử oan nông dân" in listing


def test_signal_page_shows_the_rebuttal_it_repeats(world: Any, court: Any, claim: Claim) -> None:
    from tests.factcheck.conftest import signal

    from phoihop.factcheck import services

    services.claim_start_verification(claim=claim, by=world.coordinator)
    rebuttal = services.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Không xử oan", text="Đúng pháp luật."
    )
    services.rebuttal_confirm(rebuttal=rebuttal, by=court.leader)
    services.rebuttal_publish(rebuttal=rebuttal, by=world.coordinator, send_guidance=False)
    repeated = signal("Tòa xử oan nông dân", source="zalo")
    services.claim_link_signal(claim=claim, signal=repeated, score=0.9)

    page = _client(world.coordinator).get(f"/cong-viec/phan-bac/tin-hieu/{repeated.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Không xử oan" in html and "chưa thuộc vấn đề nào" in html
    answer = _client(world.coordinator).post(
        f"/cong-viec/phan-bac/tin-hieu/{repeated.pk}/tra-loi/{rebuttal.pk}/"
    )
    assert answer.status_code == 400


def _chosen_confirming_agency(page: str) -> list[str]:
    select = page.split('name="draft-confirming_agency"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_the_draft_starts_on_the_claims_competent_agency(
    world: Any, court: Any, claim: Claim
) -> None:
    services.claim_start_verification(claim=claim, by=world.coordinator)
    page = _client(world.coordinator).get(f"/cong-viec/phan-bac/{claim.pk}/").content.decode()
    assert _chosen_confirming_agency(page) == [str(court.agency.pk)]


def test_an_agency_merged_since_the_claim_was_registered_starts_as_its_successor(
    world: Any,
) -> None:
    old = AgencyFactory(code="so-tnmt", name="Sở Tài nguyên và Môi trường")
    claim = services.claim_register(
        by=world.coordinator,
        wording="Tỉnh cấp phép khai thác cát trái phép trên sông Kỳ Cùng",
        first_seen_on=timezone.localdate(),
        risk=Claim.Risk.HIGH,
        competent_agency=old,
    )
    services.claim_start_verification(claim=claim, by=world.coordinator)
    agency_merge(agency=old, into=world.dept, by=world.administrator)

    coordinator = _client(world.coordinator)
    page = coordinator.get(f"/cong-viec/phan-bac/{claim.pk}/").content.decode()
    assert _chosen_confirming_agency(page) == [str(world.dept.pk)]
    # the department's leaders confirm (the merged agency has nobody left to ask)
    rebuttal = services.rebuttal_draft(
        claim=claim, by=world.coordinator, title="Không cấp phép", text="Không có giấy phép nào."
    )
    assert rebuttal.confirming_agency == world.dept
