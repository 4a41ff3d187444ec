"""Small helpers every staff view shares: who is asking, and errors shown on forms."""

from __future__ import annotations

import ipaddress

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from phoihop.core import policy
from phoihop.core.models import User

# Dates typed as dd/mm/yyyy: a native date picker would follow the browser's own locale
# (mm/dd/yyyy in many), while officials read and write day first. ISO dates still parse.
DATE_WIDGET = forms.DateInput(
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
    format="%d/%m/%Y",
)

# A deadline is typed day first like every date, and a «Chọn ngày» button (pickers.js) opens
# the browser's calendar and writes the chosen day back as dd/mm/yyyy: a bare native date
# field would show the browser's own order (mm/dd/yyyy in an English Chromium).
DATE_PICKER = forms.DateInput(
    attrs={
        "placeholder": "dd/mm/yyyy",
        "inputmode": "numeric",
        "autocomplete": "off",
        "data-date-picker": "1",
    },
    format="%d/%m/%Y",
)


def staff_user(request: HttpRequest) -> User:
    """The logged-in member of the programme (a user with no agency gets a 403)."""
    user = request.user
    assert isinstance(user, User)
    if not policy.can(user, "core.workspace_use"):
        raise PermissionDenied(_("Tài khoản chưa được gán vào cơ quan nào."))
    return user


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when it has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    for entry in settings.PHOIHOP_TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_ip(request: HttpRequest) -> str:
    """The client's address for rate limits and logs.

    REMOTE_ADDR, unless it is one of PHOIHOP_TRUSTED_PROXIES: then the right-most address in
    X-Forwarded-For that is not itself a trusted proxy (addresses further left are whatever
    the client chose to send, so they are never believed)."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    if not remote or not _trusted(remote):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    for candidate in reversed([a.strip() for a in forwarded.split(",") if a.strip()]):
        if _trusted(candidate):
            continue
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            break
    return remote
