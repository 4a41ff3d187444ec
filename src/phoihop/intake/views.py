"""Intake pages: the staff signal list, imports and feeds; the public feedback forms."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from phoihop.core import policy
from phoihop.core.models import User
from phoihop.core.web import attach_errors
from phoihop.intake import headers, hints, hooks, permissions, selectors, services
from phoihop.intake.forms import (
    IMPORT_CHANNELS,
    CollaboratorForm,
    FeedbackForm,
    FeedForm,
    ImportForm,
    MappingForm,
    SignalFilterForm,
    SpamResistantForm,
    form_token,
)
from phoihop.intake.headers import header_key, key_for
from phoihop.intake.models import FeedSource, ImportBatch, Signal
from phoihop.intake.tasks import poll_feeds, run_import

log = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not policy.can(user, "intake.signal_list"):
        raise PermissionDenied(_("Tài khoản chưa được gán vào cơ quan nào."))
    return user


# ---- staff: signals -----------------------------------------------------------------


@login_required
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = SignalFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.signals_visible_to(user=user, filters=filters), 50).get_page(
        request.GET.get("trang")
    )
    query = request.GET.copy()
    query.pop("trang", None)
    without_channel = query.copy()
    without_channel.pop("channel", None)
    counts = selectors.channel_counts(user=user)
    tabs = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Signal.Channel.choices
    ]
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "tab_query": without_channel.urlencode(),
        "tabs": tabs,
        "total": sum(counts.values()),
        "channel": filters.channel,
        "can_import": policy.can(user, "intake.signal_import"),
    }
    template = "intake/_signal_table.html" if request.htmx else "intake/signal_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    signal = selectors.signal_for(user=user, pk=pk)
    if signal is None:
        raise Http404(_("Không tìm thấy tín hiệu."))
    panels = []
    for panel in hooks.signal_panels:
        found = panel(user, signal)
        if found is not None:
            template, context = found
            panels.append(render_to_string(template, {**context, "signal": signal}, request))
    return render(
        request,
        "intake/signal_detail.html",
        {
            "signal": signal,
            "panels": panels,
            "contact": services.signal_contact_for(signal=signal, user=user),
            "contact_hidden": any(signal.metadata.get(k) for k in permissions.PERSONAL_KEYS),
            "source_info": any(k not in permissions.PERSONAL_KEYS for k in (signal.metadata or {})),
        },
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    user = _user(request)
    attachment = selectors.attachment_for(user=user, pk=pk)
    if attachment is None:
        raise Http404(_("Không tìm thấy tệp."))
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- staff: imports -----------------------------------------------------------------


def _enqueue_import(batch: ImportBatch) -> None:
    try:
        run_import.enqueue(batch.pk)
    except Exception:
        log.exception("could not queue import %s", batch.pk)
        services.import_batch_mark(batch=batch, status=ImportBatch.Status.FAILED)
        raise


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.require(user, "intake.signal_import")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.import_batch_create(
                by=user,
                upload=data["file"],
                channel=data["channel"],
                round_name=data["round_name"],
                only_valid=data["only_valid"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            try:
                inspection = services.import_batch_inspect(batch=batch)
            except ValidationError as error:
                # The file cannot be read at all: keep the batch as a record of the refusal.
                services.import_batch_reject(batch=batch, error=error)
                return redirect("intake:import_detail", pk=batch.pk)
            if inspection.found.missing(batch.channel) or inspection.found.unknown:
                services.import_batch_mark(batch=batch, status=ImportBatch.Status.MAPPING)
                return redirect("intake:import_mapping", pk=batch.pk)
            _enqueue_import(batch)
            return redirect("intake:import_detail", pk=batch.pk)
    context = {
        "form": form,
        "batches": selectors.import_batches_for(user=user)[:20],
        "rounds": selectors.rounds()[:50],
        "kinds": [
            (channel, label, headers.columns_for(channel))
            for channel, label in IMPORT_CHANNELS
            if channel in headers.COLUMNS
        ],
    }
    return render(
        request, "intake/import.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_GET
def import_template(request: HttpRequest, channel: str) -> HttpResponse:
    """An empty XLSX with the headers the importer recognises for this kind of data."""
    user = _user(request)
    policy.require(user, "intake.signal_import")
    if channel not in headers.COLUMNS:
        raise Http404
    names = {"petitions": "kien-nghi-cu-tri", "feedback": "phan-anh", "posts": "bai-dang-mxh"}
    response = HttpResponse(
        headers.template_xlsx(channel),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-{names[channel]}.xlsx"'
    return response


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = selectors.import_batch_for(user=_user(request), pk=pk)
    if batch is None:
        raise Http404(_("Không tìm thấy lần nhập."))
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = _batch(request, pk)
    if batch.status != ImportBatch.Status.MAPPING:
        return redirect("intake:import_detail", pk=batch.pk)
    inspection = services.import_batch_inspect(batch=batch)
    headers = [h for h in inspection.headers if header_key(h)]
    initial = {}
    for index, header in enumerate(headers):
        key = next((k for k, i in inspection.found.index.items() if i == index), None)
        if key is None:
            key = key_for(batch.channel, header)
        initial[f"col{index}"] = key or ""
    form = MappingForm(
        request.POST or None, channel=batch.channel, headers=headers, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        mapping = {
            header_key(header): form.cleaned_data[f"col{index}"]
            for index, header in enumerate(headers)
        }
        try:
            services.import_batch_set_mapping(batch=batch, by=user, mapping=mapping)
            found = services.import_batch_inspect(batch=batch).found
            if found.missing(batch.channel):
                raise ValidationError(
                    _("Cần ghép một cột với «%(label)s».")
                    % {"label": found.missing(batch.channel)[0].label}
                )
        except ValidationError as error:
            services.import_batch_mark(batch=batch, status=ImportBatch.Status.MAPPING)
            attach_errors(form, error)
        else:
            _enqueue_import(batch)
            return redirect("intake:import_detail", pk=batch.pk)
    return render(
        request,
        "intake/import_mapping.html",
        {"batch": batch, "form": form, "rows": zip(headers, form, strict=False)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if batch.is_running and services.import_batches_recover(batch_ids=[batch.pk]):
        batch.refresh_from_db()
    template = "intake/_import_progress.html" if request.htmx else "intake/import_detail.html"  # type: ignore[attr-defined]
    return render(request, template, {"batch": batch})


@login_required
@require_POST
def import_only_valid(request: HttpRequest, pk: int) -> HttpResponse:
    """After a rejected file: the operator explicitly chooses to store only its good rows."""
    user = _user(request)
    batch = _batch(request, pk)
    policy.require(user, "intake.signal_import")
    if batch.status != ImportBatch.Status.REJECTED or not batch.error_count:
        return redirect("intake:import_detail", pk=batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(
        only_valid=True, status=ImportBatch.Status.QUEUED, errors=[], warnings=[], message=""
    )
    batch.refresh_from_db()
    _enqueue_import(batch)
    messages.success(request, _("Đã đưa vào hàng đợi: chỉ nhập các dòng hợp lệ."))
    return redirect("intake:import_detail", pk=batch.pk)


@login_required
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """After a system failure (e.g. the worker died): queue the same file again."""
    user = _user(request)
    batch = _batch(request, pk)
    try:
        services.import_batch_retry(batch=batch, by=user)
    except ValidationError:
        return redirect("intake:import_detail", pk=batch.pk)
    _enqueue_import(batch)
    messages.success(request, _("Đã đưa tệp vào hàng đợi để nhập lại."))
    return redirect("intake:import_detail", pk=batch.pk)


# ---- staff: news feeds --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feed_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.require(user, "intake.feed_manage")
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feed_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã thêm nguồn tin."))
            return redirect("intake:feed_list")
    return render(
        request,
        "intake/feeds.html",
        {"form": form, "feeds": selectors.feeds_for(user=user)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def feed_poll(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    policy.require(user, "intake.feed_manage")
    feed = get_object_or_404(FeedSource, pk=pk)
    poll_feeds.enqueue([feed.pk])
    messages.success(request, _("Đã đưa việc lấy tin vào hàng đợi."))
    return redirect("intake:feed_list")


@login_required
@require_POST
def feed_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    feed = get_object_or_404(FeedSource, pk=pk)
    services.feed_set_active(by=user, feed=feed, active=not feed.is_active)
    return redirect("intake:feed_list")


# ---- public: feedback and collaborator reports --------------------------------------


def _rate(group: str, request: HttpRequest) -> str:
    return str(settings.PHOIHOP_FEEDBACK_RATE)


def _public_form(
    request: HttpRequest,
    form: SpamResistantForm,
    template: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    if form.is_bound:
        # The next attempt's token keeps when the form was first shown: re-rendering must
        # not restart the wait of a citizen refused for sending too fast.
        data = request.POST.copy()
        data["started"] = form.retry_token()
        if context.get("seen_hints"):
            data["seen_hints"] = "1"
        form.data = data
        # a browser never fills a file input again: whatever sent the form back, say so
        context["files_dropped"] = bool(request.FILES)
    return render(request, template, {"form": form, **context}, status=status)


def _spam_message(reason: str) -> str:
    """What a refused public form says: a person who sent it too fast waits a few seconds
    and sends it again (what they typed is still there)."""
    if reason == "too_fast":
        return _(
            "Không gửi được: biểu mẫu gửi quá nhanh. Vui lòng đợi vài giây rồi bấm gửi lại; "
            "nội dung bạn đã nhập vẫn được giữ nguyên."
        )
    return _("Không gửi được: biểu mẫu đã hết hạn hoặc đã được gửi. Vui lòng gửi lại.")


def _limited(request: HttpRequest, form: SpamResistantForm, template: str) -> HttpResponse:
    return _public_form(
        request,
        form,
        template,
        status=429,
        rate_limited=_("Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau ít phút."),
    )


@ratelimit(key="ip", rate=_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    template = "intake/feedback.html"
    if request.method != "POST":
        return _public_form(request, FeedbackForm(initial={"started": form_token()}), template)
    form = FeedbackForm(request.POST, request.FILES)
    if getattr(request, "limited", False):
        return _limited(request, form, template)
    if form.is_valid():
        reason = form.spam_reason()
        if reason is not None:
            form.add_error(
                None,
                _spam_message(reason) if reason != "honeypot" else _("Không gửi được phản ánh."),
            )
        elif not form.cleaned_data.get("seen_hints") and (
            found := hints.similar_public_issues(text=form.cleaned_data["content"])
        ):
            # Second step: «Có phải bạn muốn phản ánh…?» before anything is stored.
            return _public_form(
                request,
                form,
                template,
                hints=found,
                seen_hints=True,
            )
        else:
            data = form.cleaned_data
            try:
                received = services.feedback_submit(
                    content=data["content"],
                    name=data["name"],
                    contact=data["contact"],
                    place=data["place"],
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                request.session["intake_tracking_code"] = received.signal.tracking_code
                return redirect("intake_public:feedback_done")
    return _public_form(request, form, template, status=400)


@require_GET
def feedback_done(request: HttpRequest) -> HttpResponse:
    code = request.session.get("intake_tracking_code")
    if not code:
        return redirect("intake_public:feedback")
    return render(
        request,
        "intake/feedback_done.html",
        {"code": code, "lookup": f"/tra-cuu/?ma={code}"},
    )


@ratelimit(key="ip", rate=_rate, method="POST", block=False)
@require_http_methods(["GET", "POST"])
def collaborator(request: HttpRequest) -> HttpResponse:
    template = "intake/collaborator.html"
    if request.method != "POST":
        return _public_form(request, CollaboratorForm(initial={"started": form_token()}), template)
    form = CollaboratorForm(request.POST)
    if getattr(request, "limited", False):
        return _limited(request, form, template)
    if form.is_valid():
        if (reason := form.spam_reason()) is not None:
            form.add_error(None, _spam_message(reason))
        else:
            data = form.cleaned_data
            try:
                services.collaborator_report(
                    reporter=data["reporter"],
                    phone=data["phone"],
                    place=data["place"],
                    topic=data["topic"],
                    mood=data["mood"],
                    content=data["content"],
                    period=data["period"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                return redirect(reverse("intake_public:collaborator_done"))
    return _public_form(request, form, template, status=400)


@require_GET
def collaborator_done(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/collaborator_done.html")
