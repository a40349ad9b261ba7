"""Workers on several nodes (SPEC §13): two workers draining one queue at the same time on PostgreSQL claim
with SELECT … FOR UPDATE SKIP LOCKED, so every job runs once and its effect is applied once."""

import threading
import time

from apps.core.testing import POSTGRES_PARALLEL, run_parallel
from apps.jobs.models import Job, JobStatus
from apps.jobs.registry import job_handler
from apps.jobs.services import job_enqueue, job_run_pending

pytestmark = POSTGRES_PARALLEL

JOBS = 40
_effects: list[tuple[int, str]] = []
_lock = threading.Lock()


@job_handler("test.race_effect")
def race_effect(params, progress):
    time.sleep(0.005)  # long enough for the other worker to look for work meanwhile
    with _lock:
        _effects.append((params["n"], threading.current_thread().name))
    return {"summary": str(params["n"]), "links": []}


def test_two_workers_racing_run_each_job_once(operator):
    _effects.clear()
    jobs = [job_enqueue(kind="test.race_effect", params={"n": n}, actor=operator) for n in range(JOBS)]

    ran = run_parallel(2, lambda i: job_run_pending(), timeout=120)

    assert not [r for r in ran if isinstance(r, Exception)], ran
    assert sum(ran) == JOBS
    assert sorted(n for n, _ in _effects) == list(range(JOBS))  # every effect once
    assert len({worker for _, worker in _effects}) == 2, "both workers took jobs"
    statuses = dict(Job.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", "attempts").distinct())
    assert statuses == {JobStatus.DONE: 1}
