"""Portal attachments (issue 14, defect 7) and HTTP caching of public pages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from phoihop.core.models import AuditEvent
from phoihop.portal import services
from phoihop.portal.models import Article, Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _draft(world: Any, **extra: Any) -> Article:
    data: dict[str, Any] = {
        "title": "Nghị quyết về hỗ trợ giống cây trồng",
        "category": Article.Category.POLICY,
        "body": "<p>Nội dung.</p>",
        "source_agency": world.dept,
    }
    return services.article_create(by=world.handler, **(data | extra))


def _attach(world: Any, article: Article, name: str, data: bytes) -> Attachment:
    return services.attachment_add(
        article=article,
        by=world.handler,
        title="Nghị quyết số 12",
        file=SimpleUploadedFile(name, data, content_type="text/html"),
    )


@pytest.mark.parametrize(
    "name, data",
    [
        ("xss.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("trick.pdf.html", b"<script>alert(1)</script>"),
        ("gia.pdf", b"<script>alert(1)</script>"),  # a PDF by name only
    ],
)
def test_types_outside_the_allow_list_are_refused(world: Any, name: str, data: bytes) -> None:
    article = _draft(world)
    with pytest.raises(ValidationError) as error:
        _attach(world, article, name, data)
    assert "file" in error.value.message_dict
    assert "PDF" in error.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_attachments_get_a_stored_name_and_are_served_as_downloads(world: Any) -> None:
    article = _draft(world)
    attachment = _attach(world, article, "../../nghi quyet<script>.pdf", PDF)
    stored = attachment.file.name
    assert stored.startswith("portal/attachments/") and stored.endswith(".pdf")
    assert "script" not in stored and ".." not in stored and " " not in stored

    url = f"/tep-dinh-kem/{attachment.pk}/"
    assert Client().get(url).status_code == 404  # a draft's file is not public
    services.article_submit(article=article, by=world.handler)
    services.article_publish(article=article, by=world.coordinator)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="nghi-quyet-so-12.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]

    page = Client().get(article.get_absolute_url()).content.decode()
    assert url in page and "/media/" not in page


def test_public_pages_send_cache_control_and_etag_and_answer_304(
    portal: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cache.clear()
    url = portal.article.get_absolute_url()
    first = Client().get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and "public" in first["Cache-Control"]
    again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert Client().get(url, HTTP_IF_NONE_MATCH='"khac"').status_code == 200
    home = Client().get("/")
    assert Client().get("/", HTTP_IF_NONE_MATCH=home["ETag"]).status_code == 304
    # A withdrawal changes the page: the old tag no longer matches.
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=portal.article, by=portal.world.coordinator, reason="Cũ")
    assert Client().get("/", HTTP_IF_NONE_MATCH=home["ETag"]).status_code == 200
    # Staff see pages that no shared cache may keep.
    staff = Client()
    staff.force_login(portal.world.coordinator)
    assert "private" in staff.get("/")["Cache-Control"]


def _picture(format: str, colour: tuple[int, int, int] = (200, 10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format=format)
    return buffer.getvalue()


def test_an_articles_image_is_served_by_the_portal_not_from_media(world: Any) -> None:
    png = _picture("PNG")
    article = _draft(
        world,
        title="Sơ đồ chi trả bồi thường",
        image=SimpleUploadedFile("../so do<script>.png", png, content_type="image/png"),
        image_alt="Ba bước chi trả",
    )
    stored = article.image.name
    assert stored.startswith("portal/images/") and stored.endswith(".png")
    assert "script" not in stored and ".." not in stored
    url = article.image_url()
    assert url.startswith(f"/bai-viet/{article.slug}/anh/")

    assert Client().get(url).status_code == 404  # a draft's image is not public
    staff = Client()
    staff.force_login(world.handler)
    assert staff.get(url).status_code == 200  # its writer sees it before it goes out
    assert url in staff.get(f"/quan-ly/bai-viet/{article.pk}/").content.decode()

    services.article_submit(article=article, by=world.handler)
    services.article_publish(article=article, by=world.coordinator)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png  # type: ignore[attr-defined]
    assert response["Cache-Control"] == "public, max-age=300"
    for page in (Client().get(article.get_absolute_url()), Client().get("/")):
        html = page.content.decode()
        assert f'src="{url}"' in html and "/media/" not in html
    assert f'property="og:image" content="http://testserver{url}"' in (
        Client().get(article.get_absolute_url()).content.decode()
    )
    assert Client().get(url.replace(".png", "x.png")).status_code == 404


def test_a_replaced_image_gets_a_new_address_and_the_old_one_is_gone(world: Any) -> None:
    article = _draft(
        world,
        title="Bản đồ quy hoạch",
        image=SimpleUploadedFile("a.png", _picture("PNG"), content_type="image/png"),
        image_alt="Bản đồ",
    )
    old = article.image_url()
    jpeg = _picture("JPEG", (10, 10, 200))
    services.article_update(
        article=article,
        by=world.handler,
        image=SimpleUploadedFile("a.png", jpeg, content_type="image/png"),
    )
    new = article.image_url()
    assert new != old and new.endswith(".jpg")  # named by its bytes, not by what it was called
    staff = Client()
    staff.force_login(world.handler)
    assert staff.get(old).status_code == 404
    response = staff.get(new)
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("anh.png", _picture("BMP")),  # a picture, but not one every browser shows
        ("anh.png", _picture("TIFF")),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_an_image_browsers_cannot_show_is_refused_and_nothing_changes(
    world: Any, name: str, data: bytes
) -> None:
    article = _draft(world)
    with pytest.raises(ValidationError) as error:
        services.article_update(
            article=article,
            by=world.handler,
            image=SimpleUploadedFile(name, data, content_type="image/png"),
            image_alt="Ảnh",
        )
    assert "PNG, JPEG, GIF" in error.value.message_dict["image"][0]
    article.refresh_from_db()
    assert not article.image and article.image_alt == ""


def test_the_writer_sees_the_current_image_and_may_remove_it(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    article = _draft(
        world,
        title="Ảnh chọn nhầm",
        image=SimpleUploadedFile("a.png", _picture("PNG"), content_type="image/png"),
        image_alt="Ảnh chọn nhầm",
    )
    url = article.image_url()
    writer = Client()
    writer.force_login(world.handler)
    assert 'name="remove_image"' not in writer.get("/quan-ly/bai-viet/them/").content.decode()
    edit = writer.get(f"/quan-ly/bai-viet/{article.pk}/sua/").content.decode()
    assert f'src="{url}"' in edit and 'name="remove_image"' in edit
    stored = Path(article.image.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = writer.post(
            f"/quan-ly/bai-viet/{article.pk}/sua/",
            {
                "title": "Ảnh chọn nhầm",
                "category": Article.Category.NEWS,
                "body": "Nội dung.",
                "source_agency": world.dept.pk,
                "image_alt": "Ảnh chọn nhầm",
                "remove_image": "on",
            },
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.image and article.image_alt == ""
    assert not stored.exists()  # the picture taken off leaves the disk too
    assert writer.get(url).status_code == 404
    event = AuditEvent.objects.filter(action="article.update").latest("id")
    assert event.before["image"].endswith(url.rsplit("/", 1)[-1])
    assert event.after["image"] in ("", None)


def test_a_replaced_image_leaves_the_disk_and_a_refused_one_keeps_it(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    article = _draft(
        world,
        image=SimpleUploadedFile("a.png", _picture("PNG"), content_type="image/png"),
        image_alt="Ảnh đồng lúa",
    )
    first = Path(article.image.path)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.article_update(
            article=article,
            by=world.handler,
            image=SimpleUploadedFile("b.bmp", b"BM" + b"0" * 60, content_type="image/bmp"),
        )
    assert first.exists()  # a refused change keeps the picture and its file
    article.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            article=article,
            by=world.handler,
            image=SimpleUploadedFile("c.jpg", _picture("JPEG"), content_type="image/jpeg"),
        )
    article.refresh_from_db()
    assert Path(article.image.path).exists() and article.image.name.endswith(".jpg")
    assert not first.exists()
