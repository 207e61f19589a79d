"""A fixed-window rate limit per client address, kept in the shared (database) cache."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def allow(request: HttpRequest, bucket: str, limit: int, window_seconds: int) -> bool:
    """True while this address has made fewer than `limit` requests in the current window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{bucket}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds + 5)
        return True
    return count <= limit
