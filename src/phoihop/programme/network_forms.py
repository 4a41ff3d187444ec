"""Forms of the reporter network: members (with or without a login) and briefings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit, Agency, User
from phoihop.core.selectors import active_agencies, communes
from phoihop.core.web import DATE_WIDGET
from phoihop.programme.models import Guidance, NetworkMember


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=NetworkMember.Kind.choices)
    agency = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Agency.objects.none())
    position = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    place = forms.ModelChoiceField(
        label=_("Địa bàn"), required=False, queryset=AdministrativeUnit.objects.none()
    )
    user = forms.ModelChoiceField(
        label=_("Tài khoản đăng nhập (nếu có)"),
        required=False,
        queryset=User.objects.none(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = active_agencies()  # type: ignore[attr-defined]
        self.fields["place"].queryset = communes()  # type: ignore[attr-defined]
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, network_member__isnull=True).order_by(
                "full_name", "username"
            )
        )


class BriefingForm(forms.Form):
    title = forms.CharField(label=_("Tên hội nghị"), max_length=400)
    held_on = forms.DateField(label=_("Ngày tổ chức"), widget=DATE_WIDGET)
    venue = forms.CharField(label=_("Địa điểm"), max_length=400, required=False)
    guidance = forms.ModelChoiceField(
        label=_("Định hướng được quán triệt"), required=False, queryset=Guidance.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guidance"].queryset = Guidance.objects.filter(  # type: ignore[attr-defined]
            state=Guidance.State.ISSUED
        )
