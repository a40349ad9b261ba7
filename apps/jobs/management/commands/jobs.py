from django.core.management.base import BaseCommand

from apps.jobs.models import Job, JobStatus
from apps.jobs.services import jobs_fail_stale


class Command(BaseCommand):
    help = "Menampilkan tugas latar terakhir: status, kemajuan dan alasan kegagalan."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="hanya tugas yang gagal")
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, *args, failed, limit, **options):
        # a job whose worker died for the last time is reported as failed here too, not as "running"
        jobs_fail_stale()
        jobs = Job.objects.order_by("-created_at")
        if failed:
            jobs = jobs.filter(status=JobStatus.FAILED)
        for job in jobs[:limit]:
            line = f"{job.id}  {job.created_at:%Y-%m-%d %H:%M}  {job.kind:<16} {job.get_status_display():<10}"
            line += f" {job.percent:3d}%  percobaan {job.attempts}"
            if job.message:
                line += f"  {job.message}"
            self.stdout.write(line)
