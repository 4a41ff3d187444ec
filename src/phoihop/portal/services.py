"""Every change to portal articles: one function per verb, atomic and audited."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phoihop.cases.models import Issue
from phoihop.core import audit, policy
from phoihop.core.models import Agency, User
from phoihop.intake import files as intake_files
from phoihop.portal import hooks, permissions
from phoihop.portal.models import Article, Attachment
from phoihop.portal.sanitize import clean_html, html_to_text
from phoihop.triage.normalize import fold, normalize_text

S = Article.State
ARTICLE_FIELDS = (
    "title", "slug", "category", "summary", "body", "source_agency", "issue",
    "image", "image_alt", "claim", "claim_source", "claim_rating", "state",
)  # fmt: skip
GENERATION_KEY = "portal:generation"
# How long a process trusts the generation it last read from the shared cache: a change made
# through another process shows here within this time (this process's own changes at once).
GENERATION_SECONDS = 1.0
_read: tuple[int, float] | None = None  # (generation, time.monotonic() when read)


def generation() -> int:
    """The public content's generation: cached pages are keyed by it."""
    global _read
    now = time.monotonic()
    if _read is not None and now - _read[1] < GENERATION_SECONDS:
        return _read[0]
    value = int(cache.get_or_set(GENERATION_KEY, 1, None) or 1)
    _read = (value, now)
    return value


def forget_generation() -> None:
    """Read the generation from the shared cache next time."""
    global _read
    _read = None


