"""Login throttling per account and address, the admin login through the same view, and
two-factor authentication (issue 14, defect 2)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import segno
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.core.models import AuditEvent

PASSWORD = "mat-khau-thu"


@pytest.fixture(autouse=True)
def _clean_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


def _post_login(user: Any, password: str, address: str, url: str = "/dang-nhap/") -> Any:
    return Client(REMOTE_ADDR=address).post(url, {"username": user.username, "password": password})


def _with_password(user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save()
    return user


def test_an_attacker_cannot_lock_the_owner_out(world: Any) -> None:
    coordinator = _with_password(world.coordinator)
    attacker = "203.0.113.66"
    codes = [_post_login(coordinator, f"doan-{n}", attacker).status_code for n in range(15)]
    assert codes[:4] == [200] * 4 and set(codes[4:]) == {429}
    # The right password from the attacker's address is refused while the lock holds...
    assert _post_login(coordinator, PASSWORD, attacker).status_code == 429
    page = _post_login(coordinator, PASSWORD, attacker).content.decode()
    assert "thử lại sau ít phút" in page
    # ... but the owner, from their own address, logs in.
    assert _post_login(coordinator, PASSWORD, "198.51.100.10").status_code == 302
    # After the cool-down the pair is free again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=1))
    cache.clear()  # and the per-address flood limit's minute has passed too
    assert _post_login(coordinator, PASSWORD, attacker).status_code == 302


def test_the_admin_login_goes_through_the_same_view(world: Any) -> None:
    admin = _with_password(world.administrator)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client(REMOTE_ADDR="203.0.113.67")
    page = client.get("/quan-tri/login/?next=/quan-tri/")
    assert page.status_code == 302 and page["Location"] == "/dang-nhap/?next=/quan-tri/"
    for n in range(15):
        client.post("/quan-tri/login/", {"username": admin.username, "password": f"sai-{n}"})
    response = client.post("/quan-tri/login/", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    for n in range(5):
        client.post("/dang-nhap/", {"username": admin.username, "password": f"sai-{n}"})
    locked = client.post("/dang-nhap/", {"username": admin.username, "password": PASSWORD})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + offset
    return f"{totp.token():0{device.digits}d}"


def test_coordinators_enrol_then_verify_with_a_code_or_a_recovery_code(
    world: Any, settings: Any
) -> None:
    settings.PHOIHOP_REQUIRE_2FA = True
    coordinator = _with_password(world.coordinator)
    client = Client(REMOTE_ADDR="198.51.100.11")
    assert (
        client.post(
            "/dang-nhap/", {"username": coordinator.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    blocked = client.get("/cong-viec/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/xac-thuc/")
    assert client.get("/api/issues").status_code == 302
    enrol = client.get(blocked["Location"]).content.decode()
    assert "Bật xác thực hai bước" in enrol
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', enrol)
    assert secret is not None
    # the QR code is this device's address, drawn as segno draws it: scanned, not typed
    expected = segno.make(device.config_url, error="m").svg_inline(scale=4, lineclass=None)
    shown = re.search(r'<svg[^>]*class="otp-qr"[^>]*>.*?</svg>', enrol, re.S)
    assert shown is not None and "<title>Mã QR để quét" in shown[0]
    assert re.search(r' d="([^"]+)"', expected)[1] in shown[0]  # type: ignore[index]
    assert secret[1] in device.config_url
    wrong = client.post("/xac-thuc/", {"code": "000000", "next": "/cong-viec/"})
    assert wrong.status_code == 400 and "Mã không đúng" in wrong.content.decode()
    # django-otp slows guessing down after a failure (1 s, then 2 s, 4 s...): let it pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=1)
    )
    done = client.post("/xac-thuc/", {"code": _code(device), "next": "/cong-viec/"})
    codes = re.findall(r"<li><code>(\d{8})</code></li>", done.content.decode())
    assert done.status_code == 200, done.content.decode()[:2000]
    assert len(codes) == 10
    assert client.get("/cong-viec/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa.enrol", actor=coordinator).exists()

    # A new session: the password alone is not enough; a recovery code works once.
    other = Client(REMOTE_ADDR="198.51.100.12")
    other.post("/dang-nhap/", {"username": coordinator.username, "password": PASSWORD})
    assert other.get("/cong-viec/")["Location"].startswith("/xac-thuc/")
    page = other.get("/xac-thuc/?next=/cong-viec/").content.decode()
    assert "một mã khôi phục" in page
    assert other.post("/xac-thuc/", {"code": codes[0], "next": "/cong-viec/"}).status_code == 302
    assert other.get("/cong-viec/").status_code == 200
    third = Client(REMOTE_ADDR="198.51.100.13")
    third.post("/dang-nhap/", {"username": coordinator.username, "password": PASSWORD})
    assert third.post("/xac-thuc/", {"code": codes[0]}).status_code == 400  # used up


@pytest.mark.parametrize("role", ["leader", "administrator"])
def test_leaders_and_administrators_need_the_second_factor_handlers_do_not(
    world: Any, settings: Any, role: str
) -> None:
    settings.PHOIHOP_REQUIRE_2FA = True
    client = Client()
    client.force_login(getattr(world, role))
    assert client.get("/cong-viec/").status_code == 302
    handler = Client()
    handler.force_login(world.handler)
    assert handler.get("/cong-viec/").status_code == 200


def test_the_demo_accounts_log_in_with_the_published_demo_key(db: None, settings: Any) -> None:
    settings.PHOIHOP_REQUIRE_2FA = True
    call_command("load_demo", verbosity=0)
    client = Client()
    response = client.post("/dang-nhap/", {"username": "dieuphoi", "password": "phoihop-demo"})
    assert response.status_code == 302
    assert client.get("/cong-viec/")["Location"].startswith("/xac-thuc/")
    device = TOTPDevice.objects.get(user__username="dieuphoi")
    assert client.post("/xac-thuc/", {"code": _code(device)}).status_code == 302
    assert client.get("/cong-viec/").status_code == 200


def test_a_signed_in_handler_opening_the_admin_is_refused_not_sent_round_in_circles(
    world: Any,
) -> None:
    client = Client()
    client.force_login(world.handler)  # handlers need no second factor
    response = client.get("/quan-tri/notifications/delivery/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
    assert "quyền vào trang quản trị" in response.content.decode()


def test_a_code_refused_while_django_otp_makes_one_wait_says_how_long(
    world: Any, settings: Any
) -> None:
    """Right after a wrong code even the right one is refused for a moment (1 s, 2 s, 4 s…):
    the page says to wait, not that the code is wrong."""
    settings.PHOIHOP_REQUIRE_2FA = True
    client = Client()
    client.force_login(world.coordinator)
    enrol = client.get("/xac-thuc/?next=/cong-viec/").content.decode()
    assert "otp-uri" in enrol  # the long otpauth:// address wraps inside the card
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    wrong = client.post("/xac-thuc/", {"code": "000000", "next": "/cong-viec/"})
    assert "Mã không đúng" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    waiting = client.post("/xac-thuc/", {"code": _code(device), "next": "/cong-viec/"})
    page = waiting.content.decode()
    assert waiting.status_code == 400 and "Mã không đúng" not in page
    assert re.search(r"Bạn nhập sai nhiều lần, vui lòng đợi [34] giây rồi thử lại\.", page)
    device.refresh_from_db()
    assert not device.confirmed

    # once enrolled, the code page says the same
    TOTPDevice.objects.filter(pk=device.pk).update(
        confirmed=True, throttling_failure_count=2, throttling_failure_timestamp=timezone.now()
    )
    verify = client.post("/xac-thuc/", {"code": _code(device), "next": "/cong-viec/"})
    assert re.search(r"vui lòng đợi [12] giây", verify.content.decode())
