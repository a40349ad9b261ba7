from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.imports.framework import run_import
from apps.imports.readers import FileUnreadable
from apps.imports.services import import_file_discard
from apps.jobs.progress import Progress
from apps.jobs.registry import job_handler


@job_handler("import")
def import_job(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    actor = User.objects.filter(pk=params["actor_id"]).first() if params.get("actor_id") else None
    try:
        result = run_import(
            kind=params["kind"],
            path=params["path"],
            options=params.get("options", {}),
            actor=actor,
            progress=progress,
            file_name=params.get("file_name", ""),
        )
    except FileUnreadable as exc:
        import_file_discard(params["path"])
        return {"summary": str(exc), "failed": True, "links": []}
    # the import ended: the uploaded file (plaintext NIK) is no longer needed; a crash above keeps it for
    # the retry, and the purge removes it after the retention period
    import_file_discard(params["path"])
    links = [{"label": _("Riwayat impor"), "url": reverse("imports:index")}]
    if result.errors_path:
        links.insert(
            0, {"label": _("Unduh baris yang ditolak (CSV)"), "url": reverse("imports:errors", args=[result.run.pk])}
        )
    summary = result.summary
    if result.warnings:
        summary += " · " + " · ".join(result.warnings)
    return {"summary": summary, "import_run": result.run.pk, "links": links}
