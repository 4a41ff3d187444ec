"""News monitoring: read an RSS/Atom feed and, when an entry has only a summary, the article.

Feeds are parsed with feedparser after the bytes are checked for XML entity tricks; article
text comes from trafilatura. Fetching is bounded in time and size.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from phoihop.intake.files import FileRejected, check_size, check_xml
from phoihop.intake.models import Signal
from phoihop.intake.records import (
    NEWS_SOURCE,
    Checked,
    Record,
    RowError,
    clean_url,
    html_to_text,
)

USER_AGENT = "phoihop-intake/1.0 (+giam sat bao chi)"
# An entry whose own text is shorter than this is a summary: read the article page.
FULL_TEXT_MIN_CHARS = 400


def _check_host(url: str) -> None:
    """Refuse addresses inside the organisation (loopback, private, link-local…): a feed
    configured by mistake or malice must not make the server read its own network.
    `PHOIHOP_INTAKE_FETCH_PRIVATE = True` allows them (tests serve feeds on 127.0.0.1)."""
    if settings.PHOIHOP_INTAKE_FETCH_PRIVATE:
        return
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError as error:
        raise FileRejected(_("Không tìm thấy máy chủ %(host)s.") % {"host": host}) from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FileRejected(_("Không được lấy tin từ địa chỉ nội bộ %(host)s.") % {"host": host})


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        _check_host(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int | None = None, timeout: float | None = None) -> bytes:
    """GET an http(s) URL with a time and size limit. Raises FileRejected on any failure."""
    max_bytes = max_bytes or int(settings.PHOIHOP_INTAKE_MAX_FETCH_BYTES)
    timeout = timeout or float(settings.PHOIHOP_INTAKE_FETCH_TIMEOUT)
    try:
        url = clean_url(url) if url else ""
    except ValueError:
        url = ""
    if not url:
        raise FileRejected(_("Địa chỉ không hợp lệ (cần http:// hoặc https://)."))
    _check_host(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    opener = urllib.request.build_opener(_CheckedRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FileRejected(
            _("Không tải được %(url)s: %(err)s") % {"url": url, "err": error}
        ) from error
    if len(data) > max_bytes:
        raise FileRejected(_("Nội dung tải về quá lớn: %(url)s") % {"url": url})
    return data


def article_text(html: bytes | str, *, url: str = "") -> str:
    """The main text of an article page (trafilatura), or "" when none can be found."""
    import trafilatura

    try:
        text = trafilatura.extract(
            html, url=url or None, include_comments=False, include_tables=False
        )
    except Exception:
        return ""
    return text or ""


def _entry_time(entry: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                year, month, day, hour, minute, second = (int(v) for v in value[:6])
                return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
            except (TypeError, ValueError):
                continue
    return None


@dataclass(frozen=True)
class FeedEntry:
    number: int
    checked: Checked
    known: bool


def parse_feed(data: bytes) -> Any:
    import feedparser

    check_size(data)
    check_xml(data)
    try:
        parsed = feedparser.parse(data)
    except Exception as error:
        raise FileRejected(_("Không đọc được nguồn tin RSS/Atom.")) from error
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("feed")):
        raise FileRejected(_("Tệp không phải nguồn tin RSS/Atom hợp lệ."))
    return parsed


def feed_entries(
    *,
    data: bytes,
    feed_url: str,
    known_url: Callable[[str], bool],
    fetch_page: Callable[[str], bytes] = fetch,
) -> Iterator[FeedEntry]:
    """Each entry of a feed as a checked news record; known URLs are not fetched again."""
    parsed = parse_feed(data)
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            url = clean_url(entry.get("link"))
        except ValueError:
            url = ""
        if not url:
            problem = RowError("url", _("bài không có đường dẫn hợp lệ"))
            yield FeedEntry(number, Checked(None, [problem], []), False)
            continue
        if known_url(url):
            yield FeedEntry(number, Checked(None, [], []), True)
            continue
        title = html_to_text(entry.get("title", ""))[:500]
        summary = html_to_text(entry.get("summary", ""))
        contents = entry.get("content") or []
        body = html_to_text(" ".join(c.get("value", "") for c in contents))
        warnings: list[RowError] = []
        source_of_text = "feed"
        text = body if len(body) >= len(summary) else summary
        if len(text) < FULL_TEXT_MIN_CHARS:
            try:
                page = fetch_page(url)
            except FileRejected as error:
                page = b""
                warnings.append(RowError("url", str(error.messages[0])))
            extracted = article_text(page, url=url) if page else ""
            if extracted and len(extracted) > len(text):
                text, source_of_text = extracted, "page"
            elif page:
                warnings.append(
                    RowError("url", _("không trích được nội dung trang, dùng phần tóm tắt"))
                )
        if not text:
            text = title
        if not text:
            problem = RowError("content", _("bài không có nội dung"))
            yield FeedEntry(number, Checked(None, [problem], warnings), False)
            continue
        record = Record(
            channel=Signal.Channel.NEWS,
            source=NEWS_SOURCE,
            raw_text=text,
            key_text=text,
            title=title,
            url=url,
            external_id=str(entry.get("id", ""))[:500],
            occurred_at=_entry_time(entry),
            metadata={
                "feed": feed_url,
                "feed_title": html_to_text(parsed.feed.get("title", ""))[:300],
                "summary": summary[:2000],
                "text_from": source_of_text,
            },
        )
        yield FeedEntry(number, Checked(record, [], warnings), False)
