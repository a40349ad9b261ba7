from typing import Any

from django.http import Http404

from apps.core.roles import Role
from apps.jobs.models import Job


def access_job(user: Any, pk: Any) -> Job:
    """A job is visible to whoever queued it and to administrators; anything else is a 404."""
    job = Job.objects.filter(pk=pk).first()
    if job is None or not (user.is_superuser or user.role == Role.ADMIN or job.created_by_id == user.pk):
        raise Http404
    return job
