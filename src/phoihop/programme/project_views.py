"""Staff pages of key projects: create and edit a project with its communication plan, see
and correct the opinion linked to it, and issue the advisory brief."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from phoihop.cases.models import Issue
from phoihop.core import policy
from phoihop.core.web import attach_errors
from phoihop.intake.models import Signal
from phoihop.programme import briefs, project_selectors, project_services
from phoihop.programme.models import KeyProject, ProjectLink
from phoihop.programme.project_forms import BriefForm, LinkForm, ProjectForm
from phoihop.programme.tasks import link_project_mentions
from phoihop.programme.web import staff_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_NUMBER = re.compile(r"^\d{1,5}-[A-ZĐ]{1,12}/[A-ZĐ0-9-]{1,24}$")


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    policy.require(user, "programme.manage")
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_services.project_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã tạo dự án trọng điểm."))
            return redirect("programme:project_detail", pk=project.pk)
    return render(
        request,
        "programme/project_form.html",
        {"form": form, "project": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    policy.require(user, "programme.manage")
    project = get_object_or_404(KeyProject, pk=pk)
    initial = {
        **{f: getattr(project, f) for f in project_services.PROJECT_FIELDS},
        "places": list(project.places.all()),
        "plan_agencies": list(project.plan_agencies.all()),
    }
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project_services.project_update(by=user, project=project, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi của dự án."))
            return redirect("programme:project_detail", pk=project.pk)
    return render(
        request,
        "programme/project_form.html",
        {"form": form, "project": project},
        status=400 if request.method == "POST" else 200,
    )


def _find(target: str) -> Signal | Issue | None:
    target = target.strip()
    if target.isdigit():
        return Signal.objects.filter(pk=int(target)).first()
    return Issue.objects.filter(code__iexact=target).first()


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    project = get_object_or_404(KeyProject.objects.select_related("owner_agency"), pk=pk)
    can_manage = policy.can(user, "programme.manage")
    link_form = LinkForm(request.POST or None) if can_manage else None
    status = 200
    if request.method == "POST":
        policy.require(user, "programme.manage")
        assert link_form is not None
        if request.POST.get("action") == "scan":
            link_project_mentions.enqueue()
            messages.success(
                request, _("Đã đưa vào hàng đợi: tìm ý kiến mới liên quan đến các dự án.")
            )
            return redirect("programme:project_detail", pk=project.pk)
        if link_form.is_valid():
            found = _find(link_form.cleaned_data["target"])
            if found is None:
                link_form.add_error(
                    "target",
                    _("Không tìm thấy tín hiệu hoặc vấn đề «%(t)s».")
                    % {"t": link_form.cleaned_data["target"]},
                )
            else:
                project_services.project_link(
                    by=user,
                    project=project,
                    signal=found if isinstance(found, Signal) else None,
                    issue=found if isinstance(found, Issue) else None,
                )
                messages.success(request, _("Đã gắn với dự án."))
                return redirect("programme:project_detail", pk=project.pk)
        status = 400
    signals, issues = project_services.linked(project=project)
    return render(
        request,
        "programme/project_detail.html",
        {
            "project": project,
            "opinion": project_selectors.project_opinion(project=project),
            "linked_signals": signals,
            "linked_issues": issues,
            "can_manage": can_manage,
            "link_form": link_form,
            "brief_form": BriefForm() if can_manage else None,
        },
        status=status,
    )


@login_required
@require_POST
def project_unlink(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    user = staff_user(request)
    found = get_object_or_404(ProjectLink, pk=link, project_id=pk)
    project_services.project_unlink(by=user, link=found, reason=request.POST.get("reason", ""))
    messages.success(request, _("Đã bỏ gắn; mục này sẽ không được tự động gắn lại."))
    return redirect("programme:project_detail", pk=pk)


@login_required
@require_GET
def project_brief(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    policy.require(user, "programme.manage")
    project = get_object_or_404(KeyProject, pk=pk)
    number = request.GET.get("number", "").strip().upper()
    if number and not _NUMBER.match(number):
        messages.error(
            request,
            _("Số văn bản «%(n)s» không đúng dạng, ví dụ 12-BC/BTGDVTU.") % {"n": number},
        )
        return redirect("programme:project_detail", pk=project.pk)
    data = briefs.project_brief_docx(project=project, number=number)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tham-muu-{project.code}.docx"'
    return response


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    projects = KeyProject.objects.select_related("owner_agency").prefetch_related("places")
    return render(
        request,
        "programme/project_list.html",
        {"projects": projects, "perms_manage": policy.can(user, "programme.manage")},
    )
