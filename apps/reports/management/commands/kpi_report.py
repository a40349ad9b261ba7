"""`manage.py kpi_report --regency 33.03 --year 2019 --as-of 2020-03-09 --format json|pdf|xlsx [--output FILE]`."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.regions.models import Level, Region
from apps.reports.selectors import kpi_figures


class Command(BaseCommand):
    help = "Angka laporan pimpinan untuk kabupaten (33.03) atau provinsi (33) per tahun dan tanggal."

    def add_arguments(self, parser):
        parser.add_argument("--regency", required=True, help="kode kabupaten/kota (33.03) atau provinsi (33)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--as-of", required=True, help="tanggal posisi data, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "pdf", "xlsx"], default="json")
        parser.add_argument("--output", help="berkas keluaran (bawaan: stdout untuk json)")

    def handle(self, *args, regency, year, as_of, format, output, **options):
        try:
            as_of_date = date.fromisoformat(as_of)
        except ValueError:
            raise CommandError(f"--as-of harus berbentuk YYYY-MM-DD: {as_of}")
        if not Region.objects.filter(code=regency, level__in=[Level.PROVINCE, Level.REGENCY]).exists():
            raise CommandError(f"Kode wilayah bukan provinsi atau kabupaten/kota yang dikenal: {regency}")
        _prepare_rollups(regency, year)
        figures = kpi_figures(region_code=regency, year=year, as_of=as_of_date)
        if format == "json":
            text = json.dumps(figures, ensure_ascii=False)
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            else:
                sys.stdout.write(text + "\n")
            return
        from apps.reports import exports
        from apps.reports.breakdowns import report_breakdowns

        breakdowns = report_breakdowns(region_code=regency, year=year, as_of=as_of_date)
        data = exports.render(figures, format, breakdowns=breakdowns)
        target = output or f"laporan-{regency}-{year}-{as_of}.{format}"
        with open(target, "wb") as fh:
            fh.write(data)
        self.stderr.write(f"laporan ditulis ke {target}")


def _prepare_rollups(region: str, year: int) -> None:
    """Compute missing or stale UMKM roll-ups first, with a progress line on stderr when there is more
    than one regency to compute (the first province report of a data year takes minutes at scale)."""
    from django.apps import apps

    if not apps.is_installed("apps.umkm"):
        return
    from apps.jobs.progress import ConsoleProgress
    from apps.regions.selectors import regency_codes_under
    from apps.reports.rollups import rollups_to_compute, umkm_rollups_refresh_each

    todo = rollups_to_compute(regency_codes=regency_codes_under({region}), year=year)
    if len(todo) <= 1:
        return
    progress = ConsoleProgress(unit="kabupaten")
    umkm_rollups_refresh_each([(code, year) for code in todo], progress=progress, message="ringkasan UMKM")
    progress.finish()
