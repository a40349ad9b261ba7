"""Cached catalogue fragments for anonymous-looking traffic (the product grid, filter lists, API pages).

A cache key carries a catalogue version that every store write bumps (after commit), so a listed,
delisted or repriced product shows at once on a shared cache (Redis); entries also expire after
`TTL` seconds, which bounds staleness when each process has its own cache (development).
"""

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "store:catalogue-version"
TTL = 300
# A process re-reads the shared version at most this often (a write in this process updates it at once;
# other processes see it within this delay). Saves a cache round trip on nearly every page view.
VERSION_MEMO_SECONDS = 1.0
_memo: dict[str, object] = {"version": None, "at": 0.0}


def catalogue_version() -> str:
    now = time.monotonic()
    if _memo["version"] is not None and now - float(_memo["at"]) < VERSION_MEMO_SECONDS:  # type: ignore[arg-type]
        return str(_memo["version"])
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    _memo.update(version=version, at=now)
    return str(version)


def forget_version() -> None:
    _memo.update(version=None, at=0.0)


def _bump() -> None:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    _memo.update(version=version, at=time.monotonic())


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
