"""The page cache: anonymous readers of a published page cost no query and no session, keep
every security header, and can revalidate with an ETag; staff are never served from it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.test import Client, RequestFactory
from tests.portal.conftest import Portal

from phoihop.cases import services as cases
from phoihop.cases.models import Issue
from phoihop.portal import pagecache, services
from phoihop.portal.pagecache import AnonymousPageCacheMiddleware

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _assert_security_headers(response: Any) -> None:
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, (header, response.headers)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


def _inner_stack_must_not_run(request: HttpRequest) -> HttpResponseBase:
    raise AssertionError("the request went past the page cache")


def test_an_anonymous_cached_article_read_runs_no_query_and_sets_no_cookie(
    portal: Portal, django_assert_num_queries: Any
) -> None:
    url = portal.article.get_absolute_url()
    client = Client()
    first = client.get(url)
    home = client.get("/")
    assert first.status_code == 200 and home.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
        home_again = client.get("/")
    assert again.status_code == 200 and again.content == first.content
    assert home_again.content == home.content
    assert not again.cookies and not home_again.cookies
    assert again["Content-Length"] == str(len(first.content))
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in again["Vary"] and "Accept-Language" in again["Vary"]
    _assert_security_headers(first)
    _assert_security_headers(again)


def test_a_cached_page_is_answered_before_the_session_the_login_and_the_view(
    portal: Portal,
) -> None:
    url = portal.article.get_absolute_url()
    expected = Client().get(url)
    middleware = AnonymousPageCacheMiddleware(_inner_stack_must_not_run)
    response = middleware(RequestFactory().get(url))
    assert response.status_code == 200
    assert response.content == expected.content
    assert response["Content-Security-Policy"] == expected["Content-Security-Policy"]
    # A request carrying a session cookie (a logged-in member of staff) always goes on.
    with_session = RequestFactory().get(url)
    with_session.COOKIES["sessionid"] = "anything"
    with pytest.raises(AssertionError, match="past the page cache"):
        middleware(with_session)
    # So do other methods, and pages that were never cached.
    with pytest.raises(AssertionError, match="past the page cache"):
        middleware(RequestFactory().head(url))
    with pytest.raises(AssertionError, match="past the page cache"):
        middleware(RequestFactory().get("/tim-kiem/?q=dat"))


def test_a_conditional_get_answers_304_with_the_security_headers(portal: Portal) -> None:
    url = portal.article.get_absolute_url()
    client = Client()
    etag = client.get(url)["ETag"]
    # The first revalidation goes through the view, later ones are answered by the cache.
    for _ in range(2):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304 and response.content == b""
        assert response["ETag"] == etag
        _assert_security_headers(response)
    assert client.get(url, HTTP_IF_NONE_MATCH='"cu-roi"').status_code == 200


def test_a_publish_changes_the_etag_at_once(
    portal: Portal, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    before = client.get("/")
    assert client.get("/")["ETag"] == before["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=portal.article, by=portal.world.coordinator, reason="Cũ")
    after = client.get("/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert portal.article.get_absolute_url().encode() not in after.content


def test_staff_are_never_served_the_shared_page(portal: Portal) -> None:
    url = portal.article.get_absolute_url()
    shared = Client().get(url)
    assert shared["Cache-Control"].startswith("public")
    staff = Client()
    staff.force_login(portal.world.handler)
    for _ in range(2):
        response = staff.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
        assert "ETag" not in response
        _assert_security_headers(response)


def test_the_printable_page_and_each_language_are_kept_apart(portal: Portal) -> None:
    url = portal.article.get_absolute_url()
    client = Client()
    for _ in range(2):
        plain = client.get(url)
        printable = client.get(url + "?ban-in")
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert b"print-view" in printable.content and b"print-view" not in plain.content
        assert plain["Content-Language"] == "vi" and english["Content-Language"] == "en"


def test_a_request_for_another_host_gets_the_vietnamese_400_not_a_500(portal: Portal) -> None:
    url = portal.article.get_absolute_url()
    client = Client(raise_request_exception=False)
    assert client.get(url).status_code == 200
    response = client.get(url, HTTP_HOST="tro-gia.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    _assert_security_headers(response)


def test_a_public_answer_is_cached_and_goes_at_once_when_the_issue_changes(
    portal: Portal, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = f"/tra-loi/{portal.issue.pk}/"
    client = Client()
    first = client.get(url)
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=60"
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # The lead agency corrects the published issue's title: the page shows it at once.
    with django_capture_on_commit_callbacks(execute=True):
        cases.issue_edit(
            issue=portal.issue,
            by=portal.world.coordinator,
            title="Công khai kết quả xét xử vụ án lừa đảo qua mạng",
            field=portal.world.field,
            visibility=Issue.Visibility.PUBLIC,
        )
    edited = client.get(url)
    assert "lừa đảo qua mạng" in edited.content.decode() and edited["ETag"] != first["ETag"]
    # A citizen says the matter is not solved: the issue reopens and its answer leaves the
    # portal at once, from the page and from the home page's list.
    with django_capture_on_commit_callbacks(execute=True):
        cases.issue_feedback_record(
            issue=portal.issue, tracking_code=portal.code, resolved=False, reason="Chưa có"
        )
    assert client.get(url).status_code == 404
    assert url.encode() not in client.get("/").content


def test_search_results_are_cached_per_words_and_page_and_go_at_once_on_a_withdrawal(
    portal: Portal, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    url = portal.article.get_absolute_url().encode()
    found = client.get("/tim-kiem/", {"q": "giai phong mat bang"})
    nothing = client.get("/tim-kiem/", {"q": "khong co gi ca"})
    assert url in found.content and url not in nothing.content
    with django_assert_num_queries(0):
        again = client.get("/tim-kiem/", {"q": "giai phong mat bang"})
        other = client.get("/tim-kiem/", {"q": "khong co gi ca"})
    assert again.content == found.content and other.content == nothing.content
    # each query and each page of results is kept apart
    keys = {
        pagecache.fast_key(RequestFactory().get("/tim-kiem/", params))
        for params in (
            {"q": "dat"},
            {"q": "dat", "trang": "2"},
            {"q": "dat&trang=2"},  # words that look like a second parameter
            {"q": "nha"},
            {},
        )
    }
    assert len(keys) == 5
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withdraw(article=portal.article, by=portal.world.coordinator, reason="Cũ")
    assert url not in client.get("/tim-kiem/", {"q": "giai phong mat bang"}).content


def test_a_hot_page_is_kept_in_the_process_and_another_process_s_publish_shows_within_a_second(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = portal.article.get_absolute_url()
    client = Client()
    first = client.get(url)
    client.get(url)  # now kept in this process
    key = pagecache.fast_key(RequestFactory().get(url))
    assert key is not None
    # The shared cache loses the page: this process still answers from its memory, with the
    # same bytes and headers, without a round trip.
    cache.delete(key)
    middleware = AnonymousPageCacheMiddleware(_inner_stack_must_not_run)
    kept = middleware(RequestFactory().get(url))
    assert kept.content == first.content and kept["ETag"] == first["ETag"]
    # Another process publishes (it bumps the shared generation, not this process's memory):
    # this process keeps its page until it reads the generation again, at most a second later.
    cache.incr(services.GENERATION_KEY)
    assert middleware(RequestFactory().get(url)).content == first.content
    clock = services.time.monotonic() + services.GENERATION_SECONDS
    monkeypatch.setattr(services.time, "monotonic", lambda: clock)
    with pytest.raises(AssertionError, match="past the page cache"):
        middleware(RequestFactory().get(url))
    # A change made by this process shows at once.
    monkeypatch.undo()
    client.get(url)
    services.bump_generation()
    with pytest.raises(AssertionError, match="past the page cache"):
        middleware(RequestFactory().get(url))


def test_the_process_keeps_a_bounded_number_of_pages(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagecache, "LOCAL_PAGES", 2)
    client = Client()
    for url in ("/", portal.article.get_absolute_url(), portal.rebuttal.get_absolute_url()):
        client.get(url)
    assert len(pagecache._local) == 2
    assert pagecache.fast_key(RequestFactory().get("/")) not in pagecache._local
