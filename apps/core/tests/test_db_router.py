"""Primary/replica routing (tukatuku/db_router.py): which alias each read and write of a request goes to,
the read-your-writes cookie, the replica probe and its cache, the retry on the primary, and the settings
that switch all of it on only when DATABASE_REPLICA_URL is set. The normal suite has no replica: the
decisions are tested with a stand-in for the probe; the cluster (./dev cluster, bench/cluster.py) runs the
same code against a real streaming replica."""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SqliteWrapper
from django.http import HttpResponse
from django.test import RequestFactory

from apps.accounts.models import User
from tukatuku import db_router
from tukatuku.db_router import (
    PRIMARY,
    REPLICA,
    STICKY_COOKIE,
    PrimaryReplicaRouter,
    ReadYourWritesMiddleware,
    ReplicaHealth,
    measure_replica_lag,
    request_routing,
)

ROOT = Path(__file__).resolve().parents[3]
router = PrimaryReplicaRouter()


class FakeHealth:
    def __init__(self, usable: bool) -> None:
        self.usable, self.marked_down = usable, 0

    def is_usable(self) -> bool:
        return self.usable

    def mark_down(self) -> None:
        self.usable, self.marked_down = False, self.marked_down + 1


@pytest.fixture
def replica_up(monkeypatch):
    fake = FakeHealth(usable=True)
    monkeypatch.setattr(db_router, "health", fake)
    return fake


def run_request(method="get", cookies=None, *, write_first=False, in_atomic=False):
    """One request through the middleware; the view reads User once (and writes first if asked).
    Returns (alias of the read, response)."""
    seen = {}

    def view(request):
        if write_first:
            router.db_for_write(User)
        if in_atomic:
            with transaction.atomic():
                seen["read"] = router.db_for_read(User)
        else:
            seen["read"] = router.db_for_read(User)
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)("/toko/")
    for name, value in (cookies or {}).items():
        request.COOKIES[name] = value
    response = ReadYourWritesMiddleware(view)(request)
    return seen["read"], response


# (method, sticky cookie present, the request wrote before reading, replica usable) -> alias of the read
ROUTING_TABLE = [
    ("get", False, False, True, REPLICA),
    ("head", False, False, True, REPLICA),
    ("options", False, False, True, REPLICA),
    ("get", True, False, True, PRIMARY),  # read-your-writes: wrote a few seconds ago
    ("get", False, True, True, PRIMARY),  # wrote earlier in this request
    ("get", False, False, False, PRIMARY),  # replica down or lagging
    ("post", False, False, True, PRIMARY),
    ("put", False, False, True, PRIMARY),
    ("patch", False, False, True, PRIMARY),
    ("delete", False, False, True, PRIMARY),
]


@pytest.mark.parametrize(("method", "sticky", "wrote", "usable", "expected"), ROUTING_TABLE)
def test_read_routing_table(monkeypatch, method, sticky, wrote, usable, expected):
    monkeypatch.setattr(db_router, "health", FakeHealth(usable=usable))
    alias, _ = run_request(method, {STICKY_COOKIE: "1"} if sticky else None, write_first=wrote)
    assert alias == expected


@pytest.mark.django_db(transaction=True)  # not wrapped in the test's own transaction
def test_reads_inside_a_transaction_on_the_primary_stay_on_it(replica_up):
    """A service's reads belong to its write (e.g. a stock check before the order)."""
    assert run_request("get")[0] == REPLICA
    assert run_request("get", in_atomic=True)[0] == PRIMARY


def test_writes_always_go_to_the_primary(replica_up):
    assert router.db_for_write(User) == PRIMARY
    with request_routing(replica_allowed=True):
        assert router.db_for_write(User) == PRIMARY


def test_outside_a_request_everything_reads_the_primary(replica_up):
    """Workers, management commands and the shell read what they are about to write on."""
    assert router.db_for_read(User) == PRIMARY


def test_a_write_pins_the_rest_of_the_request_to_the_primary(replica_up):
    with request_routing(replica_allowed=True) as state:
        assert router.db_for_read(User) == REPLICA
        router.db_for_write(User)
        assert router.db_for_read(User) == PRIMARY
        assert state.wrote and state.used_replica


