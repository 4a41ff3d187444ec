"""Vietnamese where Django and the libraries leave English: the project's catalog
(locale/vi) is compiled and loaded, and the admin and form messages use it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

import phoihop
from phoihop.cases.tasks import escalate_overdue

PO = Path(phoihop.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r'^(?:msgctxt "(?P<ctx>.*)"\n)?msgid "(?P<id>.+)"\n'
    r'(?:msgid_plural "(?P<plural>.*)"\nmsgstr\[0\]|msgstr) "(?P<str>.*)"$',
    re.M,
)


def _unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


def test_every_entry_of_the_catalog_is_what_django_says_in_vietnamese() -> None:
    entries = list(ENTRY.finditer(PO.read_text(encoding="utf-8")))
    assert len(entries) > 100
    stale = []
    with translation.override("vi"):
        for m in entries:
            msgid, msgstr, ctx = _unquote(m["id"]), _unquote(m["str"]), m["ctx"]
            if m["plural"] is not None:
                said = translation.ngettext(msgid, _unquote(m["plural"]), 2)
            elif ctx:
                said = translation.pgettext(ctx, msgid)
            else:
                said = translation.gettext(msgid)
            if said != msgstr:
                stale.append(f"{msgid!r}: {said!r} != {msgstr!r}")
    assert not stale, "recompile django.mo:\n" + "\n".join(stale)


def test_django_form_messages_are_in_vietnamese() -> None:
    field = forms.CharField()
    with translation.override("vi"), pytest.raises(forms.ValidationError) as error:
        field.clean("phản ánh\x00")
    assert error.value.messages == ["Không được chứa ký tự rỗng (null)."]


def _superuser(world: Any) -> Client:
    """The demo administrator signed in to the admin as a superuser."""
    world.administrator.is_staff = world.administrator.is_superuser = True
    world.administrator.save()
    client = Client()
    client.force_login(world.administrator)
    return client


@pytest.mark.django_db
def test_the_admin_speaks_vietnamese_in_the_libraries_sections_too(world: Any) -> None:
    client = _superuser(world)
    index = client.get("/quan-tri/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    for english in (
        "Skip to main content",
        "Toggle theme",
        "Axes",
        "Access attempts",
        "Static devices",
        "TOTP devices",
        "Tasks Database Backend",
        "Task Results",
    ):
        assert english not in index, english
    for vietnamese in (
        "Danh mục và phân quyền",  # phoihop.core keeps its own config
        "Bỏ qua, đến nội dung chính",
        "Đăng nhập sai, tạm khóa",
        "Nhật ký đăng nhập",
        "Bộ mã dự phòng",
        "Tác vụ nền",
    ):
        assert vietnamese in index, vietnamese
    # sections in Vietnamese alphabetical order: «Đ» right after «D», not after «X»
    sections = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', index)
    assert sections.index("Đăng nhập sai, tạm khóa") < sections.index("Tác vụ nền")
    assert "phoihop — Quản trị hệ thống" in index
    attempts = client.get("/quan-tri/axes/accesslog/", HTTP_ACCEPT_LANGUAGE="vi")
    page = attempts.content.decode()
    assert "Thời điểm đăng nhập" in page and "Hiện số lượng" in page
    assert "Attempt Time" not in page and "Show counts" not in page
    TOTPDevice.objects.create(user=world.administrator, name="Điện thoại công vụ")
    devices = client.get("/quan-tri/otp_totp/totpdevice/", HTTP_ACCEPT_LANGUAGE="vi")
    page = devices.content.decode()
    assert "Tên thiết bị" in page and "Đã xác nhận" in page
    assert "Last used at" not in page and ">Name<" not in page


@pytest.mark.django_db
def test_the_libraries_device_and_task_pages_have_no_english_headings(world: Any) -> None:
    client = _superuser(world)
    device = TOTPDevice.objects.create(user=world.administrator, name="Điện thoại công vụ")
    url = f"/quan-tri/otp_totp/totpdevice/{device.pk}/change/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    for vietnamese in ("Thiết bị", "Cấu hình mã", "Chặn đoán mã", "Mã QR", "Số chữ số của mỗi mã."):
        assert vietnamese in page, vietnamese
    for english in (
        "Identity",
        "Throttling",
        "QR Code",
        "The human-readable",
        "The date",
        ">qrcode<",
    ):
        assert english not in page, english
    qr = re.search(r'<a href="([^"]+)">Xem mã QR để quét</a>', page)
    assert qr and client.get(qr[1]).status_code == 200
    static = StaticDevice.objects.create(user=world.administrator, name="Mã dự phòng")
    url = f"/quan-tri/otp_static/staticdevice/{static.pk}/change/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Thời gian" in page and "Timestamps" not in page
    escalate_overdue.enqueue()
    tasks = client.get("/quan-tri/django_tasks_database/dbtaskresult/", HTTP_ACCEPT_LANGUAGE="vi")
    page = tasks.content.decode()
    assert "Tác vụ" in page and "escalate_overdue" in page and "Task name" not in page
    # the libraries' models have no title: the admin named them «… object (5)»
    static.token_set.create(token="abcd1234")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Mã dự phòng số" in page and "StaticToken object" not in page
    result = DBTaskResult.objects.get()
    url = f"/quan-tri/django_tasks_database/dbtaskresult/{result.pk}/change/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tác vụ escalate_overdue, xếp hàng lúc" in page and "DBTaskResult object" not in page
