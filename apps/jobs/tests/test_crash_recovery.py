"""A worker that dies mid-job (simulated by an old heartbeat), the retry limit, and handler-reported failure."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.jobs.models import Job, JobStatus
from apps.jobs.registry import job_handler
from apps.jobs.services import job_claim_next, job_enqueue, job_run, job_run_pending

pytestmark = pytest.mark.django_db

RUNS: list[int] = []


@job_handler("test.resumable")
def resumable_job(params, progress):
    RUNS.append(params["n"])
    progress.start(params["n"], "menghitung")
    progress.finish()
    return {"summary": f"{params['n']} dihitung", "links": []}


@job_handler("test.reports_failure")
def reports_failure(params, progress):
    return {
        "summary": "Berkas XLSX rusak atau bukan XLSX; simpan ulang dari Excel sebagai .xlsx atau .csv.",
        "failed": True,
        "links": [{"label": "Riwayat impor", "url": "/impor/"}],
    }


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.JOBS_STALE_AFTER_SECONDS = 120
    settings.JOBS_MAX_ATTEMPTS = 3
    RUNS.clear()


def _crashed(job: Job, *, attempts: int, heartbeat_age: timedelta) -> None:
    """The state a SIGKILLed worker leaves behind: running, its last heartbeat `heartbeat_age` ago."""
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=attempts,
        progress_done=37,
        progress_total=100,
        heartbeat_at=timezone.now() - heartbeat_age,
    )


@pytest.mark.parametrize(
    ("attempts", "heartbeat_age", "claimed", "status_after", "attempts_after"),
    [
        (1, timedelta(seconds=30), False, "running", 1),  # alive: a fresh heartbeat
        (1, timedelta(seconds=119), False, "running", 1),
        (1, timedelta(seconds=121), True, "done", 2),  # dead worker: taken again at once, not after 10 minutes
        (2, timedelta(minutes=11), True, "done", 3),
        (3, timedelta(seconds=121), False, "failed", 3),  # the limit: failed with the reason, never "running"
        (3, timedelta(seconds=30), False, "running", 3),  # the last attempt is still alive
    ],
)
def test_dead_worker_job_is_retried_up_to_the_limit(
    operator, attempts, heartbeat_age, claimed, status_after, attempts_after
):
    job = job_enqueue(kind="test.resumable", params={"n": 4}, actor=operator)
    _crashed(job, attempts=attempts, heartbeat_age=heartbeat_age)
    assert job_run_pending() == (1 if claimed else 0)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (status_after, attempts_after)
    assert RUNS == ([4] if claimed else [])  # noqa: SIM300
    if status_after == "failed":
        assert job.message == (
            "Pekerja latar berhenti di tengah tugas 3 kali; tugas dihentikan. Unggah atau jalankan ulang."
        )
        assert job.finished_at is not None


def test_retry_limit_is_a_setting(operator, settings):
    settings.JOBS_MAX_ATTEMPTS = 5
    job = job_enqueue(kind="test.resumable", params={"n": 1}, actor=operator)
    _crashed(job, attempts=4, heartbeat_age=timedelta(minutes=3))
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 5)


def test_killed_worker_job_shows_failed_on_the_page_and_the_cli(client, operator):
    job = job_enqueue(kind="test.resumable", params={"n": 4}, actor=operator)
    _crashed(job, attempts=3, heartbeat_age=timedelta(minutes=5))
    out = io.StringIO()
    call_command("jobs", stdout=out)  # the command line reports it without a worker running
    line = out.getvalue().strip()
    assert f"{job.pk}" in line
    assert "test.resumable" in line and "Gagal" in line and "percobaan 3" in line
    assert line.endswith("Pekerja latar berhenti di tengah tugas 3 kali; tugas dihentikan. Unggah atau jalankan ulang.")
    client.force_login(operator)
    body = client.get(f"/tugas/{job.pk}/").content.decode()
    assert '<div class="msg msg-error" role="alert" id="job-failed">' in body
    assert "Pekerja latar berhenti di tengah tugas 3 kali" in body
    assert "<progress" not in body
    assert client.get(f"/tugas/{job.pk}/status.json").json()["status"] == "failed"


def test_a_late_result_of_a_replaced_worker_is_not_written(operator):
    """A worker presumed dead (its job taken over) that finishes after all must not overwrite the new run."""
    job = job_enqueue(kind="test.resumable", params={"n": 2}, actor=operator)
    first = job_claim_next()
    assert first is not None and first.attempts == 1
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=3))
    second = job_claim_next()
    assert second is not None and second.attempts == 2
    job_run(first)  # the old worker wakes up and finishes
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 2)
    job_run(second)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)


def test_handler_reported_failure_is_failed_not_done(client, operator):
    job = job_enqueue(kind="test.reports_failure", params={}, actor=operator)
    job_run_pending()
    job.refresh_from_db()
    reason = "Berkas XLSX rusak atau bukan XLSX; simpan ulang dari Excel sebagai .xlsx atau .csv."
    assert (job.status, job.message, job.percent) == ("failed", reason, 0)
    client.force_login(operator)
    body = client.get(f"/tugas/{job.pk}/").content.decode()
    assert f'<span id="job-reason">{reason}</span>' in body
    assert "Selesai" not in body and "100%" not in body
    assert '<a href="/impor/">Riwayat impor</a>' in body


def test_corrupt_xlsx_web_import_fails_with_the_reason(client, operator, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.imports.services import import_upload

    settings.PROTECTED_MEDIA_ROOT = tmp_path
    job = import_upload(
        kind="koperasi", upload=SimpleUploadedFile("data.xlsx", b"PK\x03\x04 bukan zip"), options={}, actor=operator
    )
    job_run_pending()
    job.refresh_from_db()
    assert (job.status, job.message) == (
        "failed",
        "Berkas XLSX rusak atau bukan XLSX; simpan ulang dari Excel sebagai .xlsx atau .csv.",
    )
    assert not list(tmp_path.rglob("berkas.xlsx"))  # the unreadable upload is not kept


def test_heartbeat_beats_while_the_handler_reports_nothing(transactional_db, make_user, settings):
    """The side thread stamps the heartbeat while a long step runs without progress reports."""
    settings.JOBS_HEARTBEAT_SECONDS = 0.05
    seen: list = []

    @job_handler("test.silent")
    def silent(params, progress):
        start = Job.objects.get(kind="test.silent").heartbeat_at
        time.sleep(0.5)
        seen.extend([start, Job.objects.get(kind="test.silent").heartbeat_at])
        return {"summary": "ok", "links": []}

    job = job_enqueue(kind="test.silent", params={}, actor=make_user("op", role="operator", regions=["33.03"]))
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert job.status == "done"
    assert seen[1] > seen[0]
