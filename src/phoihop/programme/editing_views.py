"""Edit and cancel pages for the programme's records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from phoihop.core import policy
from phoihop.core.web import DATE_WIDGET, attach_errors
from phoihop.programme import editing
from phoihop.programme.models import (
    CommendationProposal,
    ExemplaryModel,
    Guidance,
    KeyProject,
    Meeting,
    Task,
)
from phoihop.programme.web import staff_user

TEXT = forms.Textarea(attrs={"rows": 4})


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    fields: tuple[str, ...]
    update: Callable[..., Any] | None
    cancel: Callable[..., Any]
    detail: str
    title: Any
    cancel_label: Any
    widgets: dict[str, Any]
    # asked about the record itself before its edit page opens or any change is made
    permission: str = "programme.manage"


KINDS: dict[str, Kind] = {
    "nhiem-vu": Kind(
        Task,
        (*editing.TASK_EDITABLE, "coordinating_agencies"),
        lambda by, obj, **d: editing.task_update(by=by, task=obj, **d),
        lambda by, obj, reason: editing.task_cancel(by=by, task=obj, reason=reason),
        "programme:task_detail",
        gettext_lazy("Sửa nhiệm vụ"),
        gettext_lazy("Dừng thực hiện nhiệm vụ"),
        {"due_on": DATE_WIDGET, "description": TEXT, "expected_output": TEXT},
    ),
    "giao-ban": Kind(
        Meeting,
        (*editing.MEETING_EDITABLE, "attendees"),
        lambda by, obj, **d: editing.meeting_update(by=by, meeting=obj, **d),
        lambda by, obj, reason: editing.meeting_cancel(by=by, meeting=obj, reason=reason),
        "programme:meeting_detail",
        gettext_lazy("Sửa cuộc họp giao ban"),
        gettext_lazy("Hủy cuộc họp"),
        {"held_on": DATE_WIDGET, "agenda": TEXT, "attendee_names": TEXT},
    ),
    "dinh-huong": Kind(
        Guidance,
        editing.GUIDANCE_EDITABLE,
        lambda by, obj, **d: editing.guidance_update(by=by, guidance=obj, **d),
        lambda by, obj, reason: editing.guidance_withdraw(by=by, guidance=obj, reason=reason),
        "programme:guidance_detail",
        gettext_lazy("Sửa dự thảo định hướng"),
        gettext_lazy("Hủy dự thảo hoặc thu hồi định hướng"),
        {
            "valid_from": DATE_WIDGET,
            "valid_until": DATE_WIDGET,
            "key_messages": TEXT,
            "explanation": TEXT,
            "links": TEXT,
        },
        "programme.guidance_issue",
    ),
    "du-an": Kind(
        KeyProject,
        (),
        None,
        lambda by, obj, reason: editing.project_cancel(by=by, project=obj, reason=reason),
        "programme:project_detail",
        gettext_lazy("Dự án trọng điểm"),
        gettext_lazy("Dừng theo dõi dự án"),
        {},
    ),
    "dien-hinh": Kind(
        ExemplaryModel,
        editing.EXEMPLARY_EDITABLE,
        lambda by, obj, **d: editing.exemplary_update(by=by, model=obj, **d),
        lambda by, obj, reason: editing.exemplary_cancel(by=by, model=obj, reason=reason),
        "programme:exemplary_detail",
        gettext_lazy("Sửa điển hình"),
        gettext_lazy("Hủy điển hình"),
        {"achievements": TEXT, "evidence": TEXT, "article_links": TEXT},
        "programme.exemplary_edit",
    ),
    "khen-thuong": Kind(
        CommendationProposal,
        editing.COMMENDATION_EDITABLE,
        lambda by, obj, **d: editing.commendation_update(by=by, proposal=obj, **d),
        lambda by, obj, reason: editing.commendation_withdraw(by=by, proposal=obj, reason=reason),
        "programme:commendation_detail",
        gettext_lazy("Sửa đề xuất khen thưởng"),
        gettext_lazy("Rút đề xuất khen thưởng"),
        {"achievements": TEXT, "evidence": TEXT},
        "programme.commendation_edit",
    ),
}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do"), widget=TEXT)


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _form_class(kind: Kind) -> type[forms.ModelForm[Any]]:
    return forms.modelform_factory(kind.model, fields=kind.fields, widgets=kind.widgets)


def _run(request: HttpRequest, form: forms.BaseForm, run: Callable[[], Any], done: str) -> bool:
    try:
        run()
    except ValidationError as error:
        attach_errors(form, error)  # type: ignore[arg-type]  # a ModelForm is a form too
        return False
    messages.success(request, done)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = staff_user(request)
    spec = _kind(kind)
    obj = get_object_or_404(spec.model, pk=pk)
    policy.require(user, spec.permission, obj)
    back = reverse(spec.detail, args=[pk])
    update = spec.update
    if update is None:
        return redirect(back)
    # the form works on its own copy: the service compares the record before and after
    copy = get_object_or_404(spec.model, pk=pk)
    form = _form_class(spec)(request.POST or None, instance=copy)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in spec.fields if f in form.cleaned_data}
            if _run(request, form, lambda: update(user, obj, **data), _("Đã lưu thay đổi.")):
                return redirect(back)
        status = 400
    return render(
        request,
        "programme/edit.html",
        {
            "form": form,
            "spec": spec,
            "kind": kind,
            "obj": obj,
            "back": back,
            "reason_form": ReasonForm(),
        },
        status=status,
    )


@login_required
@require_POST
def cancel(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = staff_user(request)
    spec = _kind(kind)
    obj = get_object_or_404(spec.model, pk=pk)
    policy.require(user, spec.permission, obj)
    back = reverse(spec.detail, args=[pk])
    form = ReasonForm(request.POST)
    if form.is_valid() and _run(
        request,
        form,
        lambda: spec.cancel(user, obj, form.cleaned_data["reason"]),
        _("Đã ghi nhận: %(what)s.") % {"what": str(spec.cancel_label).lower()},
    ):
        return redirect(back)
    return render(
        request,
        "programme/edit.html",
        {"form": None, "spec": spec, "kind": kind, "obj": obj, "back": back, "reason_form": form},
        status=400,
    )
