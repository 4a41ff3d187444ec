"""The soak's traffic (its own process): a paced, bounded mix as the public, staff and an API
client use the production server; prints one JSON line with per-route counts and latencies.

Every request carries X-Forwarded-Proto as nginx in front would send it (the server runs the
production settings: HTTPS only, secure cookies). Citizens each come from their own address
(X-Forwarded-For, trusted from the proxy on 127.0.0.1) and post the feedback form once, after
the 3 seconds the form asks for. Two probes check the refusals: one address keeps posting and
must be refused with 429 after the hourly limit; a form token posted a second time must be
refused (400). Staff: a coordinator who logs in with a password and a two-factor code, and a
handler; the API with a bearer token. A route's error is any answer other than the one expected.
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import http.cookiejar
import itertools
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.portal.server import ARTICLE, PROXY_HEADERS

# (route, weight) of the requests started by the pacer; "feedback form" also schedules the
# form's post ("feedback post") after FILL_SECONDS.
# A public site's day: mostly readers, a few citizens writing in, staff and an integration.
MIX = [
    ("portal home", 30),
    ("portal article", 34),
    ("portal search", 6),
    ("portal answer", 8),
    ("feedback form", 2),
    ("staff inbox (coordinator, 2FA)", 5),
    ("staff issues (handler)", 5),
    ("api issues", 10),
]
PROBES = ("feedback post", "over the rate limit", "replayed form token")
FILL_SECONDS = 3.3
MAX_IN_FLIGHT = 256
TOKEN_RE = re.compile(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"')
REPLAY_REFUSED = "Không gửi được"


class _SecureCookiesOverTheProxy(http.cookiejar.DefaultCookiePolicy):
    """The app sets Secure cookies (it is told the client speaks HTTPS to the proxy);
    this client talks to it on loopback through plain HTTP, as the proxy does."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return True


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(address: str | None = None, follow: bool = True) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar(policy=_SecureCookiesOverTheProxy())
    handlers: list[Any] = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(_NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    opener.addheaders = list(PROXY_HEADERS.items())
    if address:
        opener.addheaders.append(("X-Forwarded-For", address))
    return opener


def _status(opener: urllib.request.OpenerDirector, request: Any) -> tuple[int, str]:
    try:
        with opener.open(request, timeout=30) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8", "replace")


def _cookies(opener: urllib.request.OpenerDirector) -> str:
    for handler in opener.handlers:
        if isinstance(handler, urllib.request.HTTPCookieProcessor):
            return "; ".join(f"{c.name}={c.value}" for c in handler.cookiejar)
    return ""


class Client:
    def __init__(self, base: str, token: str) -> None:
        self.base = base
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.origin = "https://" + parts.netloc
        self.public = _opener()
        coordinator = self._login("dieuphoi", two_factor=True)
        handler = self._login("xuly.nnmt", two_factor=False)
        # Reads go over kept-alive connections (one per thread), as browsers and proxies do.
        self.reader = dict(PROXY_HEADERS)
        self.coordinator = {**PROXY_HEADERS, "Cookie": _cookies(coordinator)}
        self.handler = {**PROXY_HEADERS, "Cookie": _cookies(handler)}
        self.api = {**PROXY_HEADERS, "Authorization": f"Bearer {token}"}
        self._addresses = itertools.count(1)
        self._local = threading.local()

    def _form(self, opener: urllib.request.OpenerDirector, path: str) -> dict[str, str]:
        status, page = _status(opener, self.base + path)
        if status != 200:
            raise SystemExit(f"{path}: {status}")
        return dict(TOKEN_RE.findall(page))

    def post(
        self, opener: urllib.request.OpenerDirector, path: str, data: dict[str, str]
    ) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        headers = {"Referer": self.origin + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        return _status(opener, request)

    def _login(self, username: str, *, two_factor: bool) -> urllib.request.OpenerDirector:
        opener = _opener()
        tokens = self._form(opener, "/dang-nhap/")
        data = {"username": username, "password": "phoihop-demo", **tokens}
        status, page = self.post(opener, "/dang-nhap/", data)
        if two_factor:
            if 'name="code"' not in page:
                raise SystemExit(f"{username}: no two-factor step after the password ({status})")
            code = subprocess.run(
                [sys.executable, "-m", "phoihop", "demo-otp"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            tokens = dict(TOKEN_RE.findall(page))
            status, page = self.post(opener, "/xac-thuc/", {**tokens, "code": code})
        if status != 200 or 'class="logout"' not in page:
            raise SystemExit(f"{username}: the login did not reach the workspace ({status})")
        return opener

    def get(self, headers: dict[str, str], path: str) -> int:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self._local.connection = connection
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self._local.connection = None
            raise
        return int(response.status)

    def citizen(self) -> tuple[urllib.request.OpenerDirector, dict[str, str]]:
        """A citizen from an address of their own opens the form."""
        n = next(self._addresses)
        address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        opener = _opener(address, follow=False)
        return opener, self._form(opener, "/phan-anh/")


def _content() -> str:
    return f"Đèn đường ngõ {random.randint(1, 10**9)} hỏng đã hai tuần, trời tối rất nguy hiểm."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--token", required=True)
    parser.add_argument("--rate-limit", type=int, default=10, help="feedback posts per hour")
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.base).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("loopback only")
    client = Client(args.base.rstrip("/"), args.token)
    # A public answer linked from the home page.
    answers = re.findall(r'href="(/tra-loi/\d+/)"', _status(client.public, client.base + "/")[1])
    answer = answers[0] if answers else "/"

    latencies: dict[str, list[float]] = {name: [] for name, _w in MIX}
    latencies.update({name: [] for name in PROBES})
    errors: dict[str, int] = dict.fromkeys(latencies, 0)
    refusals = {"over the rate limit": 0, "replayed form token": 0}
    lock = threading.Lock()
    due: list[tuple[float, int, Callable[[], bool], str]] = []  # scheduled posts
    sequence = itertools.count()
    accepted_forms: list[tuple[urllib.request.OpenerDirector, dict[str, str]]] = []
    in_flight = 0
    dropped = 0
    per_minute: list[int] = []  # requests answered in each minute of the run

    def schedule(delay: float, route: str, action: Callable[[], bool]) -> None:
        with lock:
            heapq.heappush(due, (time.monotonic() + delay, next(sequence), action, route))

    def feedback_form() -> bool:
        opener, tokens = client.citizen()
        data = {**tokens, "content": _content(), "website": ""}

        def post() -> bool:
            status, _page = client.post(opener, "/phan-anh/", data)
            if status == 302:
                with lock:
                    accepted_forms.append((opener, data))
            return status == 302

        schedule(FILL_SECONDS, "feedback post", post)
        return True

    # One address that never stops: in each of the limiter's windows (an hour) the first
    # `rate_limit` posts are accepted and every later one must be refused with 429.
    flooder = _opener("10.255.255.1", follow=False)
    window = {"accepted": 0, "refused": False, "total_accepted": 0}

    def flood() -> bool:
        tokens = client._form(flooder, "/phan-anh/")
        data = {**tokens, "content": _content(), "website": ""}

        def post() -> bool:
            status, _page = client.post(flooder, "/phan-anh/", data)
            with lock:
                if status == 302:
                    if window["refused"]:  # a new window began
                        window["accepted"], window["refused"] = 0, False
                    window["accepted"] += 1
                    window["total_accepted"] += 1
                    return window["accepted"] <= args.rate_limit
                if status == 429:
                    refusals["over the rate limit"] += 1
                    window["refused"] = True
                    return window["accepted"] == args.rate_limit
            return False

        schedule(FILL_SECONDS, "over the rate limit", post)
        return True

    def replay() -> bool:
        with lock:
            if not accepted_forms:
                return True
            opener, data = accepted_forms.pop(0)
        status, page = client.post(opener, "/phan-anh/", data)
        if status == 400 and REPLAY_REFUSED in page:
            with lock:
                refusals["replayed form token"] += 1
            return True
        return False

    actions: dict[str, Callable[[], bool]] = {
        "portal home": lambda: client.get(client.reader, "/") == 200,
        "portal article": lambda: client.get(client.reader, ARTICLE) == 200,
        "portal search": lambda: client.get(client.reader, "/tim-kiem/?q=dat+nong+nghiep") == 200,
        "portal answer": lambda: client.get(client.reader, answer) == 200,
        "feedback form": feedback_form,
        "staff inbox (coordinator, 2FA)": lambda: (
            client.get(client.coordinator, "/cong-viec/") == 200
        ),
        "staff issues (handler)": lambda: client.get(client.handler, "/cong-viec/van-de/") == 200,
        "api issues": lambda: client.get(client.api, "/api/issues") == 200,
    }

    def run(route: str, action: Callable[[], bool]) -> None:
        nonlocal in_flight
        start = time.perf_counter()
        try:
            ok = action()
        except (OSError, http.client.HTTPException, KeyError, ValueError, SystemExit):
            ok = False
        elapsed = (time.perf_counter() - start) * 1000
        minute = int((time.monotonic() - started) // 60)
        with lock:
            in_flight -= 1
            latencies[route].append(elapsed)
            per_minute.extend([0] * (minute + 1 - len(per_minute)))
            per_minute[minute] += 1
            if not ok:
                errors[route] += 1

    def submit(
        pool: ThreadPoolExecutor, route: str, action: Callable[[], bool], paced: bool = True
    ) -> None:
        """Paced requests are dropped (and counted) while too many are in flight; scheduled
        posts and probes are always sent."""
        nonlocal in_flight, dropped
        with lock:
            if paced and in_flight >= MAX_IN_FLIGHT:
                dropped += 1
                return
            in_flight += 1
        pool.submit(run, route, action)

    routes = [name for name, weight in MIX for _ in range(weight)]
    interval = 1.0 / args.rate
    started = time.monotonic()
    issued = 0
    next_probe = started + 5.0
    with ThreadPoolExecutor(max_workers=48) as pool:
        while (now := time.monotonic()) - started < args.seconds:
            while issued < int((now - started) / interval):
                route = random.choice(routes)
                submit(pool, route, actions[route])
                issued += 1
            if now >= next_probe:
                submit(pool, "over the rate limit", flood, paced=False)
                submit(pool, "replayed form token", replay, paced=False)
                next_probe = now + 5.0
            while True:
                with lock:
                    if not due or due[0][0] > now:
                        break
                    _t, _n, action, route = heapq.heappop(due)
                submit(pool, route, action, paced=False)
            time.sleep(min(interval, 0.005))
        # Posts of forms opened before the end are still sent.
        while True:
            with lock:
                if not due:
                    break
                when, _n, action, route = heapq.heappop(due)
            time.sleep(max(0.0, when - time.monotonic()))
            submit(pool, route, action, paced=False)
    duration = time.monotonic() - started

    def summary(values: list[float]) -> dict[str, Any]:
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0
        return {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1) if values else 0.0,
            "p95_ms": round(p95, 1),
        }

    # One entry per request: a form's GET and its post are two (the probe's too).
    requests = sum(len(v) for v in latencies.values())
    result = {
        "requests": requests,
        "errors": sum(errors.values()),
        "dropped": dropped,
        "seconds": round(duration, 1),
        "rps": round(requests / duration, 1),
        "refusals": refusals,
        "rate_limited_address_accepted": window["total_accepted"],
        "per_minute": per_minute,
        "routes": {
            name: {**summary(values), "errors": errors[name]} for name, values in latencies.items()
        },
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
