"""Helpers shared by the tests of several apps (imported by tests only)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

# `pytestmark` of a module whose tests need real parallel connections: PostgreSQL only, transactional.
POSTGRES_PARALLEL = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs real parallel connections (PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_parallel(n: int, work: Callable[[int], Any], *, timeout: float = 180) -> list[Any]:
    """Run work(i) in n threads released together, each on its own database connection (real parallel
    connections on PostgreSQL); returns each result or the exception it raised. Fails the test when a
    thread is still running after `timeout` seconds (a deadlock nobody detected)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    return results
