"""Forms of intake: they parse input and check its shape; the rules live in services."""

from __future__ import annotations

import secrets
import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit
from phoihop.core.pickers import collate_communes
from phoihop.core.selectors import communes
from phoihop.core.web import DATE_WIDGET
from phoihop.intake.headers import column_choices
from phoihop.intake.models import Signal, VoterContactRound
from phoihop.intake.selectors import SignalFilters
from phoihop.intake.services import MAX_ATTACHMENTS, MOODS

IMPORT_CHANNELS = [
    ("petitions", _("Kiến nghị cử tri (XLSX, CSV, DOCX)")),
    ("feedback", _("Phản ánh của người dân (XLSX, CSV)")),
    ("posts", _("Bài đăng mạng xã hội (JSONL, CSV, XLSX)")),
    ("news", _("Tin báo chí (tệp RSS/Atom)")),
]


class SignalFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kênh"), required=False, choices=[("", _("Tất cả")), *Signal.Channel.choices]
    )
    q = forms.CharField(label=_("Tìm kiếm (có hoặc không dấu)"), required=False, max_length=200)
    place = forms.ModelChoiceField(
        label=_("Địa bàn"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("Tất cả"),
    )
    round = forms.ModelChoiceField(
        label=_("Đợt tiếp xúc cử tri"),
        required=False,
        queryset=VoterContactRound.objects.none(),
        empty_label=_("Tất cả"),
    )
    received_from = forms.DateField(
        label=_("Tiếp nhận từ ngày"), required=False, widget=DATE_WIDGET
    )
    received_to = forms.DateField(label=_("đến ngày"), required=False, widget=DATE_WIDGET)
    linked = forms.ChoiceField(
        label=_("Đã gắn với vấn đề"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Đã gắn")), ("no", _("Chưa gắn"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]
        collate_communes(self.fields["place"])
        self.fields["round"].queryset = VoterContactRound.objects.order_by("-created_at")  # type: ignore[attr-defined]

    def filters(self) -> SignalFilters:
        """The filters a valid form asks for (none when the form is empty or invalid)."""
        if not self.is_valid():
            return SignalFilters()
        data = self.cleaned_data
        return SignalFilters(
            channel=data["channel"] or "",
            q=data["q"] or "",
            place=data["place"].pk if data["place"] else None,
            round=data["round"].pk if data["round"] else None,
            received_from=data["received_from"],
            received_to=data["received_to"],
            linked=data["linked"] or "",
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp cần nhập"))
    channel = forms.ChoiceField(label=_("Loại dữ liệu"), choices=IMPORT_CHANNELS)
    round_name = forms.CharField(
        label=_("Đợt tiếp xúc cử tri (để trống: đặt theo tên tệp)"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"list": "rounds"}),
    )
    only_valid = forms.BooleanField(
        label=_("Nếu có dòng lỗi: vẫn nhập các dòng hợp lệ (bỏ qua dòng lỗi)"), required=False
    )


class MappingForm(forms.Form):
    """One choice per header the importer did not recognise."""

    def __init__(self, *args: Any, channel: str, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— Bỏ qua cột này —")), *column_choices(channel)]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"col{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False
            )


class FeedForm(forms.Form):
    name = forms.CharField(label=_("Tên nguồn tin"), max_length=255)
    url = forms.URLField(label=_("Địa chỉ RSS/Atom"), max_length=2000, assume_scheme="https")


# ---- public forms -------------------------------------------------------------------

_FORM_TIME_SALT = "phoihop.intake.form-started"


_TOKEN_MAX_AGE = 86400


def form_token(at: float | None = None) -> str:
    """A signed record of when the form was shown (bots submit faster than people read),
    with a random nonce so that each token is accepted once."""
    return signing.dumps(
        {"t": at if at is not None else time.time(), "n": secrets.token_urlsafe(12)},
        salt=_FORM_TIME_SALT,
    )


def _spend(nonce: str) -> bool:
    """Mark a token's nonce used; False if it was used before (a replayed submission)."""
    return bool(cache.add(f"phoihop:form-token:{nonce}", 1, timeout=_TOKEN_MAX_AGE + 60))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _first_shown(value: str) -> tuple[float, str] | None:
    """(when the form was first shown, nonce) of a genuine token not yet expired, else None.
    Expiry counts from the first showing, so a token carried over re-renders still ends."""
    try:
        token = signing.loads(value, salt=_FORM_TIME_SALT, max_age=_TOKEN_MAX_AGE)
        started = float(token["t"])
        nonce = str(token["n"])
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None
    if time.time() - started > _TOKEN_MAX_AGE:
        return None
    return started, nonce


class SpamResistantForm(forms.Form):
    """A honeypot field people never see, and a signed time the form was shown."""

    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput)

    _replayed = False
    _spent = False  # this submission used up its token's nonce (it passed the checks)

    def spam_reason(self) -> str | None:
        """Why this submission looks automated, or None. Call after is_valid()."""
        if self.cleaned_data.get("website"):
            return "honeypot"
        token = _first_shown(self.cleaned_data.get("started", ""))
        if token is None:
            return "token"
        started, nonce = token
        minimum = float(settings.PHOIHOP_INTAKE_MIN_FILL_SECONDS)
        if time.time() - started < minimum:
            return "too_fast"
        if not _spend(nonce):
            self._replayed = True
            return "token"
        self._spent = True
        return None

    def retry_token(self) -> str:
        """The token of the form shown again after a refused or incomplete submission: it
        keeps the time the form was FIRST shown (a person who sent it too fast can send it
        again once enough time has passed since then, not since the refusal). Its nonce is
        the same one until a submission uses it up, so that resubmitting an incomplete form
        cannot mint many tokens of an old time; then a fresh one. A forged, expired or
        already used token earns only a token of now."""
        sent = str(self.data.get("started", ""))
        token = None if self._replayed else _first_shown(sent)
        if token is None:
            return form_token()
        return form_token(at=token[0]) if self._spent else sent


class FeedbackForm(SpamResistantForm):
    name = forms.CharField(label=_("Họ và tên (không bắt buộc)"), required=False, max_length=200)
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử (không bắt buộc)"), required=False, max_length=200
    )
    place = forms.ModelChoiceField(
        label=_("Xã, phường nơi xảy ra sự việc"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("— Chọn xã, phường —"),
    )
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=5000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = MultipleFileField(
        label=_("Ảnh hoặc tệp PDF kèm theo (tối đa %(n)s tệp, mỗi tệp 5 MB)")
        % {"n": MAX_ATTACHMENTS},
        required=False,
    )

    # Set once the citizen has seen the similar public issues (cases already answered or
    # being handled): the second step of the form, or the hints shown as they typed.
    seen_hints = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["name", "contact", "place", "content", "attachments", "website", "started"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = communes().order_by("name")  # type: ignore[attr-defined]
        collate_communes(self.fields["place"])


class CollaboratorForm(SpamResistantForm):
    reporter = forms.CharField(label=_("Họ và tên cộng tác viên"), max_length=200)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=40)
    place = forms.ModelChoiceField(
        label=_("Xã, phường"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("— Chọn xã, phường —"),
    )
    period = forms.CharField(
        label=_("Kỳ báo cáo (ví dụ: Tháng 11/2026)"), required=False, max_length=100
    )
    topic = forms.CharField(label=_("Chủ đề dư luận"), max_length=500)
    mood = forms.ChoiceField(
        label=_("Tâm trạng chung của nhân dân"),
        choices=[(key, _(label)) for key, label in MOODS.items()],
        widget=forms.RadioSelect,
    )
    content = forms.CharField(
        label=_("Nhân dân nói gì (ý kiến, dư luận)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = ["reporter", "phone", "place", "period", "topic", "mood", "content"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = communes().order_by("name")  # type: ignore[attr-defined]
        collate_communes(self.fields["place"])
