"""The Redis cache backend (production's REDIS_URL) against the real server on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from phoihop.core.cache import RedisCache

# A database of its own, away from what other processes on this host keep in Redis.
LOCATION = "redis://127.0.0.1:6379/11"


@pytest.fixture
def redis_cache() -> Iterator[RedisCache]:
    cache = RedisCache(LOCATION, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        cache.get("ping")
    except Exception as error:  # any connection error means no server
        pytest.fail(f"Redis is not answering at {LOCATION}: {error}")
    yield cache
    for key in ("generation", "page", "missing"):
        cache.delete(key)


def test_values_round_trip_through_redis(redis_cache: RedisCache) -> None:
    redis_cache.set("generation", 1, None)
    redis_cache.set("page", (1, b"<html>", '"etag"', (("Vary", "Cookie"),)), 30)
    assert redis_cache.incr("generation") == 2
    found = redis_cache.get_many(["generation", "page", "missing"])
    assert found == {"generation": 2, "page": (1, b"<html>", '"etag"', (("Vary", "Cookie"),))}


def test_one_client_serves_every_call(redis_cache: RedisCache) -> None:
    backend = redis_cache._cache
    first = backend.get_client("a")
    assert backend.get_client("b") is first
    assert backend.get_client("c", write=True) is first  # one server: one pool for both
    redis_cache.set("page", "x", 30)
    assert backend.get_client("d") is first
