"""Background export of the report (a province report takes a while): the page shows the progress bar."""

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.jobs.progress import Progress
from apps.jobs.registry import job_handler


def export_path(file_id: str, format: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "laporan" / f"{file_id}.{format}"


@job_handler("reports.export")
def export_report(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    from apps.reports import exports
    from apps.reports.breakdowns import report_breakdowns
    from apps.reports.selectors import kpi_figures

    region, year, as_of = params["wilayah"], int(params["tahun"]), date.fromisoformat(params["per"])
    progress.start(3, _("Menghitung angka utama"))
    figures = kpi_figures(region_code=region, year=year, as_of=as_of)
    progress.update(1, _("Menghitung rincian"))
    breakdowns = report_breakdowns(region_code=region, year=year, as_of=as_of)
    progress.update(2, _("Menyusun berkas %(format)s") % {"format": params["format"].upper()})
    data = exports.render(figures, params["format"], breakdowns=breakdowns)
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


@job_handler("reports.prepare")
def prepare_report(params: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Compute the missing or stale UMKM roll-ups of a report (the first province report of a data year
    computes every regency: minutes at province scale), then link back to the report."""
    from urllib.parse import urlencode

    from apps.regions.selectors import regency_codes_under
    from apps.reports.rollups import rollups_to_compute, umkm_rollups_refresh_each

    region, year = params["wilayah"], int(params["tahun"])
    query = {key: params[key] for key in ("wilayah", "tahun", "per")}  # the form's order (jsonb sorts keys)
    todo = rollups_to_compute(regency_codes=regency_codes_under({region}), year=year)
    umkm_rollups_refresh_each(
        [(code, year) for code in todo], progress=progress, message=_("Menghitung ringkasan UMKM per kabupaten/kota")
    )
    progress.finish(_("Selesai"))
    return {
        "summary": _("Laporan %(region)s tahun %(year)s siap dibuka.") % {"region": region, "year": year},
        "links": [{"label": _("Buka laporan"), "url": reverse("reports:page") + "?" + urlencode(query)}],
    }
