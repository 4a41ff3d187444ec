"""Forms of key projects: the project and its communication plan, and linking by hand."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from phoihop.core.models import AdministrativeUnit, Agency
from phoihop.core.selectors import active_agencies, communes

_CODE = re.compile(r"^[a-z0-9-]+$")


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Tên dự án, đề án"), max_length=400)
    code = forms.CharField(
        label=_("Mã viết tắt (chữ thường không dấu, gạch nối)"),
        max_length=60,
        help_text=_("ví dụ: cao-toc-dong-dang"),
    )
    owner_agency = forms.ModelChoiceField(
        label=_("Cơ quan chủ quản"), queryset=Agency.objects.none()
    )
    places = forms.ModelMultipleChoiceField(
        label=_("Địa bàn"), required=False, queryset=AdministrativeUnit.objects.none()
    )
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea)
    phases = forms.CharField(
        label=_("Các giai đoạn (mỗi dòng một giai đoạn)"), required=False, widget=forms.Textarea
    )
    keywords = forms.CharField(
        label=_("Cụm từ nhận diện (mỗi dòng một cụm từ)"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Ý kiến gần với một cụm từ (không cần đúng thứ tự) được gắn với dự án."),
    )
    plan_messages = forms.CharField(
        label=_("Thông điệp truyền thông (mỗi dòng một thông điệp)"),
        required=False,
        widget=forms.Textarea,
    )
    plan_channels = forms.CharField(
        label=_("Kênh truyền thông (mỗi dòng một kênh)"), required=False, widget=forms.Textarea
    )
    plan_schedule = forms.CharField(
        label=_("Lịch truyền thông (mỗi dòng một mốc)"), required=False, widget=forms.Textarea
    )
    plan_agencies = forms.ModelMultipleChoiceField(
        label=_("Cơ quan chịu trách nhiệm truyền thông"),
        required=False,
        queryset=Agency.objects.none(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("owner_agency", "plan_agencies"):
            self.fields[name].queryset = active_agencies()  # type: ignore[attr-defined]
        self.fields["places"].queryset = communes()  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().lower()
        if not _CODE.match(code):
            raise forms.ValidationError(
                _("Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch nối.")
            )
        return code


class LinkForm(forms.Form):
    target = forms.CharField(label=_("Gắn thêm: mã vấn đề (VD-…) hoặc số tín hiệu"), max_length=30)


class BriefForm(forms.Form):
    number = forms.CharField(
        label=_("Số văn bản (văn thư cấp, ví dụ 12-BC/BTGDVTU; để trống nếu chưa có)"),
        max_length=40,
        required=False,
    )
