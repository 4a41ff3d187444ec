"""Two-factor authentication (TOTP, with recovery codes) for the roles that can do the most.

Who: administrators (and superusers or staff of the admin site), coordinators and leaders,
when PHOIHOP_REQUIRE_2FA is on (the default outside DEBUG). The password login logs the user
in as usual; until the session is verified with a code (django-otp), every staff path
(/cong-viec/, /quan-ly/, /quan-tri/, /api/ with the session) redirects to «Xác thực hai
bước»: enrolment (a TOTP secret for an authenticator app, then ten single-use recovery
codes) the first time, a code or a recovery code afterwards. API tokens are a separate
credential and are not affected.
"""

from __future__ import annotations

import base64
import math
import secrets
from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from phoihop.core import audit, policy
from phoihop.core.models import User

STAFF_PREFIXES = ("/cong-viec/", "/quan-ly/", "/quan-tri/", "/api/")
RECOVERY_CODES = 10


def required_for(user: policy.AnyUser) -> bool:
    """Whether `user` must pass a second factor before staff pages."""
    if not settings.PHOIHOP_REQUIRE_2FA:
        return False
    return required_for_role(user)


def required_for_role(user: policy.AnyUser) -> bool:
    """Whether `user`'s roles call for a second factor (whatever the setting says)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(
        user.is_superuser
        or user.is_staff
        or policy.has_role(user, policy.Role.ADMINISTRATOR, policy.Role.COORDINATOR)
        or policy.has_role(user, policy.Role.LEADER)
    )


def is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (one per user), created if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_code(uri: str) -> SafeString:
    """The enrolment address as an inline SVG QR code for the authenticator app to scan:
    black on white even in night mode, with its quiet zone; nothing but the address in it."""
    code = segno.make(uri, error="m")
    svg = code.svg_inline(
        scale=4,
        dark="#000",
        light="#fff",
        title=_("Mã QR để quét bằng ứng dụng xác thực"),
        svgclass="otp-qr",
        lineclass=None,
    )
    return mark_safe(svg)  # noqa: S308 - segno's own SVG of our own address


def seconds_to_wait(device: TOTPDevice | None) -> int:
    """How long django-otp still refuses codes after wrong ones (1 s, 2 s, 4 s…); 0 when it
    takes one now. While it refuses, even the right code fails: say so, not «Mã không đúng»."""
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data or data.get("locked_until") is None:
        return 0
    left: float = (data["locked_until"] - timezone.now()).total_seconds()
    return max(1, math.ceil(left))


def throttled_message(seconds: int) -> str:
    return _("Bạn nhập sai nhiều lần, vui lòng đợi %(n)d giây rồi thử lại.") % {"n": seconds}


@transaction.atomic
def confirm_enrolment(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a first code; returns the new recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user=user)
    audit.record(actor=user, action="auth.2fa.enrol", target=user)
    return codes


def new_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new single-use ones."""
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name="Mã khôi phục", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


class RequireTwoFactorMiddleware:
    """Send unverified users who need 2FA from staff paths to «Xác thực hai bước»."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path.startswith(STAFF_PREFIXES)
            and required_for(request.user)
            and not is_verified(request)
        ):
            target = reverse("two_factor") + "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)
