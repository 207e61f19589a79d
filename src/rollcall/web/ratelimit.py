"""A fixed-window rate limit per client address, kept in the shared (database) cache.

Behind a reverse proxy every request comes from the proxy's address, so one limit would be
shared by everybody. ROLLCALL_TRUSTED_PROXIES (settings.TRUSTED_PROXIES) names the proxies:
only when the direct peer is one of them is X-Forwarded-For read, from the right (the hop the
proxy itself added), skipping trusted proxies, and the first address that is not a trusted proxy
is the client. Anything to its left was written by the client and could be forged. By default no
proxy is trusted and X-Forwarded-For is ignored.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse_hop(text: str) -> Address | None:
    """One X-Forwarded-For entry: "203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443", "2001:db8::1"."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket: count it as the IPv4 address it is.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, proxies: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the direct peer, or through trusted proxies the right-most untrusted hop."""
    peer = _parse_hop(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None:
        return None
    proxies: tuple[Network, ...] = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    if not proxies or not _trusted(peer, proxies):
        return str(peer)
    client = peer
    hops = [h for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    for hop in reversed(hops):
        address = _parse_hop(hop)
        if address is None:
            # A trusted proxy wrote something that is not an address: stop at the last hop we can
            # vouch for (the limit then falls on that proxy, not on a name anyone could choose).
            break
        client = address
        if not _trusted(address, proxies):
            break
    return str(client)


def client_address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


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
