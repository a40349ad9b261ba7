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


def _bump() -> None:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    _memo.update(version=version, at=time.monotonic())


def catalogue_changed() -> None:
    """Call from a write service: the catalogue caches are stale now and after the commit."""
    _bump()
    transaction.on_commit(_bump)


def _key(name: str, parts: tuple[Any, ...], version: str) -> str:
    return f"store:{name}:{version}:{hashlib.sha1(repr(parts).encode()).hexdigest()}"


def cached(name: str, parts: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    value = cache.get(key := _key(name, parts, catalogue_version()))
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value


def cached_many(wanted: dict[str, tuple[tuple[Any, ...], Callable[[], Any]]]) -> dict[str, Any]:
    """Several cached values in one cache round trip: {name: (parts, compute)} → {name: value}.

    A missing value is computed and stored in the given order, so a later builder that reads an earlier
    value through `cached` finds it.
    """
    version = catalogue_version()
    keys = {name: _key(name, parts, version) for name, (parts, _compute) in wanted.items()}
    found = cache.get_many(list(keys.values()))
    values = {}
    for name, (_parts, compute) in wanted.items():
        value = found.get(keys[name])
        if value is None:
            value = compute()
            cache.set(keys[name], value, TTL)
        values[name] = value
    return values
