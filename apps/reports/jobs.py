"""Background export of the report (a province report takes a while): the page shows the progress bar."""

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.jobs.progress import Progress
from apps.jobs.registry import job_handler
from apps.reports import composer, exports


def export_path(file_id: str, format: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "laporan" / f"{file_id}.{format}"


def export_title(params: dict[str, Any]) -> str:
    return _("Ekspor laporan %(format)s") % {"format": str(params["format"]).upper()}


@job_handler("reports.export", title=export_title)
def export_report(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    region, year, as_of = params["wilayah"], int(params["tahun"]), date.fromisoformat(params["per"])
    progress.start(2, _("Menghitung angka utama"))
    report = composer.build_report(region=region, year=year, as_of=as_of)
    progress.update(1, _("Menyusun berkas %(format)s") % {"format": params["format"].upper()})
    data = exports.render(report, params["format"])
    path = export_path(params["file_id"], params["format"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    progress.finish(_("Selesai"))
    return {
        "summary": _("Laporan %(region)s tahun %(year)s siap diunduh.") % {"region": region, "year": year},
        "links": [
            {
                "label": _("Unduh %(format)s") % {"format": params["format"].upper()},
                "url": reverse("reports:download", args=[params["file_id"]]),
            }
        ],
    }


@job_handler("reports.prepare", title=gettext_lazy("Menyiapkan laporan pimpinan"))
def prepare_report(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Compute the derived data a report needs first (`composer.preparation`: the UMKM roll-ups; the
    first province report of a data year computes every regency, minutes at province scale), then link
    back to the report."""
    region, year = params["wilayah"], int(params["tahun"])
    query = {key: params[key] for key in ("wilayah", "tahun", "per")}  # the form's order (jsonb sorts keys)
    prepare(region=region, year=year, progress=progress)
    progress.finish(_("Selesai"))
    return {
        "summary": _("Laporan %(region)s tahun %(year)s siap dibuka.") % {"region": region, "year": year},
        "links": [{"label": _("Buka laporan"), "url": reverse("reports:page") + "?" + urlencode(query)}],
    }


def prepare(*, region: str, year: int, progress: Progress) -> int:
    """Run the steps of the report's preparation one by one with the progress shown; returns how many."""
    prep = composer.preparation(region=region, year=year)
    steps = prep.steps if prep else []
    progress.start(len(steps), prep.message if prep else "")
    for i, (label, step) in enumerate(steps, 1):
        step()
        progress.update(i, label)
    return len(steps)
