"""Article rules: the approval workflow, four eyes, sanitising, rebuttal and image rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import member

from phoihop.core.models import AuditEvent, Membership
from phoihop.portal import services
from phoihop.portal.models import Article

pytestmark = pytest.mark.django_db
R = Membership.Role


def _draft(world: Any, **extra: Any) -> Article:
    data: dict[str, Any] = {
        "title": "Giải thích chính sách hỗ trợ giống cây trồng",
        "category": Article.Category.POLICY,
        "body": "<p>Nội dung giải thích.</p>",
        "source_agency": world.dept,
    }
    data.update(extra)
    return services.article_create(by=world.handler, **data)


def test_article_goes_from_draft_to_published_to_withdrawn_with_audit(world: Any) -> None:
    article = _draft(world)
    assert article.state == Article.State.DRAFT and article.slug.startswith("giai-thich")
    services.article_submit(article=article, by=world.handler)
    assert article.state == Article.State.PENDING
    services.article_publish(article=article, by=world.coordinator, note="Đồng ý")
    assert article.state == Article.State.PUBLISHED
    assert article.published_at is not None and article.approved_by == world.coordinator
    services.article_withdraw(article=article, by=world.coordinator, reason="Đã có văn bản mới")
    assert article.state == Article.State.WITHDRAWN
    actions = list(
        AuditEvent.objects.filter(scope=f"article:{article.pk}").values_list("action", flat=True)
    )
    assert actions == [
        "article.create",
        "article.submit",
        "article.publish",
        "article.withdraw",
    ]


def test_nobody_approves_their_own_article(world: Any) -> None:
    article = services.article_create(
        by=world.coordinator,
        title="Tin hoạt động của Ban",
        category=Article.Category.NEWS,
        body="<p>Tin.</p>",
        source_agency=world.coordinator_agency,
    )
    services.article_submit(article=article, by=world.coordinator)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=world.coordinator)
    # The second pair of eyes is another editor of the Ban (its leader), not an administrator.
    services.article_publish(article=article, by=member(world.coordinator_agency, R.LEADER))
    assert article.state == Article.State.PUBLISHED


def test_handler_cannot_publish_or_write_for_another_agency(world: Any) -> None:
    article = _draft(world)
    services.article_submit(article=article, by=world.handler)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, by=world.leader)
    with pytest.raises(ValidationError) as error:
        _draft(world, source_agency=world.other)
    assert "source_agency" in error.value.message_dict


def test_viewer_cannot_write_articles(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.article_create(
            by=world.viewer,
            title="Bài",
            category=Article.Category.NEWS,
            body="<p>x</p>",
            source_agency=world.dept,
        )


def test_a_published_article_cannot_be_published_again_or_edited(world: Any) -> None:
    article = _draft(world)
    services.article_submit(article=article, by=world.handler)
    services.article_publish(article=article, by=world.coordinator)
    with pytest.raises(ValidationError) as error:
        services.article_publish(article=article, by=member(world.coordinator_agency, R.LEADER))
    assert "Đã đăng" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.article_update(article=article, by=world.handler, title="Sửa")


def test_sent_back_article_returns_to_its_author_as_draft_with_the_reason(world: Any) -> None:
    article = _draft(world)
    services.article_submit(article=article, by=world.handler)
    with pytest.raises(ValidationError):
        services.article_send_back(article=article, by=world.coordinator, note=" ")
    services.article_send_back(article=article, by=world.coordinator, note="Bổ sung số liệu")
    assert article.state == Article.State.DRAFT and article.review_note == "Bổ sung số liệu"
    services.article_update(article=article, by=world.handler, summary="Có số liệu")
    assert article.summary == "Có số liệu"


def test_rich_text_is_sanitised_on_save(world: Any) -> None:
    article = _draft(
        world,
        body='<p onclick="x()">An toàn <script>alert(1)</script><a href="javascript:alert(1)">'
        'liên kết</a> <a href="https://laichau.gov.vn">cổng</a></p><style>p{}</style>',
    )
    assert "<script" not in article.body and "onclick" not in article.body
    assert "javascript:" not in article.body and "<style" not in article.body
    assert 'href="https://laichau.gov.vn"' in article.body
    assert "An toàn" in article.body


def test_search_text_is_folded_and_tone_marks_unified(world: Any) -> None:
    article = _draft(world, title="Hỗ trợ hoà giải ở cơ sở", body="<p>Giải phóng mặt bằng</p>")
    assert article.title == "Hỗ trợ hòa giải ở cơ sở"
    assert "ho tro hoa giai o co so" in article.search_text
    assert "giai phong mat bang" in article.search_text


def test_rebuttal_needs_the_claim_and_a_rating(world: Any) -> None:
    with pytest.raises(ValidationError) as error:
        _draft(world, category=Article.Category.REBUTTAL)
    assert "claim" in error.value.message_dict
    article = _draft(
        world,
        category=Article.Category.REBUTTAL,
        claim="Tin đồn sai",
        claim_rating=Article.Rating.FALSE,
    )
    assert article.claim_rating == "false"


def test_image_needs_alt_text(world: Any, png: bytes) -> None:
    image = SimpleUploadedFile("anh.png", png, content_type="image/png")
    with pytest.raises(ValidationError) as error:
        _draft(world, image=image)
    assert "image_alt" in error.value.message_dict
    image = SimpleUploadedFile("anh.png", png, content_type="image/png")
    article = _draft(world, image=image, image_alt="Cán bộ tiếp dân tại phường")
    assert article.image.name.startswith("portal/images/")


def test_attachment_is_added_to_a_draft_and_audited(world: Any) -> None:
    article = _draft(world)
    file = SimpleUploadedFile("nghi-quyet.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attachment = services.attachment_add(
        article=article, by=world.handler, title="Nghị quyết số 12", file=file
    )
    assert attachment.article == article
    assert AuditEvent.objects.filter(action="article.attach").exists()


@pytest.fixture
def png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_registry_rebuttal_is_published_once_and_updated_in_place(world: Any) -> None:
    review = {
        "@type": "ClaimReview",
        "claimReviewed": "Tin đồn thu hồi đất",
        "reviewBody": "Không có chủ trương này.",
        "reviewRating": {"@type": "Rating", "alternateName": "Sai sự thật"},
    }
    kwargs: dict[str, Any] = {
        "by": world.coordinator,
        "key": "factcheck.rebuttal:7",
        "title": "Tin đồn thu hồi đất là sai sự thật",
        "text": "Không có chủ trương này.\n\nNgười dân không chia sẻ tin sai.",
        "source_agency": world.coordinator_agency,
        "claim": "Tỉnh sẽ thu hồi đất",
        "rating": "Sai sự thật",
        "claim_review": review,
    }
    article = services.article_publish_rebuttal(**kwargs)
    assert article.state == Article.State.PUBLISHED
    assert article.category == Article.Category.REBUTTAL and article.claim_rating == "false"
    assert "<p>Không có chủ trương này.</p>" in article.body
    again = services.article_publish_rebuttal(**{**kwargs, "title": "Tiêu đề đã sửa"})
    assert again.pk == article.pk and again.title == "Tiêu đề đã sửa"
    assert Article.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.article_publish_rebuttal(**{**kwargs, "by": world.handler})
