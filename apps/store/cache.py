"""Cached catalogue fragments for anonymous-looking traffic (the product grid, filter lists, API pages).

A cache key carries a catalogue version that every store write bumps (after commit), so a listed,
delisted or repriced product shows at once on a shared cache (Redis); entries also expire after
`TTL` seconds, which bounds staleness when each process has its own cache (development).
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "store:catalogue-version"
TTL = 300


def catalogue_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    return str(version)


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def catalogue_changed() -> None:
    """Call from a write service: the catalogue caches are stale now and after the commit."""
    _bump()
    transaction.on_commit(_bump)


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"store:{name}:{catalogue_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value
