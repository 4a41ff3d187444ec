"""Pages of the reporter network: members by unit, briefings with attendance, the links
that go out with guidance, and the one-tap acknowledgement page members open without a login."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.core import policy
from phoihop.core.web import attach_errors
from phoihop.programme import network_selectors, network_services
from phoihop.programme.models import Briefing, Guidance, GuidanceRecipient
from phoihop.programme.network_forms import BriefingForm, MemberForm
from phoihop.programme.web import staff_user


@login_required
@require_http_methods(["GET", "POST"])
def network(request: HttpRequest) -> HttpResponse:
    """Members grouped by their unit; coordinators add members and briefings here."""
    user = staff_user(request)
    can_manage = policy.can(user, "programme.network_manage")
    member_form = briefing_form = None
    if can_manage:
        wants = request.POST.get("form") if request.method == "POST" else None
        member_form = MemberForm(request.POST if wants == "member" else None, prefix="tv")
        briefing_form = BriefingForm(request.POST if wants == "briefing" else None, prefix="hn")
    status = 200
    if request.method == "POST":
        policy.require(user, "programme.network_manage")
        form: Any = member_form if request.POST.get("form") == "member" else briefing_form
        assert form is not None
        if form.is_valid():
            try:
                if form is member_form:
                    network_services.member_register(by=user, **form.cleaned_data)
                    messages.success(request, _("Đã thêm thành viên mạng lưới."))
                    return redirect("programme:network")
                briefing = network_services.briefing_create(by=user, **form.cleaned_data)
                messages.success(request, _("Đã tạo hội nghị; hãy điểm danh."))
                return redirect("programme:briefing_detail", pk=briefing.pk)
            except ValidationError as error:
                attach_errors(form, error)
        status = 400
    members = list(network_selectors.network())
    units = [(agency, list(group)) for agency, group in groupby(members, key=lambda m: m.agency)]
    return render(
        request,
        "programme/network.html",
        {
            "units": units,
            "member_count": sum(m.is_active for m in members),
            "briefings": Briefing.objects.order_by("-held_on", "-id")[:20],
            "member_form": member_form,
            "briefing_form": briefing_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def briefing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A briefing and its attendance sheet: tick who came, note why others did not."""
    user = staff_user(request)
    briefing = get_object_or_404(Briefing.objects.select_related("guidance"), pk=pk)
    can_manage = policy.can(user, "programme.network_manage")
    members = list(network_selectors.network().filter(is_active=True))
    recorded = {a.member_id: a for a in briefing.attendance.all()}
    errors: list[str] = []
    if request.method == "POST":
        policy.require(user, "programme.network_manage")
        ticked = set(request.POST.getlist("present"))
        present = [m for m in members if str(m.pk) in ticked]
        absent = {
            m: request.POST.get(f"note-{m.pk}", "") for m in members if str(m.pk) not in ticked
        }
        try:
            network_services.attendance_record(
                by=user, briefing=briefing, present=present, absent=absent
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Đã ghi điểm danh: %(present)s có mặt, %(absent)s vắng.")
                % {"present": len(present), "absent": len(absent)},
            )
            return redirect("programme:briefing_detail", pk=briefing.pk)
    rows = [(m, recorded.get(m.pk)) for m in members]
    return render(
        request,
        "programme/briefing_detail.html",
        {
            "briefing": briefing,
            "rows": rows,
            "present_count": sum(1 for a in recorded.values() if a.present),
            "can_manage": can_manage,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def guidance_links(request: HttpRequest, pk: int) -> HttpResponse:
    """Each recipient's acknowledgement link, for the sender to pass on by SMS, Zalo or mail."""
    user = staff_user(request)
    policy.require(user, "programme.guidance_issue")
    guidance = get_object_or_404(Guidance, pk=pk)
    recipients = guidance.recipients.select_related("member__agency").order_by(
        "acknowledged_at", "member__agency__name", "member__full_name"
    )
    rows = [
        (
            r,
            request.build_absolute_uri(
                reverse(
                    "programme:guidance_ack_link",
                    kwargs={"token": network_services.ack_token(r)},
                )
            ),
        )
        for r in recipients
    ]
    return render(request, "programme/guidance_links.html", {"guidance": guidance, "rows": rows})


@require_http_methods(["GET", "POST"])
def guidance_ack_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page a member opens from the link: the guidance, and one button to acknowledge.

    Opening the link does not acknowledge by itself: messaging apps open links to build
    previews, and that must not count as the member's confirmation."""
    try:
        recipient: GuidanceRecipient = network_services.recipient_for_token(token)
    except ValidationError as error:
        return render(
            request, "programme/guidance_ack.html", {"error": error.messages[0]}, status=404
        )
    if request.method == "POST":
        recipient = network_services.acknowledge_by_link(token=token)
        return redirect("programme:guidance_ack_link", token=token)
    return render(
        request,
        "programme/guidance_ack.html",
        {"recipient": recipient, "guidance": recipient.guidance, "member": recipient.member},
    )
