import io
import uuid

import pytest

from apps.jobs.models import Job, JobStatus
from apps.jobs.progress import ConsoleProgress
from apps.jobs.registry import job_handler
from apps.jobs.services import job_enqueue, job_run_pending

pytestmark = pytest.mark.django_db


@job_handler("test.count")
def count_job(params, progress):
    progress.start(params["n"], "menghitung")
    for i in range(params["n"]):
        progress.update(i + 1)
    progress.finish()
    return {"summary": f"{params['n']} dihitung", "links": []}


@job_handler("test.fail")
def failing_job(params, progress):
    raise ValueError("berkas rusak")


def test_job_runs_and_reports_progress(operator):
    job = job_enqueue(kind="test.count", params={"n": 7}, actor=operator)
    assert job.status == JobStatus.QUEUED
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total, job.percent) == ("done", 7, 7, 100)
    assert job.result == {"summary": "7 dihitung", "links": []}
    assert job_run_pending() == 0


def test_failure_is_recorded_and_worker_survives(operator):
    failing = job_enqueue(kind="test.fail", params={}, actor=operator)
    ok = job_enqueue(kind="test.count", params={"n": 1}, actor=operator)
    assert job_run_pending() == 2
    failing.refresh_from_db()
    ok.refresh_from_db()
    assert (failing.status, failing.message) == ("failed", "berkas rusak")
    assert ok.status == "done"


def test_unknown_kind_is_refused_at_enqueue(operator):
    with pytest.raises(KeyError):
        job_enqueue(kind="tidak.ada", params={}, actor=operator)
    assert not Job.objects.exists()


def test_worker_command_once(operator):
    from django.core.management import call_command

    job = job_enqueue(kind="test.count", params={"n": 2}, actor=operator)
    call_command("worker", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "done"


def test_worker_runs_idle_tasks_while_the_queue_is_empty(operator, monkeypatch, caplog):
    from django.core.management import call_command

    from apps.jobs import registry
    from apps.jobs.services import job_idle_run

    backlog = [3]
    calls: list[str] = []

    def catch_up():  # one step per call, like the report roll-ups
        calls.append("step")
        if backlog[0] == 0:
            return 0
        backlog[0] -= 1
        return 1

    def broken():
        raise RuntimeError("tabel hilang")

    monkeypatch.setattr(registry, "_idle_tasks", [broken, catch_up])
    job = job_enqueue(kind="test.count", params={"n": 2}, actor=operator)
    call_command("worker", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "done"  # the queue first
    assert backlog == [0] and len(calls) == 4  # then idle steps until nothing was left to do
    assert "idle task broken failed" in caplog.text  # a failing task is logged, the others still run
    assert job_idle_run() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 200), ("admin_user", 200), ("other_operator", 404), ("buyer", 404)]
)
def test_job_pages_access(client, request, operator, who, status):
    job = job_enqueue(kind="test.count", params={"n": 3}, actor=operator)
    client.force_login(operator if who == "owner" else request.getfixturevalue(who))
    assert client.get(f"/tugas/{job.pk}/").status_code == status
    response = client.get(f"/tugas/{job.pk}/status.json")
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"status": "queued", "percent": 0, "done": 0, "total": 0, "message": "", "result": {}}


def test_missing_job_is_404(client, operator):
    client.force_login(operator)
    assert client.get(f"/tugas/{uuid.uuid4()}/").status_code == 404


def test_progress_page_shows_bar(client, operator):
    job = job_enqueue(kind="test.count", params={"n": 3}, actor=operator)
    job_run_pending()
    client.force_login(operator)
    body = client.get(f"/tugas/{job.pk}/").content.decode()
    assert '<progress id="job-progress" value="100" max="100"' in body
    assert "3 dihitung" in body


def test_console_progress_line():
    out = io.StringIO()
    progress = ConsoleProgress(out)
    progress.start(200000, "impor")
    progress.interval = 0
    progress.update(104000)
    progress.finish()
    lines = out.getvalue().split("\r")
    assert lines[2].startswith("[##########----------]  52%  104.000/200.000 baris  impor")
    assert lines[-1].startswith("[####################] 100%  200.000/200.000 baris")
    assert out.getvalue().endswith("\n")