def bump_generation() -> None:
    """Invalidate every cached public page (they are keyed by this generation)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)
    forget_generation()


def on_public_content_changed(issue: Issue) -> None:
    """Subscribed to `cases.hooks.public_content_changed`: cached pages go once the change
    is committed (a page rebuilt before the commit would show the old content again)."""
    transaction.on_commit(bump_generation)


def _scope(article: Article) -> str:
    return f"article:{article.pk}"


def _unique_slug(title: str) -> str:
    base = slugify(fold(title))[:100].strip("-") or "bai-viet"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _apply(article: Article, *, by: User, data: dict[str, Any]) -> None:
    """Validate and copy the editable fields onto `article` (not saved)."""
    errors: dict[str, str] = {}
    title = normalize_text(data.get("title", article.title) or "")
    if not title:
        errors["title"] = _("Cần nhập tiêu đề bài viết.")
    category = data.get("category", article.category)
    if category not in Article.Category.values:
        errors["category"] = _("Chuyên mục không hợp lệ.")
    body = clean_html(normalize_html(data.get("body", article.body) or ""))
    if not html_to_text(body):
        errors["body"] = _("Cần nhập nội dung bài viết.")
    agency: Agency | None = data.get("source_agency", getattr(article, "source_agency", None))
    if agency is None:
        errors["source_agency"] = _("Cần chọn cơ quan nguồn.")
    elif not permissions.may_write_for(by, agency):
        errors["source_agency"] = _("Bạn chỉ được viết bài nhân danh cơ quan của mình.")
    image = data.get("image")
    remove_image = bool(data.get("remove_image")) and not image
    image_alt = normalize_text(data.get("image_alt", article.image_alt) or "")
    if remove_image:
        image_alt = ""  # the description goes with the picture
    if (image or (article.image and not remove_image)) and not image_alt:
        errors["image_alt"] = _("Ảnh minh họa cần có mô tả (văn bản thay thế) cho người khiếm thị.")
    image_extension = image_kind(image) if image else ""
    if image and not image_extension:
        errors["image"] = _("Ảnh minh họa phải là ảnh PNG, JPEG, GIF hoặc WebP, không quá 20 MB.")
    claim = normalize_text(data.get("claim", article.claim) or "")
    rating = data.get("claim_rating", article.claim_rating) or ""
    if rating and rating not in Article.Rating.values:
        errors["claim_rating"] = _("Mức đánh giá không hợp lệ.")
    if category == Article.Category.REBUTTAL and not (claim and rating):
        errors["claim"] = _("Bài phản bác cần nêu thông tin sai và mức đánh giá.")
    issue: Issue | None = data.get("issue", article.issue)
    if issue is not None and issue.visibility != Issue.Visibility.PUBLIC:
        errors["issue"] = _("Chỉ liên kết với vấn đề công khai.")
    if errors:
        raise ValidationError(errors)
    assert agency is not None
    article.title = title
    article.category = category
    article.summary = normalize_text(data.get("summary", article.summary) or "")
    article.body = body
    article.source_agency = agency
    article.source_name = agency.name
    article.issue = issue
    if article.image and (image or remove_image):
        # the old picture's file leaves the disk once the change is committed
        storage, old_name = article.image.storage, article.image.name
        transaction.on_commit(lambda: storage.delete(old_name))
    if image:
        # a stored name the uploader does not choose, with the extension its bytes show
        image.name = f"{uuid.uuid4().hex}.{image_extension}"
        article.image = image
    elif remove_image:
        article.image = None
    article.image_alt = image_alt
    article.claim = claim
    article.claim_source = normalize_text(data.get("claim_source", article.claim_source) or "")
    article.claim_rating = rating
    article.search_title = fold(title)
    article.search_text = fold(
        " ".join([title, article.summary, html_to_text(body), claim, agency.name])
    )


def normalize_html(value: str) -> str:
    """NFC and one tone-mark placement inside rich text, keeping the line structure."""
    return "\n".join(normalize_text(line) for line in value.splitlines())


@transaction.atomic
def article_create(*, by: User, **data: Any) -> Article:
    """Write a new article as a draft («Bản nháp»)."""
    policy.require(by, "portal.article_create")
    article = Article(author=by, state=S.DRAFT)
    _apply(article, by=by, data=data)
    article.slug = data.get("slug") or _unique_slug(article.title)
    if Article.objects.filter(slug=article.slug).exists():
        raise ValidationError({"slug": _("Đường dẫn này đã được dùng cho bài viết khác.")})
    article.save()
    audit.record(
        actor=by,
        action="article.create",
        target=article,
        scope=_scope(article),
        after=audit.snapshot(article, ARTICLE_FIELDS),
    )
    return article


@transaction.atomic
def article_update(*, article: Article, by: User, **data: Any) -> Article:
    """Edit a draft."""
    policy.require(by, "portal.article_edit", article)
    before = audit.snapshot(article, ARTICLE_FIELDS)
    _apply(article, by=by, data=data)
    article.save()
    audit.record(
        actor=by,
        action="article.update",
        target=article,
        scope=_scope(article),
        before=before,
        after=audit.snapshot(article, ARTICLE_FIELDS),
    )
    return article


def _move(article: Article, *, to: str, action: str, by: User, **data: Any) -> None:
    before = article.state
    article.state = to
    article.save()
    audit.record(
        actor=by,
        action=f"article.{action}",
        target=article,
        scope=_scope(article),
        before={"state": before},
        after={"state": to},
        **data,
    )
    transaction.on_commit(bump_generation)


def _check(article: Article, *, allowed: tuple[str, ...], to: str) -> None:
    if article.state not in allowed:
        raise ValidationError(
            _("Không thể chuyển bài viết từ «%(from)s» sang «%(to)s».")
            % {"from": article.get_state_display(), "to": S(to).label}
        )


@transaction.atomic
def article_submit(*, article: Article, by: User) -> Article:
    """The author sends the draft for approval: «Chờ duyệt»."""
    policy.require(by, "portal.article_submit", article)
    _check(article, allowed=(S.DRAFT,), to=S.PENDING)
    _move(article, to=S.PENDING, action="submit", by=by)
    for hook in hooks.article_submitted:
        hook(article, by)
    return article


@transaction.atomic
def article_publish(*, article: Article, by: User, note: str = "") -> Article:
    """A second person approves the article and it goes on the portal: «Đã đăng»."""
    policy.require(by, "portal.article_approve", article)
    _check(article, allowed=(S.PENDING,), to=S.PUBLISHED)
    article.approved_by = by
    article.review_note = note.strip()
    if article.published_at is None:
        article.published_at = timezone.now()
    _move(article, to=S.PUBLISHED, action="publish", by=by, note=note.strip())
    for hook in hooks.article_published:
        hook(article, by)
    return article


@transaction.atomic
def article_send_back(*, article: Article, by: User, note: str) -> Article:
    """The approver returns the article to its author as a draft, saying why."""
    policy.require(by, "portal.article_approve", article)
    if not note.strip():
        raise ValidationError({"note": _("Cần nêu ý kiến để người viết sửa bài.")})
    _check(article, allowed=(S.PENDING,), to=S.DRAFT)
    article.review_note = note.strip()
    _move(article, to=S.DRAFT, action="send_back", by=by, note=note.strip())
    for hook in hooks.article_sent_back:
        hook(article, by)
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by: User, reason: str) -> Article:
    """Take a published article off the portal, saying why: «Đã gỡ»."""
    policy.require(by, "portal.article_withdraw", article)
    if not reason.strip():
        raise ValidationError({"reason": _("Cần nêu lý do gỡ bài.")})
    _check(article, allowed=(S.PUBLISHED,), to=S.WITHDRAWN)
    article.review_note = reason.strip()
    _move(article, to=S.WITHDRAWN, action="withdraw", by=by, reason=reason.strip())
    for hook in hooks.article_withdrawn:
        hook(article, by)
    return article


# The file types an article may carry, judged from the bytes, never from the name.
ATTACHMENT_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
OFFICE_EXTENSIONS = {"docx": "docx", "xlsx": "xlsx"}
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def image_kind(file: UploadedFile) -> str:
    """The extension to store an article's image under, judged from its bytes; "" when it is
    not a picture every browser shows or is over the size limit."""
    if (file.size or 0) > ATTACHMENT_MAX_BYTES:
        return ""
    file.seek(0)
    content_type = intake_files.attachment_type(file.read(16)) or ""
    file.seek(0)
    return ATTACHMENT_EXTENSIONS.get(content_type, "") if content_type.startswith("image/") else ""


def attachment_kind(file: UploadedFile) -> str:
    """The extension to store an attachment under, or ValidationError naming the field."""
    if (file.size or 0) > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("Tệp đính kèm quá 20 MB.")})
    file.seek(0)
    data = file.read(ATTACHMENT_MAX_BYTES + 1)
    file.seek(0)
    content_type = intake_files.attachment_type(data[:16])
    if content_type in ATTACHMENT_EXTENSIONS:
        return ATTACHMENT_EXTENSIONS[content_type]
    if data[:4] == b"PK\x03\x04":
        try:
            intake_files.check_zip(data)
            kind = intake_files.kind_of(filename=file.name or "", data=data)
        except ValidationError:
            kind = ""
        if kind in OFFICE_EXTENSIONS:
            return OFFICE_EXTENSIONS[kind]
    raise ValidationError(
        {"file": _("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx) hoặc ảnh PNG, JPEG, GIF, WebP.")}
    )


@transaction.atomic
def attachment_add(*, article: Article, by: User, title: str, file: UploadedFile) -> Attachment:
    """Attach a file to a draft."""
    policy.require(by, "portal.article_edit", article)
    title = normalize_text(title or "") or normalize_text(file.name or "")
    if not title:
        raise ValidationError({"title": _("Cần nhập tên tệp đính kèm.")})
    extension = attachment_kind(file)
    # A stored name the uploader does not choose: no path, no double extension, no .html.
    file.name = f"{uuid.uuid4().hex}.{extension}"
    attachment = Attachment.objects.create(article=article, title=title, file=file)
    audit.record(
        actor=by,
        action="article.attach",
        target=article,
        scope=_scope(article),
        attachment=attachment.pk,
        title=title,
    )
    return attachment


RATING_BY_LABEL = {str(label): value for value, label in Article.Rating.choices}


@transaction.atomic
def article_publish_rebuttal(
    *,
    by: User,
    key: str,
    title: str,
    text: str,
    source_agency: Agency,
    claim: str,
    rating: str,
    claim_source: str = "",
    claim_review: dict[str, Any] | None = None,
) -> Article:
    """Publish (or update) the portal article of a rebuttal approved in the false-claim
    registry, where the competent agency confirmed it and a coordinator published it;
    that approval stands in for the portal's own. `rating` is a value or label of
    Article.Rating; `claim_review` is the registry's frozen ClaimReview."""
    policy.require(by, "portal.rebuttal_publish")
    article = Article.objects.select_for_update().filter(external_key=key).first()
    created = article is None
    if article is None:
        article = Article(author=by, external_key=key, state=S.DRAFT)
    before = None if created else audit.snapshot(article, ARTICLE_FIELDS)
    _apply(
        article,
        by=by,
        data={
            "title": title,
            "category": Article.Category.REBUTTAL,
            "body": linebreaks(escape(text)),
            "source_agency": source_agency,
            "claim": claim,
            "claim_source": claim_source,
            "claim_rating": RATING_BY_LABEL.get(rating, rating),
        },
    )
    if created:
        article.slug = _unique_slug(article.title)
    article.claim_review = claim_review or {}
    article.approved_by = by
    article.state = S.PUBLISHED
    if article.published_at is None:
        article.published_at = timezone.now()
    article.save()
    audit.record(
        actor=by,
        action="article.publish_rebuttal",
        target=article,
        scope=_scope(article),
        before=before,
        after=audit.snapshot(article, ARTICLE_FIELDS),
        key=key,
    )
    transaction.on_commit(bump_generation)
    return article
