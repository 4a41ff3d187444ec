"""Staff forms for articles: parsing only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phoihop.cases.models import Issue
from phoihop.core.models import Agency, User
from phoihop.core.pickers import choose_the_only_one, group_agencies
from phoihop.portal import permissions, selectors
from phoihop.portal.markup import html_to_markup, markup_to_html
from phoihop.portal.models import Article


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    category = forms.ChoiceField(label=_("Chuyên mục"), choices=Article.Category.choices)
    summary = forms.CharField(
        label=_("Tóm tắt"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    body = forms.CharField(
        label=_("Nội dung"),
        help_text=_(
            "Các đoạn cách nhau một dòng trống. «## » đầu dòng: tiêu đề; «- »: gạch đầu dòng; "
            "«1. »: đánh số; «> »: trích dẫn; **chữ đậm**, *chữ nghiêng*, "
            "[chữ hiển thị](https://địa-chỉ)."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    source_agency = forms.ModelChoiceField(label=_("Cơ quan nguồn"), queryset=Agency.objects.none())
    issue = forms.ModelChoiceField(
        label=_("Vấn đề liên quan (công khai)"), queryset=Issue.objects.none(), required=False
    )
    image = forms.ImageField(label=_("Ảnh minh họa"), required=False)
    remove_image = forms.BooleanField(label=_("Bỏ ảnh minh họa hiện có"), required=False)
    image_alt = forms.CharField(
        label=_("Mô tả ảnh (văn bản thay thế)"), max_length=300, required=False
    )
    claim = forms.CharField(
        label=_("Thông tin sai được phản bác"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    claim_source = forms.CharField(
        label=_("Nơi xuất hiện thông tin sai"), max_length=500, required=False
    )
    claim_rating = forms.ChoiceField(
        label=_("Đánh giá"), choices=[("", "—"), *Article.Rating.choices], required=False
    )

    def __init__(self, *args: Any, user: User, instance: Article | None = None, **kwargs: Any):
        if instance is not None and not args[0]:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in self.base_fields
                if name not in ("image", "remove_image")
            }
            kwargs["initial"]["body"] = html_to_markup(instance.body)
        super().__init__(*args, **kwargs)
        if instance is None or not instance.image:
            del self.fields["remove_image"]  # only an article with an image may lose it
        agencies = Agency.objects.filter(is_active=True)
        if not permissions.writes_for_any_agency(user):
            agencies = agencies.filter(pk__in=permissions.writer_agency_ids(user))
        self.fields["source_agency"].queryset = agencies  # type: ignore[attr-defined]
        group_agencies(self.fields["source_agency"])
        if instance is None:
            choose_the_only_one(self.fields["source_agency"])
        self.fields["issue"].queryset = selectors.public_answers()  # type: ignore[attr-defined]

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)

    def clean_body(self) -> str:
        """Staff write the simple markup, never HTML: it becomes safe HTML here."""
        return markup_to_html(self.cleaned_data["body"])

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        return image or None


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Tên tệp đính kèm"), max_length=300)
    file = forms.FileField(label=_("Tệp"))
