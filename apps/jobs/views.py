from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from apps.jobs.registry import job_title
from apps.jobs.selectors import access_job


@login_required
def job_detail(request, pk):
    job = access_job(request.user, pk)
    return render(request, "jobs/job_detail.html", {"job": job, "title": job_title(job.kind, job.params)})


@login_required
def job_status(request, pk):
    job = access_job(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "percent": job.percent,
            "done": job.progress_done,
            "total": job.progress_total,
            "message": job.message,
            "result": job.result if job.status == "done" else {},
        }
    )
