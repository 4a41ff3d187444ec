"""The public feedback form works without JavaScript, resists spam and gives a tracking code."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from phoihop.core.models import AuditEvent
from phoihop.intake.forms import form_token
from phoihop.intake.models import Attachment, Signal
from phoihop.intake.selectors import tracking_status

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CONTENT = "Cống thoát nước trước nhà văn hóa khối 5 bị tắc, nước tràn lên đường."


def _post(client: Client, url: str = "/phan-anh/", **fields: Any) -> Any:
    data = {"content": CONTENT, "started": form_token(time.time() - 30), "website": ""}
    data.update(fields)
    return client.post(url, data, REMOTE_ADDR="10.0.0.1")


def test_the_form_is_plain_html_with_a_honeypot_and_no_inline_script(db: None) -> None:
    page = Client().get("/phan-anh/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<form method="post" enctype="multipart/form-data"' in html
    assert 'name="website"' in html and 'name="started"' in html
    assert "<script>" not in html and "style=" not in html
    assert "intake/intake.css" in html


def test_anonymous_feedback_gets_a_tracking_code_and_a_link_to_follow_it(places: Any) -> None:
    client = Client()
    response = _post(client, place=places["Xã Cao Lộc"].pk)
    assert response.status_code == 302 and response["Location"] == "/phan-anh/da-gui/"
    signal = Signal.objects.get()
    code = signal.tracking_code
    assert code and re.fullmatch(r"PA-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", code)
    assert signal.channel == Signal.Channel.FEEDBACK and signal.place == places["Xã Cao Lộc"]
    assert signal.metadata == {"via": "web", "place_text": "Xã Cao Lộc"}
    done = client.get("/phan-anh/da-gui/").content.decode()
    assert code in done and f'href="/tra-cuu/?ma={code}"' in done
    status = tracking_status(code=code.lower())
    assert status is not None and status.status == "Đã tiếp nhận, đang phân loại"
    assert AuditEvent.objects.filter(action="signal.feedback", target_id=str(signal.pk)).exists()


def test_sending_the_same_feedback_twice_keeps_one_signal_and_one_code(db: None) -> None:
    client = Client()
    _post(client, name="Trần Văn B", contact="0900000000")
    first = client.get("/phan-anh/da-gui/").content.decode()
    _post(client, name="Trần Văn B", contact="0900000000", content=CONTENT.replace(" ", "  "))
    second = client.get("/phan-anh/da-gui/").content.decode()
    assert Signal.objects.count() == 1
    code = Signal.objects.get().tracking_code
    assert code in first and code in second


def test_attachments_are_checked_from_their_bytes(db: None) -> None:
    client = Client()
    good = SimpleUploadedFile("anh.jpg", PNG, content_type="image/jpeg")
    response = _post(client, attachments=[good])
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.size == len(PNG)

    fake = SimpleUploadedFile("anh.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = _post(client, content="Một phản ánh khác hẳn", attachments=[fake])
    assert response.status_code == 400
    assert "không phải ảnh (PNG, JPEG, WebP, GIF) hoặc PDF" in response.content.decode()
    assert Signal.objects.count() == 1


def test_oversized_attachments_are_refused(db: None, settings: Any) -> None:
    settings.PHOIHOP_INTAKE_MAX_ATTACHMENT_BYTES = 1024
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * 4096)
    response = _post(Client(), attachments=[big])
    assert response.status_code == 400
    assert "quá lớn" in response.content.decode()
    assert Signal.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"website": "http://spam.example"}, "Không gửi được phản ánh."),
        ({"started": "now"}, "gửi quá nhanh"),
        ({"started": "gia-mao"}, "biểu mẫu đã hết hạn"),
    ],
)
def test_bots_are_turned_away_without_third_party_services(
    db: None, fields: dict[str, str], message: str
) -> None:
    if fields.get("started") == "now":
        fields = {"started": form_token()}  # shown this instant: nobody reads that fast
    response = _post(Client(), **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Signal.objects.count() == 0


def test_an_empty_form_names_the_missing_content(db: None) -> None:
    response = _post(Client(), content="")
    assert response.status_code == 400
    assert Signal.objects.count() == 0


def test_the_form_is_rate_limited_with_a_vietnamese_message(db: None, settings: Any) -> None:
    settings.PHOIHOP_FEEDBACK_RATE = "2/h"
    client = Client()
    for n in range(2):
        assert _post(client, content=f"{CONTENT} lần {n}").status_code == 302
    response = _post(client, content=f"{CONTENT} lần 3")
    assert response.status_code == 429
    assert "Bạn đã gửi quá nhiều lần" in response.content.decode()
    assert Signal.objects.count() == 2


def test_the_done_page_without_a_submission_goes_back_to_the_form(db: None) -> None:
    response = Client().get("/phan-anh/da-gui/")
    assert response.status_code == 302 and response["Location"] == "/phan-anh/"


def test_collaborators_send_a_short_report(places: Any) -> None:
    client = Client()
    assert client.get("/phan-anh/cong-tac-vien/").status_code == 200
    data = {
        "reporter": "Lý Văn Sơn",
        "phone": "0987 111 222",
        "place": places["Xã Cao Lộc"].pk,
        "period": "Tháng 11/2026",
        "topic": "Giá phân bón",
        "mood": "worried",
        "content": "Bà con lo giá phân bón tăng trước vụ đông xuân.",
    }
    response = _post(client, "/phan-anh/cong-tac-vien/", **data)
    assert response.status_code == 302
    signal = Signal.objects.get(channel=Signal.Channel.COLLABORATOR)
    assert signal.title == "Giá phân bón" and signal.metadata["mood"] == "worried"
    assert signal.tracking_code is None
    _post(client, "/phan-anh/cong-tac-vien/", **data)
    assert Signal.objects.count() == 1
    bad = _post(client, "/phan-anh/cong-tac-vien/", **{**data, "mood": "vui"})
    assert bad.status_code == 400


def test_the_confirmation_offers_copy_and_print_and_a_privacy_notice(db: None) -> None:
    client = Client()
    _post(client, name="Trần Văn C", contact="0911111111")
    done = client.get("/phan-anh/da-gui/").content.decode()
    assert 'id="copy-code"' in done and 'id="print-code"' in done
    assert "intake/tracking.js" in done and "<script>" not in done
    assert "Thông tin cá nhân của bạn" in done and "không được công bố" in done


def _token_in(response: Any) -> str:
    match = re.search(r'name="started" value="([^"]+)"', response.content.decode())
    assert match, "the form shown again carries a token"
    return match.group(1)


def test_a_citizen_refused_as_too_fast_sends_again_once_the_first_load_is_old_enough(
    db: None, settings: Any
) -> None:
    """Sent 1.5 s after the page loaded: refused, told to wait a few seconds, with what they
    typed kept. Sent again at once: still too fast. Sent again a moment later, 3 s after the
    FIRST load: accepted (the form shown again must not restart the wait)."""
    settings.PHOIHOP_INTAKE_MIN_FILL_SECONDS = 3
    client = Client()
    refused = _post(client, started=form_token(time.time() - 1.5), name="Trần Thị Mai")
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "gửi quá nhanh" in html and "đợi vài giây" in html
    assert CONTENT in html and "Trần Thị Mai" in html  # what they typed is kept
    again = _post(client, started=_token_in(refused), name="Trần Thị Mai")
    assert again.status_code == 400 and "đợi vài giây" in again.content.decode()
    time.sleep(1.6)
    sent = _post(client, started=_token_in(again), name="Trần Thị Mai")
    assert sent.status_code == 302
    assert Signal.objects.count() == 1


def test_a_used_token_shown_again_earns_only_a_token_of_now(db: None, settings: Any) -> None:
    settings.PHOIHOP_INTAKE_MIN_FILL_SECONDS = 3
    token = form_token(time.time() - 30)
    assert _post(Client(), started=token).status_code == 302
    replay = _post(Client(), started=token, content=CONTENT + " lần hai")
    assert replay.status_code == 400 and "đã hết hạn" in replay.content.decode()
    at_once = _post(Client(), started=_token_in(replay), content=CONTENT + " lần hai")
    assert at_once.status_code == 400 and "gửi quá nhanh" in at_once.content.decode()
    assert Signal.objects.count() == 1


def test_a_token_expires_a_day_after_the_form_was_first_shown(db: None) -> None:
    response = _post(Client(), started=form_token(time.time() - 86_401))
    assert response.status_code == 400 and "đã hết hạn" in response.content.decode()
    assert Signal.objects.count() == 0


def test_resending_an_incomplete_form_cannot_mint_tokens_of_an_old_time(
    db: None, settings: Any
) -> None:
    """A bot that waits once, then posts the form empty again and again, gets back the same
    token each time (its nonce not yet used): one feedback goes through, the others are
    refused as replays."""
    settings.PHOIHOP_INTAKE_MIN_FILL_SECONDS = 3
    waited = form_token(time.time() - 30)
    harvested = [_token_in(_post(Client(), started=waited, content="")) for _n in range(3)]
    assert set(harvested) == {waited}
    sent = [_post(Client(), started=t, content=f"{CONTENT} {n}") for n, t in enumerate(harvested)]
    assert [r.status_code for r in sent] == [302, 400, 400]
    assert Signal.objects.count() == 1


def test_a_form_sent_back_with_files_asks_for_them_again(db: None, settings: Any) -> None:
    """A browser never fills a file input again: refused too fast (or for any other
    reason), the form says the photo was not sent and must be chosen again."""
    settings.PHOIHOP_INTAKE_MIN_FILL_SECONDS = 3
    photo = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    refused = _post(Client(), started=form_token(time.time() - 1), attachments=photo)
    assert refused.status_code == 400
    assert "chọn lại tệp" in refused.content.decode()
    without = _post(Client(), started=form_token(time.time() - 1))
    assert "chọn lại tệp" not in without.content.decode()
    assert Attachment.objects.count() == 0
