"""/healthz, the load balancer's check of a node: 200 when the primary database and the cache answer, 503 (and
which part failed) otherwise."""

from types import SimpleNamespace

import pytest
from django.db import OperationalError

from apps.core import views

pytestmark = pytest.mark.django_db


def test_healthy_node(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "engine": views.connection.vendor, "database": "ok", "cache": "ok"}


def test_database_down_is_503(client, monkeypatch):
    def cursor():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", SimpleNamespace(cursor=cursor, vendor="postgresql"))
    response = client.get("/healthz")
    assert (response.status_code, response.json()["database"], response.json()["cache"]) == (
        503,
        "error: OperationalError",
        "ok",
    )


def test_cache_down_is_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(views.cache, "set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["cache"] == "error: ConnectionError"