@pytest.mark.parametrize(
    ("method", "wrote", "sets_cookie"),
    [("get", False, False), ("get", True, True), ("post", False, True), ("post", True, True)],
)
def test_sticky_cookie_after_a_write(replica_up, method, wrote, sets_cookie):
    _, response = run_request(method, write_first=wrote)
    if sets_cookie:
        cookie = response.cookies[STICKY_COOKIE]
        assert (cookie.value, cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (
            "1",
            settings.READ_YOUR_WRITES_SECONDS,
            True,
            "Lax",
        )
    else:
        assert STICKY_COOKIE not in response.cookies


def test_routing_state_does_not_leak_out_of_the_request(replica_up):
    run_request("get")
    assert router.db_for_read(User) == PRIMARY


def test_migrations_and_relations():
    assert router.allow_migrate(PRIMARY, "orders") is True
    assert router.allow_migrate(REPLICA, "orders") is False
    a, b, c = (SimpleNamespace(_state=SimpleNamespace(db=db)) for db in (PRIMARY, REPLICA, "other"))
    assert router.allow_relation(a, b) is True
    assert router.allow_relation(a, c) is None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_replica_health_probes_at_most_once_per_interval(settings):
    settings.REPLICA_CHECK_SECONDS, settings.REPLICA_MAX_LAG_SECONDS = 2, 5
    lags = [0.0, 7.5, None, 4.9]
    calls = []

    def probe():
        calls.append(1)
        return lags[len(calls) - 1]

    clock = Clock()
    health = ReplicaHealth(probe=probe, clock=clock)
    # (seconds since start, usable, probes made so far)
    timeline = [(0, True, 1), (1.9, True, 1), (2.0, False, 2), (3.5, False, 2), (4.0, False, 3), (6.0, True, 4)]
    for at, usable, probes in timeline:
        clock.now = 1000.0 + at
        assert (health.is_usable(), len(calls)) == (usable, probes), at
    assert health.lag == 4.9


def test_replica_marked_down_stays_out_until_the_next_probe(settings):
    settings.REPLICA_CHECK_SECONDS = 2
    clock = Clock()
    health = ReplicaHealth(probe=lambda: 0.0, clock=clock)
    assert health.is_usable()
    clock.now += 1
    health.mark_down()
    clock.now += 1.5
    assert not health.is_usable()
    clock.now += 0.5
    assert health.is_usable()


@pytest.mark.django_db
def test_lag_of_a_server_that_is_not_a_standby_is_zero():
    """On PostgreSQL this runs the probe's SQL on the primary (not in recovery)."""
    assert measure_replica_lag(connection) == 0.0


@pytest.mark.django_db
def test_lag_of_an_unreachable_replica_is_unknown(tmp_path):
    dead = SqliteWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "no-such-dir" / "db.sqlite3"), "OPTIONS": {}},
        alias="dead-replica",
    )
    assert measure_replica_lag(dead) is None


@pytest.mark.django_db
def test_psycopg_unreachable_replica_is_unknown():
    from django.db.backends.postgresql.base import DatabaseWrapper as PgWrapper

    dead = PgWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "PORT": "1",
            "NAME": "x",
            "USER": "postgres",
            "PASSWORD": "",
            "OPTIONS": {"connect_timeout": 2},
        },
        alias="dead-pg-replica",
    )
    assert measure_replica_lag(dead) is None


def test_safe_request_failing_on_the_replica_runs_again_on_the_primary(replica_up, monkeypatch):
    closed = []
    fake_connections = {
        PRIMARY: SimpleNamespace(in_atomic_block=False),
        REPLICA: SimpleNamespace(close=lambda: closed.append(1)),
    }
    monkeypatch.setattr(db_router, "connections", fake_connections)
    reads = []

    def view(request, slug):
        reads.append(router.db_for_read(User))
        if reads[-1] == REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse(f"ok {slug}")

    middleware = ReadYourWritesMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/toko/p/")
    request.resolver_match = SimpleNamespace(func=view, args=(), kwargs={"slug": "nopia"})
    with request_routing(replica_allowed=True) as state:
        request._db_routing = state
        with pytest.raises(OperationalError):
            view(request, slug="nopia")
        response = middleware.process_exception(request, OperationalError("gone"))
    assert response.content == b"ok nopia"
    assert reads == [REPLICA, PRIMARY]
    assert (replica_up.marked_down, closed) == (1, [1])


@pytest.mark.parametrize(
    ("used_replica", "wrote", "exception"),
    [(False, False, OperationalError("x")), (True, True, OperationalError("x")), (True, False, ValueError("x"))],
)
def test_other_failures_are_not_retried(replica_up, used_replica, wrote, exception):
    request = RequestFactory().get("/toko/")
    request.resolver_match = SimpleNamespace(func=lambda r: HttpResponse("again"), args=(), kwargs={})
    request._db_routing = db_router.RequestRouting(replica_allowed=True, wrote=wrote, used_replica=used_replica)
    assert ReadYourWritesMiddleware(lambda r: HttpResponse()).process_exception(request, exception) is None
    assert replica_up.marked_down == 0


SETTINGS_PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS, "
    "'middleware': s.MIDDLEWARE[:4], 'replica': s.DATABASES.get('replica', {})}, default=str))"
)


def settings_with(**env_vars: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    env.update(DJANGO_SETTINGS_MODULE="tukatuku.settings", **env_vars)
    out = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_without_a_replica_url_there_is_one_database_and_no_router():
    found = settings_with()
    assert (found["aliases"], found["routers"]) == (["default"], [])
    assert "tukatuku.db_router.ReadYourWritesMiddleware" not in found["middleware"]


def test_replica_url_adds_the_alias_router_and_middleware():
    found = settings_with(
        DATABASE_URL="postgres://app@10.0.0.1:5432/tukatuku",
        DATABASE_REPLICA_URL="postgres://app@10.0.0.2:5432/tukatuku",
    )
    replica = found["replica"]
    assert found["aliases"] == ["default", "replica"]
    assert found["routers"] == ["tukatuku.db_router.PrimaryReplicaRouter"]
    assert found["middleware"] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "tukatuku.db_router.ReadYourWritesMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
    ]
    assert (replica["HOST"], replica["TEST"]["MIRROR"]) == ("10.0.0.2", "default")
    assert replica["OPTIONS"] == {"options": "-c jit=off -c random_page_cost=1.1", "connect_timeout": 2}
