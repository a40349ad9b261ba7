"""Reads on the streaming replica, everything else on the primary (SPEC §13). Active only when
`DATABASE_REPLICA_URL` is set (settings add the `replica` alias, this router and the middleware).

A read goes to the replica only when all of these hold, otherwise to the primary (`default`):
1. it happens inside a request the middleware let read from the replica: a GET/HEAD/OPTIONS request whose
   browser has not written anything within `READ_YOUR_WRITES_SECONDS` (the `tt_primary` cookie, set on the
   response of every request that wrote). Workers, management commands and the shell never get here: their
   reads come right before their own writes, so they always read the primary;
2. the request has not written anything yet (a write pins the rest of the request to the primary);
3. no transaction is open on the primary (a service's reads belong to its write);
4. the replica answered the last probe (at most `REPLICA_CHECK_SECONDS` old) and lagged by no more than
   `REPLICA_MAX_LAG_SECONDS`.
A safe request whose view fails on a replica connection error is run once more on the primary, and the
replica is taken out of use until the next probe, so a replica that dies between two probes costs no error
page.
"""

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
STICKY_COOKIE = "tt_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Replication delay as seen on the replica: 0 while the WAL receiver streams and has replayed all it received
# (an idle primary sends nothing, so the time since the last replayed transaction is not a lag then); the age
# of the last replayed transaction otherwise; NULL (unknown: not usable) for a standby that never replayed
# one. A server that is not in recovery (a test mirror of the primary) has no lag.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
    ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
END
"""


@dataclass
class RequestRouting:
    """Where this request's reads may go; `wrote` turns true at its first write."""

    replica_allowed: bool
    wrote: bool = False
    used_replica: bool = False


_routing: contextvars.ContextVar[RequestRouting | None] = contextvars.ContextVar("tt_db_routing", default=None)


class ReplicaHealth:
    """The replica's state as last probed, shared by the threads of one process; probed at most once per
    `REPLICA_CHECK_SECONDS` (one cheap query), on the first read that needs it."""

    def __init__(self, probe: Callable[[], float | None], clock: Callable[[], float] = time.monotonic) -> None:
        self.probe, self.clock = probe, clock
        self._lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable = False
        self.lag: float | None = None

    def is_usable(self) -> bool:
        now = self.clock()
        if now - self.checked_at >= settings.REPLICA_CHECK_SECONDS and self._lock.acquire(blocking=False):
            try:
                self.lag = self.probe()
                self.usable = self.lag is not None and self.lag <= settings.REPLICA_MAX_LAG_SECONDS
                if not self.usable:
                    logger.warning("replica not used: lag %s s", self.lag)
            finally:
                self.checked_at = self.clock()
                self._lock.release()
        return self.usable

    def mark_down(self) -> None:
        """A query on the replica failed: use the primary until the next probe."""
        self.usable, self.lag, self.checked_at = False, None, self.clock()

    def reset(self) -> None:
        self.checked_at, self.usable, self.lag = float("-inf"), False, None


def measure_replica_lag(conn: Any) -> float | None:
    """Seconds the replica behind `conn` is behind the primary, 0 when caught up; None when it cannot be
    reached or does not know (a connection it cannot open fails fast: the alias has a short `connect_timeout`)."""
    try:
        if conn.vendor != "postgresql":  # a test alias on SQLite: nothing replicates, nothing lags
            conn.ensure_connection()
            return 0.0
        with conn.cursor() as cursor:
            cursor.execute(LAG_SQL)
            (lag,) = cursor.fetchone()
        return None if lag is None else max(0.0, float(lag))
    except DatabaseError:
        logger.warning("replica unreachable", exc_info=True)
        conn.close()  # a broken connection must not be handed to the next request
        return None


health = ReplicaHealth(probe=lambda: measure_replica_lag(connections[REPLICA]))


def replica_state() -> str:
    """'ok', 'lag N s' or 'unreachable', as this process last probed it (probing now if due)."""
    if health.is_usable():
        return "ok"
    return "unreachable" if health.lag is None else f"lag {health.lag:.1f} s"


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        state = _routing.get()
        if (
            state is None
            or not state.replica_allowed
            or state.wrote
            or connections[PRIMARY].in_atomic_block
            or not health.is_usable()
        ):
            return PRIMARY
        state.used_replica = True
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _routing.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: an object read from the replica may point at one from the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db == PRIMARY  # the replica gets the schema by replication


@contextmanager
def request_routing(*, replica_allowed: bool) -> Iterator[RequestRouting]:
    """Route the reads of the code inside (a request, or a read-only job that opts in) as one request."""
    state = RequestRouting(replica_allowed=replica_allowed)
    token = _routing.set(state)
    try:
        yield state
    finally:
        _routing.reset(token)


class ReadYourWritesMiddleware:
    """Decides per request whether its reads may use the replica and keeps a browser on the primary for
    `READ_YOUR_WRITES_SECONDS` after it wrote (its own order, its own edit show at once). Placed before the
    session middleware so that a session saved on the way out counts as a write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = request.method in SAFE_METHODS and STICKY_COOKIE not in request.COOKIES
        with request_routing(replica_allowed=allowed) as state:
            request._db_routing = state  # type: ignore[attr-defined]
            response = self.get_response(request)
            if state.wrote or request.method not in SAFE_METHODS:
                seconds = int(settings.READ_YOUR_WRITES_SECONDS)
                response.set_cookie(
                    STICKY_COOKIE,
                    "1",
                    max_age=seconds,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A safe request that read the replica and failed on a database error runs once more on the primary."""
        state: RequestRouting | None = getattr(request, "_db_routing", None)
        if state is None or not state.used_replica or state.wrote or not isinstance(exception, DatabaseError):
            return None
        logger.warning("replica failed during %s, retrying on the primary", request.path, exc_info=exception)
        health.mark_down()
        connections[REPLICA].close()
        state.replica_allowed = False
        match = request.resolver_match
        if match is None:
            return None
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
