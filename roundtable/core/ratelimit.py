"""Rate limits that store no address.

A client is known only by a keyed hash (HMAC with the secret key) of what
identifies it — an IP address, a username — kept in the cache for the length
of the window and then forgotten. Nothing reaches the database or the logs,
and the hash cannot be reversed without the secret key.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _key(scope: str, identity: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}:{identity}".encode(), hashlib.sha256
    ).hexdigest()
    return f"rl:{scope}:{digest[:32]}"


def client_identity(request: HttpRequest) -> str:
    """The address the request came from, used only as hash input.

    Behind our proxy (ROUNDTABLE_BEHIND_PROXY), REMOTE_ADDR is the proxy for
    everyone; the client is the last X-Forwarded-For entry, the one the proxy
    appended (earlier entries are whatever the client claimed).
    """
    if settings.ROUNDTABLE_BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def is_limited(scope: str, identity: str, *, limit: int) -> bool:
    """True once `identity` has used up `limit` hits of `scope` in the current window."""
    return int(cache.get(_key(scope, identity), 0)) >= limit


def hit(scope: str, identity: str, *, window_seconds: int) -> int:
    """Count one use; the counter expires `window_seconds` after the first."""
    key = _key(scope, identity)
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1
