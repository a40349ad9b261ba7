import logging
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from apps.audit.services import audit_log
from apps.jobs.models import Job, JobStatus
from apps.jobs.progress import JobProgress
from apps.jobs.registry import handler_for, idle_tasks

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)


@transaction.atomic
def job_enqueue(*, kind: str, params: dict[str, Any], actor: Any) -> Job:
    handler_for(kind)  # fail now, not in the worker, for an unknown kind
    job = Job.objects.create(kind=kind, params=params, created_by=actor if actor and actor.is_authenticated else None)
    audit_log(actor=actor, action="job.enqueue", obj=job, changes={"kind": kind})
    return job


def job_claim_next() -> Job | None:
    """Take the oldest queued job (or one whose worker died) so that no two workers run the same job."""
    stale = timezone.now() - STALE_AFTER
    with transaction.atomic():
        qs = Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        job = qs.first()
        if job is None:
            crashed = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale, attempts__lt=3)
            if connection.vendor == "postgresql":
                crashed = crashed.select_for_update(skip_locked=True)
            job = crashed.order_by("created_at").first()
            if job is None:
                return None
        now = timezone.now()
        job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
        return job


def job_run(job: Job) -> Job:
    """Run a claimed job. The handler makes its own transactions (imports commit per batch and resume)."""
    progress = JobProgress(job.pk)
    try:
        # Results (summaries, link labels) are stored text: write them in the site's language, whatever
        # language the thread running the job last served.
        with translation.override(settings.LANGUAGE_CODE):
            result = handler_for(job.kind)(job.params, progress)
    except Exception as exc:  # the worker must survive any handler failure and record it
        logger.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=f"{exc}\n\n{traceback.format_exc()}"[-5000:],
            message=str(exc)[:300],
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            result=result or {},
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
