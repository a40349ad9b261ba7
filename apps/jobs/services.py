import logging
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.jobs import conf
from apps.jobs.models import Job, JobStatus
from apps.jobs.progress import JobProgress
from apps.jobs.registry import handler_for, idle_tasks

logger = logging.getLogger(__name__)


@transaction.atomic
def job_enqueue(*, kind: str, params: dict[str, Any], actor: Actor) -> Job:
    handler_for(kind)  # fail now, not in the worker, for an unknown kind
    job = Job.objects.create(kind=kind, params=params, created_by=actor_user(actor))
    audit_log(actor=actor, action="job.enqueue", obj=job, changes={"kind": kind})
    return job


def jobs_fail_stale(*, now: datetime | None = None) -> int:
    """Mark failed every running job whose worker died (heartbeat older than the staleness setting) and
    that has used all its attempts; the reason says so. Returns how many. Jobs with attempts left are
    taken again by `job_claim_next`."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.stale_after_seconds())
    limit = conf.max_attempts()
    reason = _("Pekerja latar berhenti di tengah tugas %(n)s kali; tugas dihentikan. Unggah atau jalankan ulang.") % {
        "n": limit
    }
    return Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale, attempts__gte=limit).update(
        status=JobStatus.FAILED, message=reason[:300], error=reason, finished_at=now
    )


def job_claim_next() -> Job | None:
    """Take the oldest queued job (or one whose worker died and that has attempts left) so that no two
    workers run the same job. A dead worker's job with no attempts left is marked failed first."""
    now = timezone.now()
    stale = now - timedelta(seconds=conf.stale_after_seconds())
    with transaction.atomic():
        jobs_fail_stale(now=now)
        qs = Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        job = qs.first()
        if job is None:
            crashed = Job.objects.filter(
                status=JobStatus.RUNNING, heartbeat_at__lt=stale, attempts__lt=conf.max_attempts()
            )
            if connection.vendor == "postgresql":
                crashed = crashed.select_for_update(skip_locked=True)
            job = crashed.order_by("created_at").first()
            if job is None:
                return None
            logger.warning("job %s: worker died (heartbeat %s), attempt %s", job.pk, job.heartbeat_at, job.attempts + 1)
        job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
        return job


@contextmanager
def _heartbeat(job: Job) -> Iterator[None]:
    """Stamp the job's heartbeat from a side thread while the handler runs, so a long step without
    progress reports (a PDF, a big transaction) is not mistaken for a dead worker. Not started inside an
    outer transaction (tests): the side thread's connection could not see the job row anyway."""
    if connection.in_atomic_block or conf.heartbeat_seconds() <= 0:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(conf.heartbeat_seconds()):
                try:
                    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a missed beat (SQLite busy) only matters if they all fail; go on
                    logger.warning("heartbeat of job %s missed", job.pk, exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_run(job: Job) -> Job:
    """Run a claimed job. The handler makes its own transactions (imports commit per batch and resume).

    A handler that returns `{"failed": True, "summary": reason}` (a file that cannot be read) ends the
    job as failed with that reason, like one that raises. The final write only lands if this worker
    still owns the job (same attempt): a job taken over after a presumed crash is not overwritten.
    """
    progress = JobProgress(job.pk)
    mine = Job.objects.filter(pk=job.pk, attempts=job.attempts)
    try:
        # Results (summaries, link labels) are stored text: write them in the site's language, whatever
        # language the thread running the job last served.
        with translation.override(settings.LANGUAGE_CODE), _heartbeat(job):
            result = handler_for(job.kind)(job.params, progress) or {}
    except Exception as exc:  # the worker must survive any handler failure and record it
        logger.exception("job %s failed", job.pk)
        mine.update(
            status=JobStatus.FAILED,
            error=f"{exc}\n\n{traceback.format_exc()}"[-5000:],
            message=str(exc)[:300],
            finished_at=timezone.now(),
        )
    else:
        if result.get("failed"):
            reason = str(result.get("summary") or _("Tugas gagal."))
            mine.update(
                status=JobStatus.FAILED, result=result, error=reason, message=reason[:300], finished_at=timezone.now()
            )
        else:
            mine.update(
                status=JobStatus.DONE,
                result=result,
                finished_at=timezone.now(),
                progress_done=progress.total or progress.done,
                progress_total=progress.total or progress.done,
            )
    job.refresh_from_db()
    return job


def job_run_pending(limit: int | None = None) -> int:
    """Run queued jobs until none is left (or `limit`); returns how many ran. Used by the worker and tests."""
    ran = 0
    while limit is None or ran < limit:
        job = job_claim_next()
        if job is None:
            break
        job_run(job)
        ran += 1
    return ran


def job_idle_run() -> int:
    """Run one step of every registered idle task (see `registry.register_idle_task`); returns the work
    done. A failing task is logged and skipped: it must not stop the worker."""
    done = 0
    for task in idle_tasks():
        try:
            done += task()
        except Exception:  # logged; the worker goes on with its queue
            logger.exception("idle task %s failed", getattr(task, "__name__", task))
    return done
