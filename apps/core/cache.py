"""The Redis cache backend of the site: Django's, with one `redis.Redis` client per connection pool.

Django's client builds a new `redis.Redis` object on every cache call; with redis-py 8 that costs
~50 µs of CPU (its option and callback tables are rebuilt each time), as much as the round trip itself
and a twentieth of a cached storefront page. A client only wraps its pool and is thread-safe, and the
pool holds the connections (and reopens them after a fork), so one client per pool is kept.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
