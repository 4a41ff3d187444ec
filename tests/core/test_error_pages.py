"""Bad requests never give a 500, and every error page is Vietnamese (issue 14, defect 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

FORMS = ["/phan-anh/", "/phan-anh/cong-tac-vien/", "/dang-nhap/", "/quan-tri/login/", "/api/issues"]
BODIES = [
    ("application/x-www-form-urlencoded; charset=windows-1258", b"content=Nu\xf4\xf3c&username=a"),
    (
        "multipart/form-data; boundary=XX; charset=windows-1258",
        b'--XX\r\nContent-Disposition: form-data; name="content"\r\n\r\nNu\xf4\xf3c\r\n--XX--\r\n',
    ),
    ("application/x-www-form-urlencoded; charset=khong-co-bang-ma", b"content=abc"),
    ("multipart/form-data; boundary=XX", b"--XX\r\nrac"),
]


@pytest.mark.parametrize("url", FORMS)
@pytest.mark.parametrize("content_type, body", BODIES)
def test_odd_encodings_never_give_a_500_and_refusals_are_vietnamese(
    db: None, url: str, content_type: str, body: bytes
) -> None:
    client = Client(raise_request_exception=False)
    response = client.generic("POST", url, data=body, content_type=content_type)
    assert response.status_code < 500, (url, content_type, response.status_code)
    if response.status_code in (400, 403) and not url.startswith("/api/"):
        text = response.content.decode()
        assert "<html" in text and 'lang="vi"' in text, text[:300]


@pytest.mark.parametrize(
    "status, words",
    [(400, "Yêu cầu không hợp lệ"), (403, "Không có quyền"), (404, "Không tìm thấy")],
)
def test_error_pages_are_vietnamese(db: None, status: int, words: str, settings: Any) -> None:
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    if status == 400:
        response = Client(raise_request_exception=False).generic(
            "POST",
            "/phan-anh/",
            data=b"content=x",
            content_type="application/x-www-form-urlencoded; charset=windows-1258",
        )
    elif status == 403:
        response = client.post("/phan-anh/", {"content": "x"})  # no CSRF token
        assert "tải lại trang" in response.content.decode()
    else:
        response = client.get("/khong-co-trang-nay/")
    assert response.status_code == status
    assert words in response.content.decode()
