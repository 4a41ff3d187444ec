"""The public portal's page cache: a published page is built once per content generation and
then served to anonymous readers without a database query.

Two layers share one rule (a page is keyed by the content generation that every publish or
withdrawal bumps, so a change shows at once):

- `serve()`, inside the view, keeps the page's bytes and ETag for any anonymous reader;
- `AnonymousPageCacheMiddleware`, placed just after SecurityMiddleware, answers a GET that
  carries no session cookie straight from the cache with the headers the full stack sent the
  first time (CSP, X-Frame-Options, Vary, ETag, Cache-Control …), before sessions,
  authentication, 2FA, CSRF, messages or URL routing run. SecurityMiddleware still runs on
  every response (HTTPS redirect, HSTS, nosniff, referrer policy). Each process also keeps
  its most read pages in memory, so a hot page costs no round trip to the shared cache; the
  generation is re-read from the shared cache every `services.GENERATION_SECONDS`.

Staff are never served from here: a logged-in user always has a session cookie, so their
requests take the full stack, and `serve()` marks their pages `private, no-cache`.
A page served through `serve()` may depend only on its path, the `ban-in` (printable) flag,
the search's words and page (`KEYED_PARAMETERS`), the site's address and the language: both
layers key on exactly these.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils import translation

from phoihop.portal import services

# How long a browser may reuse a public page before it asks again (a publish shows at once on
# the server; a reader sees it within this time).
BROWSER_SECONDS = 60
# Query parameters a public page's content depends on, besides the printable flag (search).
KEYED_PARAMETERS = ("q", "trang")
# On a response that is the same for every anonymous reader of its URL: its generation.
_SHARED = "_phoihop_shared_page"
# On a response that must not be kept (it shows what changes without a publish).
_PRIVATE = "_phoihop_private_page"
# Headers the cache recomputes, or that belong to one exchange only.
_NOT_REPLAYED = frozenset({"content-length", "date", "server", "connection", "set-cookie"})


def cache_seconds() -> int:
    """How long public pages stay cached; 0 turns page caching off."""
    return int(settings.PORTAL_PAGE_CACHE_SECONDS)


def printable(request: HttpRequest) -> bool:
    return "ban-in" in request.GET


def _address(request: HttpRequest) -> str | None:
    """scheme://host of a request whose Host is allowed; None otherwise."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return f"{request.scheme}://{host}"


def _language(request: HttpRequest) -> str:
    return translation.get_language_from_request(request)


def _matches(etag: str, request: HttpRequest) -> bool:
    header = request.headers.get("If-None-Match", "")
    return bool(header) and (header.strip() == "*" or etag in header)


# --- inside the view ------------------------------------------------------------------------


def serve(request: HttpRequest, name: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """Serve a public page from the cache (anonymous readers) or build it (staff, cache off).

    `name` identifies the page among the site's pages (e.g. "article:<slug>:<printable>")."""
    seconds = cache_seconds()
    if seconds <= 0 or request.user.is_authenticated:
        response = build()
        response["Cache-Control"] = "private, no-cache"
        return response
    generation = services.generation()
    address = _address(request) or ""
    key = f"portal:page:{generation}:{address}:{_language(request)}:{name}"
    cached = cache.get(key)
    if cached is None:
        response = build()
        if getattr(response, _PRIVATE, False):
            response["Cache-Control"] = "private, no-cache"
            return response
        if response.status_code != 200:
            return response
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        cached = (response.content, f'"{digest}"')
        cache.set(key, cached, seconds)
    content, etag = cached
    # Browsers and proxies may keep the page briefly, then ask again with If-None-Match: a
    # page that did not change (same content generation) is answered 304 without a body.
    result: HttpResponse = (
        HttpResponseNotModified() if _matches(etag, request) else HttpResponse(content)
    )
    result["ETag"] = etag
    result["Cache-Control"] = f"public, max-age={BROWSER_SECONDS}"
    setattr(result, _SHARED, generation)
    return result


def never_keep(response: HttpResponse) -> HttpResponse:
    """Mark a page `serve()` built as one for this request only: not cached, not shared."""
    setattr(response, _PRIVATE, True)
    return response


# --- before the session ----------------------------------------------------------------------


# What the fast path keeps per URL: (generation, body, ETag, headers as first sent).
CachedPage = tuple[int, bytes, str, tuple[tuple[str, str], ...]]
# Pages each process keeps in memory (the most recently read first to stay).
LOCAL_PAGES = 256
_local: OrderedDict[str, tuple[CachedPage, float]] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str, generation: int) -> CachedPage | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        page, stored = entry
        if page[0] != generation or time.monotonic() - stored >= cache_seconds():
            del _local[key]
            return None
        _local.move_to_end(key)
        return page


def _local_put(key: str, page: CachedPage) -> None:
    with _local_lock:
        _local[key] = (page, time.monotonic())
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def forget_local() -> None:
    """Drop this process's pages and its memory of the generation."""
    with _local_lock:
        _local.clear()
    services.forget_generation()


def fast_key(request: HttpRequest) -> str | None:
    """The fast path's key for a request it may answer, or None (the full stack answers)."""
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    address = _address(request)
    if address is None or cache_seconds() <= 0:
        return None
    flag = int(printable(request))
    # The search's words and page change its content; any other page ignores them and is at
    # worst kept once more under another key.
    params = urlencode([(p, request.GET[p]) for p in KEYED_PARAMETERS if p in request.GET])
    digest = hashlib.blake2b(params.encode(), digest_size=16).hexdigest() if params else ""
    return f"portal:fast:{address}:{_language(request)}:{flag}:{request.path}:{digest}"


class AnonymousPageCacheMiddleware:
    """Answer anonymous GETs of cached public pages before the session is looked at."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = fast_key(request)
        if key is None:
            return self.get_response(request)
        generation = services.generation()
        page = _local_get(key, generation)
        if page is None:
            shared = cache.get(key)
            if shared is not None and shared[0] == generation:
                page = shared
                _local_put(key, page)
        if page is not None:
            return self._answer(request, page)
        response = self.get_response(request)
        self._keep(key, response)
        return response

    @staticmethod
    def _answer(request: HttpRequest, page: CachedPage) -> HttpResponse:
        _generation, content, etag, headers = page
        if _matches(etag, request):
            response: HttpResponse = HttpResponseNotModified()
            for header, value in headers:
                if header.lower() != "content-type":
                    response[header] = value
            return response
        response = HttpResponse(content)
        for header, value in headers:
            response[header] = value
        response["Content-Length"] = str(len(content))
        return response

    @staticmethod
    def _keep(key: str, response: HttpResponseBase) -> None:
        generation = getattr(response, _SHARED, None)
        etag = response.get("ETag")
        if (
            not isinstance(generation, int)
            or not etag
            or response.status_code != 200
            or response.cookies
            or not isinstance(response, HttpResponse)
        ):
            return
        headers = tuple(
            (header, value)
            for header, value in response.items()
            if header.lower() not in _NOT_REPLAYED
        )
        page: CachedPage = (generation, response.content, etag, headers)
        cache.set(key, page, cache_seconds())
        _local_put(key, page)
