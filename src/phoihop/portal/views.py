"""Public portal pages, feeds, sitemap, PDF and audio; staff article management."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.core import policy
from phoihop.intake.selectors import tracking_status
from phoihop.portal import issues as public_issues
from phoihop.portal import pagecache, selectors, services, speech
from phoihop.portal.forms import ArticleForm, AttachmentForm
from phoihop.portal.models import Article, Attachment
from phoihop.portal.pdf import render_pdf

CATEGORY_LABELS = dict(Article.Category.choices)


# --- public pages -------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    def build() -> HttpResponse:
        articles = selectors.published_articles()
        latest = list(articles[:1])
        rest = articles.exclude(pk__in=[a.pk for a in latest])
        sections = [
            (value, label, list(rest.filter(category=value)[:3]))
            for value, label in Article.Category.choices
        ]
        return render(
            request,
            "portal/home.html",
            {
                "latest": latest,
                "sections": sections,
                "answers": list(selectors.public_answers()[:5]),
            },
        )

    return pagecache.serve(request, "home", build)


@require_GET
def category(request: HttpRequest, category: str) -> HttpResponse:
    if category not in CATEGORY_LABELS:
        raise Http404
    page = Paginator(selectors.published_articles(category=category), 10).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "portal/category.html",
        {
            "category": category,
            "label": CATEGORY_LABELS[category],
            "page": page,
            # «Giải đáp kiến nghị»: the answers agencies published are what people look for
            "answers": list(selectors.public_answers()[:20])
            if category == Article.Category.ANSWER and page.number == 1
            else None,
        },
    )


def claim_review_json(request: HttpRequest, article: Article) -> SafeString:
    """schema.org ClaimReview of a rebuttal as a JSON-LD data block."""
    data = selectors.claim_review(
        article=article,
        url=request.build_absolute_uri(article.get_absolute_url()),
        site_url=request.build_absolute_uri("/"),
    )
    text = json.dumps(data, ensure_ascii=False)
    # Escape what could end the data block early.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    printable = pagecache.printable(request)

    def build() -> HttpResponse:
        item = selectors.published_article(slug=slug)
        if item is None:
            raise Http404
        context = {
            "article": item,
            "doc": selectors.article_document(article=item),
            "printable": printable,
            "audio_url": f"{item.get_absolute_url()}doc.wav",
            "pdf_url": f"{item.get_absolute_url()}pdf/",
            "has_engine": speech.engine_command() is not None,
            "absolute_url": request.build_absolute_uri(item.get_absolute_url()),
            "og_image": request.build_absolute_uri(item.image_url()) if item.image else "",
            "claim_review": claim_review_json(request, item)
            if item.category == Article.Category.REBUTTAL and item.claim
            else "",
            "related": list(
                selectors.published_articles(category=item.category).exclude(pk=item.pk)[:3]
            ),
        }
        return render(request, "portal/article.html", context)

    return pagecache.serve(request, f"article:{slug}:{int(printable)}", build)


@require_GET
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    printable = pagecache.printable(request)

    def build() -> HttpResponse:
        issue = selectors.public_answer(pk=pk)
        if issue is None:
            raise Http404
        doc = selectors.answer_document(issue=issue)
        return render(
            request,
            "portal/answer.html",
            {
                "issue": issue,
                "doc": doc,
                "agency": selectors.answering_agency(issue=issue),
                "printable": printable,
                "audio_url": f"{doc.url}doc.wav",
                "pdf_url": f"{doc.url}pdf/",
                "has_engine": speech.engine_command() is not None,
                "absolute_url": request.build_absolute_uri(doc.url),
            },
        )

    # published, closed, reopened and edited answers clear the cache (cases' public hook)
    return pagecache.serve(request, f"answer:{pk}:{int(printable)}", build)


def _document(kind: str, key: str | int) -> selectors.Document:
    if kind == "article":
        item = selectors.published_article(slug=str(key))
        if item is None:
            raise Http404
        return selectors.article_document(article=item)
    issue = selectors.public_answer(pk=int(key))
    if issue is None:
        raise Http404
    return selectors.answer_document(issue=issue)


@require_GET
def document_pdf(request: HttpRequest, kind: str, key: str | int) -> FileResponse:
    document = _document(kind, key)
    path = render_pdf(document=document, absolute_url=request.build_absolute_uri(document.url))
    name = f"{document.key if kind == 'article' else 'tra-loi-' + document.key}.pdf"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def _ranged_file(request: HttpRequest, path: Path, content_type: str) -> HttpResponseBase:
    """The file, honouring one `Range` so players can seek without downloading it all."""
    size = path.stat().st_size
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if not match or not (match.group(1) or match.group(2)):
        response: HttpResponseBase = FileResponse(path.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    if match.group(1):
        start = int(match.group(1))
        end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
    else:
        start, end = max(0, size - int(match.group(2))), size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with path.open("rb") as fh:
        fh.seek(start)
        chunk = fh.read(end - start + 1)
    response = StreamingHttpResponse(iter([chunk]), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(len(chunk))
    response["Accept-Ranges"] = "bytes"
    return response


@require_GET
def document_audio(request: HttpRequest, kind: str, key: str | int) -> HttpResponseBase:
    document = _document(kind, key)
    path = speech.synthesize(text=selectors.document_text(document=document))
    if path is None:
        return HttpResponse(
            _("Máy chủ chưa cài công cụ đọc; trình duyệt sẽ tự đọc nội dung."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = _ranged_file(request, path, "audio/wav")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    number = _int(request.GET.get("trang"), 1)

    def build() -> HttpResponse:
        page = selectors.search(query=query, page=number) if query else None
        extra = urlencode({"q": query}) + "&"
        context = {"query": query, "page": page, "extra": extra}
        response = render(request, "portal/search.html", context)
        if selectors.search_shows_issues_being_handled(page):
            # An issue made internal must leave the results at once, not at the next publish.
            pagecache.never_keep(response)
        return response

    # The same words bring the same results until the next publish or withdrawal.
    words = hashlib.blake2b(query.encode(), digest_size=16).hexdigest()
    return pagecache.serve(request, f"search:{words}:{number}", build)


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value or default))
    except ValueError:
        return default


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "").strip()[:40]
    status = tracking_status(code=code) if code else None
    # A code found is shown as stored (typed without hyphens, it reads «PA-7UC5-BY34»).
    return render(
        request,
        "portal/lookup.html",
        {
            "code": status.code if status else code,
            "status": status,
            "not_found": bool(code) and status is None,
        },
    )


# What search engines need not crawl: staff pages, sign-in, a citizen's look-up by code, the
# answer links sent to one person, and search results (endless combinations of words).
ROBOTS_DISALLOW = (
    "/cong-viec/", "/quan-ly/", "/quan-tri/", "/api/", "/dang-nhap/", "/xac-thuc/",
    "/tra-cuu/", "/phan-hoi/", "/tim-kiem/",
)  # fmt: skip


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('portal:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    articles = selectors.published_articles().values_list("slug", "updated_at")
    answers = selectors.public_answers().values_list("pk", "updated_at")
    handled = (
        public_issues.public_issue_pages()
        .prefetch_related(None)
        .select_related(None)
        .values_list("code", "updated_at")
    )
    urls: list[tuple[str, Any]] = [(base + "/", None)]
    urls += [(base + reverse("portal:category", args=[c]), None) for c in CATEGORY_LABELS]
    urls.append((base + reverse("portal:public_issues"), None))
    urls += [(base + reverse("portal:public_issue", args=[c]), at) for c, at in handled.iterator()]
    urls += [(base + reverse("portal:article", args=[s]), at) for s, at in articles.iterator()]
    urls += [(base + reverse("portal:answer", args=[pk]), at) for pk, at in answers.iterator()]
    return HttpResponse(
        render_to_string("portal/sitemap.xml", {"urls": urls}),
        content_type="application/xml; charset=utf-8",
    )


# --- staff: article management ---------------------------------------------------------------


@login_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    policy.require(user, "portal.article_manage")
    return render(
        request,
        "portal/staff/list.html",
        {"articles": selectors.articles_for_staff(user=user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user: Any = request.user
    item = get_object_or_404(Article, pk=pk) if pk else None
    policy.require(user, "portal.article_edit" if item else "portal.article_create", item)
    form = ArticleForm(request.POST or None, request.FILES or None, user=user, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.article_create(by=user, **form.cleaned_data)
            else:
                item = services.article_update(article=item, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã lưu bài viết; khi bài đã xong, bấm «Gửi duyệt»."))
            return redirect("portal:manage_detail", pk=item.pk)
    return render(request, "portal/staff/edit.html", {"form": form, "article": item})


# What the page says once an action on the article is done.
DONE = {
    "submit": _lazy(
        "Đã gửi bài viết chờ duyệt; cán bộ điều phối, lãnh đạo Ban Tuyên giáo và Dân vận "
        "được báo để duyệt."
    ),
    "publish": _lazy("Đã duyệt và đăng bài viết lên cổng thông tin; người viết được báo."),
    "send_back": _lazy("Đã trả lại bài viết cho người viết kèm ý kiến; người viết được báo."),
    "withdraw": _lazy("Đã gỡ bài viết khỏi cổng thông tin; người viết được báo."),
    "attach": _lazy("Đã đính kèm tệp."),
}


@login_required
@require_http_methods(["GET", "POST"])
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    item = get_object_or_404(Article.objects.select_related("source_agency", "author"), pk=pk)
    policy.require(user, "portal.article_view_draft", item)
    error = ""
    attach_form = AttachmentForm(
        request.POST if request.POST.get("action") == "attach" else None, request.FILES or None
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")
        try:
            if action == "submit":
                services.article_submit(article=item, by=user)
            elif action == "publish":
                services.article_publish(article=item, by=user, note=note)
            elif action == "send_back":
                services.article_send_back(article=item, by=user, note=note)
            elif action == "withdraw":
                services.article_withdraw(article=item, by=user, reason=note)
            elif action == "attach" and attach_form.is_valid():
                services.attachment_add(article=item, by=user, **attach_form.cleaned_data)
            else:
                raise ValidationError(_("Thao tác không hợp lệ."))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, str(DONE[action]))
            return redirect("portal:manage_detail", pk=item.pk)
    return render(
        request,
        "portal/staff/detail.html",
        {
            "article": item,
            "error": error,
            "attach_form": attach_form,
            "can_edit": policy.can(user, "portal.article_edit", item),
            "can_submit": policy.can(user, "portal.article_submit", item),
            "can_approve": policy.can(user, "portal.article_approve", item)
            and item.state == Article.State.PENDING,
            "can_withdraw": policy.can(user, "portal.article_withdraw", item)
            and item.state == Article.State.PUBLISHED,
        },
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404: the portal's own page for citizens, the workspace's for staff paths."""
    staff = request.path.startswith(("/cong-viec/", "/quan-tri/", "/api/"))
    template = "404.html" if staff else "portal/404.html"
    return render(request, template, {"path": request.path}, status=404)


ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def _article_file(
    request: HttpRequest, article: Article, file: FieldFile, **kwargs: Any
) -> FileResponse:
    """A file of an article (its image, an attachment): to everyone once the article is
    published, before that only to those who may see the draft, else a 404; never run by the
    browser; kept by shared caches for five minutes at most, so a withdrawal takes effect."""
    user: Any = request.user
    published = article.state == Article.State.PUBLISHED
    if not published and not policy.can(user, "portal.article_view_draft", article):
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, **kwargs)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300" if published else "private, no-store"
    return response


@require_GET
def article_image(request: HttpRequest, slug: str, name: str) -> HttpResponseBase:
    """An article's image, shown in the page; an old name (the image was replaced) is a 404."""
    item = get_object_or_404(Article, slug=slug)
    stored = item.image.name if item.image else ""
    extension = stored.rsplit(".", 1)[-1].lower()
    if not stored or stored.rsplit("/", 1)[-1] != name or extension not in IMAGE_TYPES:
        raise Http404
    return _article_file(request, item, item.image, content_type=IMAGE_TYPES[extension])


@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An article's attachment, always as a download."""
    item = get_object_or_404(Attachment.objects.select_related("article"), pk=pk)
    extension = item.file.name.rsplit(".", 1)[-1].lower() if "." in item.file.name else ""
    name = (slugify(item.title) or "tep-dinh-kem")[:80]
    return _article_file(
        request,
        item.article,
        item.file,
        as_attachment=True,
        filename=f"{name}.{extension}" if extension in ATTACHMENT_TYPES else name,
        content_type=ATTACHMENT_TYPES.get(extension, "application/octet-stream"),
    )
