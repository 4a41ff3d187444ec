"""Every page of the demo province, crawled per role in Vietnamese: no number in a place a
machine reads (SVG, JSON, CSS, data attributes, URLs, feeds) may carry the decimal comma,
and staff pages show no raw identifiers (snake_case, English enum values, source keys)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from phoihop.core.models import Agency, Membership, User
from phoihop.demo.loader import load_demo

# Attributes a machine reads as numbers: a localized decimal ("560,0") breaks them.
NUMERIC_ATTRS = {
    "viewbox", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width",
    "height", "value", "min", "max", "low", "high", "optimum", "step", "transform", "offset",
    "stroke-width", "font-size", "style",
}  # fmt: skip
URL_ATTRS = {"href", "src", "action", "hx-get", "hx-post"}
DECIMAL_COMMA = re.compile(r"\d,\d")
# Pages that stream files or sound: rendered by their own tests, not worth crawling here.
SKIP = re.compile(r"^/(dang-xuat|quan-tri|static|media)/|\.(wav|pdf|xlsx|docx|csv)$|/nghe/")
PER_ROUTE = 6
LIMIT = 400


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    body: str


@dataclass
class Scan(HTMLParser):
    """Collects the links, the machine-read attribute problems and the visible text."""

    problems: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _skip_depth: int = 0
    _script: str | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in NUMERIC_ATTRS or name.startswith("data-"):
                if DECIMAL_COMMA.search(value) and not (
                    tag == "meta"
                    or (name == "value" and tag in ("input", "option", "textarea", "button"))
                ):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name in ("d", "points"):
                if any(token.count(",") > 1 for token in value.split()):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>")
            elif name in URL_ATTRS:
                query = urlsplit(value).query
                if DECIMAL_COMMA.search(query):
                    self.problems.append(f"<{tag} {name}={value[:60]!r}>")
                if name == "href" and tag == "a":
                    self.links.append(value)
        if tag == "script":
            kind = dict(attrs).get("type") or ""
            self._script = kind if "json" in kind else ""
        if tag in ("script", "style", "svg", "template"):
            self._skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg", "template"):
            self._skip_depth = max(0, self._skip_depth - 1)
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script:
            try:
                json.loads(data)
            except ValueError as error:
                self.problems.append(f"<script {self._script}> is not JSON: {error}")
        elif self._skip_depth == 0:
            self.text.append(data)


def _no_arg_routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        if isinstance(pattern, URLResolver):
            yield from _no_arg_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route


def crawl(client: Client, seeds: list[str]) -> list[Page]:
    """Breadth-first over the site's own links (GET only), a few pages per route."""
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    queue = list(seeds)
    pages: list[Page] = []
    while queue and len(pages) < LIMIT:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path
        url = path + (f"?{parts.query}" if parts.query else "")
        if url in seen or SKIP.search(path):
            continue
        seen.add(url)
        route = re.sub(r"\d+", "N", path)
        if per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        content_type = response.get("Content-Type", "")
        if response.streaming or "attachment" in response.get("Content-Disposition", ""):
            continue
        body = response.content.decode("utf-8", "replace")
        pages.append(Page(url, response.status_code, content_type, body))
        if "html" in content_type:
            scan = Scan()
            scan.feed(body)
            queue.extend(urljoin(path, link) for link in scan.links if not link.startswith("#"))
    return pages


ROLES = [None, "dieuphoi", "lanhdao.nnmt", "xuly.nnmt"]


def _client(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_no_localized_number_where_a_machine_reads_it(db: None) -> None:
    load_demo()
    problems: list[str] = []
    for username in ROLES:
        pages = crawl(_client(username), ["/", "/cong-viec/", *_no_arg_routes()])
        assert len(pages) > 20
        for page in pages:
            assert page.status < 500, f"{username}: {page.url} answered {page.status}"
            if "html" in page.content_type:
                scan = Scan()
                scan.feed(page.body)
                problems += [f"{page.url}: {p}" for p in scan.problems]
            elif "json" in page.content_type:
                try:
                    json.loads(page.body)
                except ValueError as error:
                    problems.append(f"{page.url}: not JSON ({error})")
            elif "xml" in page.content_type and re.search(r"<[^>]*\d,\d[^>]*>", page.body):
                problems.append(f"{page.url}: a localized number in a feed attribute")
    assert not problems, "\n".join(problems)


def test_the_dashboard_map_viewbox_is_machine_readable(db: None) -> None:
    load_demo()
    response = _client("dieuphoi").get("/cong-viec/bao-cao/", HTTP_ACCEPT_LANGUAGE="vi")
    boxes = re.findall(r'viewBox="([^"]*)"', response.content.decode())
    assert len(boxes) == 3  # the header's moon (night mode), the weekly chart, the map
    for box in boxes:
        numbers = [float(n) for n in box.split()]
        assert len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0, box


def _english_enum_values() -> set[str]:
    values: set[str] = set()
    for model in (m for m in apps.get_models() if m.__module__.startswith("phoihop.")):
        for f in model._meta.get_fields():
            for value, label in getattr(f, "choices", None) or []:
                english = isinstance(value, str) and re.fullmatch(r"[a-z_]{4,}", value)
                if english and str(label) != value:
                    values.add(str(value))
    return values


SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
RAW_KEY = re.compile(r"\b[a-z]{2,}(?::[\w.-]+){1,}|\b[a-z]+(?:-[a-z]+)+\b")
# Addresses shown as such (links, e-mails, site paths) are not identifiers.
URLISH = re.compile(r"\S+://\S+|\S+@\S+|\b[\w.-]+\.(?:vn|org|com|net)\S*|(?<!\S)/[\w/-]+")


def test_staff_pages_show_no_raw_identifiers(db: None) -> None:
    load_demo()
    enums = _english_enum_values()
    codes = {c for c in Agency.objects.values_list("code", flat=True) if len(c) > 2}
    pages = [
        page
        for username in ("dieuphoi", "lanhdao.nnmt", "xuly.nnmt")
        for page in crawl(_client(username), ["/cong-viec/", *_no_arg_routes()])
    ]
    enum_word = re.compile(r"\b(" + "|".join(sorted(enums)) + r")\b")
    problems: set[str] = set()
    for page in pages:
        if not page.url.startswith("/cong-viec/") or "html" not in page.content_type:
            continue
        scan = Scan()
        scan.feed(page.body)
        text = URLISH.sub(" ", " ".join(scan.text))
        found = set(SNAKE.findall(text)) | set(enum_word.findall(text))
        found |= {m for m in RAW_KEY.findall(text) if m in codes or ":" in m or "-" in m}
        problems |= {f"{re.sub(r'[0-9]+', 'N', page.url)}: {token}" for token in found}
    assert not problems, "\n".join(sorted(problems))


def test_the_menu_offers_each_role_only_pages_it_may_open(db: None) -> None:
    load_demo()
    roles = dict(
        Membership.objects.order_by("-user__username").values_list("role", "user__username")
    )
    assert {"viewer", "handler", "leader", "coordinator", "administrator"} <= set(roles)
    for username in roles.values():
        client = _client(username)
        page = client.get("/cong-viec/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        menu = re.search(r'<nav aria-label="Điều hướng chính">(.*?)</nav>', page, re.S)
        assert menu, username
        links = re.findall(r'href="([^"]+)"', menu.group(1))
        assert len(links) >= 5, username
        for link in links:
            status = client.get(link, HTTP_ACCEPT_LANGUAGE="vi").status_code
            assert status == 200, f"{username}: the menu links to {link}, which answers {status}"
