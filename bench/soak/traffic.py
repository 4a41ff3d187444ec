"""The soak's traffic (its own process): a paced, bounded mix of portal reads, feedback posts,
staff pages and API calls; prints one JSON line with per-route counts and latencies."""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.portal.__main__ import ARTICLE

MIX = [
    ("portal home", 30),
    ("portal article", 25),
    ("portal search", 10),
    ("feedback post", 5),
    ("staff inbox", 10),
    ("staff issues", 10),
    ("api issues", 10),
]
TOKEN_RE = re.compile(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"')


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _tokens(opener: urllib.request.OpenerDirector, url: str) -> dict[str, str]:
    with opener.open(url, timeout=30) as response:
        return dict(TOKEN_RE.findall(response.read().decode()))


def _post(opener: urllib.request.OpenerDirector, url: str, data: dict[str, str]) -> int:
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
    with opener.open(request, timeout=30) as response:
        response.read()
        return int(response.status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if urllib.parse.urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("loopback only")

    staff = _opener()
    login = _tokens(staff, base + "/dang-nhap/")
    _post(
        staff,
        base + "/dang-nhap/",
        {
            "username": "xuly.nnmt",
            "password": "phoihop-demo",
            "csrfmiddlewaretoken": login["csrfmiddlewaretoken"],
        },
    )
    public = urllib.request.build_opener()
    api = urllib.request.build_opener()
    api.addheaders = [("Authorization", f"Bearer {args.token}")]

    def get(opener: urllib.request.OpenerDirector, path: str) -> int:
        with opener.open(base + path, timeout=30) as response:
            response.read()
            return int(response.status)

    def feedback() -> int:
        opener = _opener()
        tokens = _tokens(opener, base + "/phan-anh/")
        return _post(
            opener,
            base + "/phan-anh/",
            {
                "content": f"Đèn đường khu {random.randint(1, 10**9)} hỏng, trời tối nguy hiểm.",
                "csrfmiddlewaretoken": tokens["csrfmiddlewaretoken"],
                "started": tokens["started"],
                "website": "",
            },
        )

    actions = {
        "portal home": lambda: get(public, "/"),
        "portal article": lambda: get(public, ARTICLE),
        "portal search": lambda: get(public, "/tim-kiem/?q=dat+nong+nghiep"),
        "feedback post": feedback,
        "staff inbox": lambda: get(staff, "/cong-viec/"),
        "staff issues": lambda: get(staff, "/cong-viec/van-de/"),
        "api issues": lambda: get(api, "/api/issues"),
    }
    routes = [name for name, weight in MIX for _ in range(weight)]
    latencies: dict[str, list[float]] = {name: [] for name, _w in MIX}
    errors: dict[str, int] = {name: 0 for name, _w in MIX}
    lock = threading.Lock()

    def run(name: str) -> None:
        start = time.perf_counter()
        ok = False
        try:
            ok = actions[name]() < 400
        except (urllib.error.URLError, OSError, KeyError, ValueError):
            ok = False
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies[name].append(elapsed)
            if not ok:
                errors[name] += 1

    interval = 1.0 / args.rate
    started = time.monotonic()
    issued = 0
    with ThreadPoolExecutor(max_workers=64) as pool:
        while (now := time.monotonic()) - started < args.seconds:
            due = int((now - started) / interval)
            while issued < due:
                pool.submit(run, random.choice(routes))
                issued += 1
            time.sleep(interval / 2)
    duration = time.monotonic() - started

    def summary(values: list[float]) -> dict[str, Any]:
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0
        return {
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1) if values else 0.0,
            "p95_ms": round(p95, 1),
        }

    result = {
        "requests": sum(len(v) for v in latencies.values()),
        "errors": sum(errors.values()),
        "rps": round(sum(len(v) for v in latencies.values()) / duration, 1),
        "routes": {
            name: {**summary(latencies[name]), "errors": errors[name]} for name, _w in MIX
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
