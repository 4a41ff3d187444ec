"""Portal attachments (issue 14, defect 7) and HTTP caching of public pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from phoihop.portal import services
from phoihop.portal.models import Article, Attachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _draft(world: Any) -> Article:
    return services.article_create(
        by=world.handler,
        title="Nghị quyết về hỗ trợ giống cây trồng",
        category=Article.Category.POLICY,
        body="<p>Nội dung.</p>",
        source_agency=world.dept,
    )


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
