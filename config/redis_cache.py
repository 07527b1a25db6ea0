"""Django's RedisCache, reusing one redis-py client per connection pool.

Django's RedisCacheClient.get_client() builds a new `redis.Redis` for every cache call, and redis-py fills a
table of response callbacks in each: a large share of serving a page from the cache (README, "Public pages and
the page cache"). A client is safe to share between threads (each command takes a connection from the pool) and
across gunicorn's fork (the pool notices the new process), so one per pool is enough. Everything else is Django's
backend as it stands.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
