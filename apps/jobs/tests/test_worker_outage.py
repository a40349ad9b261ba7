"""The worker outlives a database restart (SPEC §13: the app recovers without a restart of its own)."""

import io
import logging

import pytest
from django.core.management import call_command
from django.db import OperationalError

from apps.jobs.management.commands import worker

pytestmark = pytest.mark.django_db


def test_worker_waits_out_an_unreachable_database(monkeypatch, caplog):
    outcomes = [OperationalError("the database system is shutting down"), OperationalError("connection refused"), 1, 0]
    calls, sleeps = [], []

    def run_pending(limit=None):
        calls.append(limit)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(worker, "job_run_pending", run_pending)
    monkeypatch.setattr(worker, "job_idle_run", lambda: 0)
    monkeypatch.setattr(worker.time, "sleep", sleeps.append)
    with caplog.at_level(logging.WARNING, logger=worker.__name__):
        call_command("worker", "--once", "--sleep", "0.5", stdout=io.StringIO())
    assert calls == [1, 1, 1, 1]  # two failures, a job, then an empty queue ends --once
    assert sleeps == [0.5, 1.0]  # backing off while the database is away
    assert [r.getMessage() for r in caplog.records] == [
        "worker: database unreachable, retrying in 0.5 s",
        "worker: database unreachable, retrying in 1.0 s",
    ]
