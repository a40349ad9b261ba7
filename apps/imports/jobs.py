from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.imports.framework import importers, run_import
from apps.imports.readers import FileUnreadable
from apps.imports.services import import_file_discard
from apps.jobs.progress import Progress
from apps.jobs.registry import job_handler


def import_title(params: dict[str, Any]) -> str:
    """ "Impor Registri UMKM": the importer's own label, so a new template needs no entry here."""
    importer = importers().get(params.get("kind", ""))
    label = importer.label if importer is not None else params.get("kind", "")
    return _("Impor %(label)s") % {"label": label}


@job_handler("import", title=import_title)
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
        links[:0] = [
            {
                "label": _("Unduh baris yang ditolak (XLSX)"),
                "url": reverse("imports:errors_xlsx", args=[result.run.pk]),
            },
            {"label": _("Unduh baris yang ditolak (CSV)"), "url": reverse("imports:errors", args=[result.run.pk])},
        ]
    # the page's summary is for a person (Indonesian, grouped numbers); `import_data` prints the SPEC §8 line
    summary = result.run.ringkasan
    if result.warnings:
        summary += " · " + " · ".join(result.warnings)
    return {"summary": summary, "import_run": result.run.pk, "links": links}
