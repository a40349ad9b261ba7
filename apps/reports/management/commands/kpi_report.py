"""`manage.py kpi_report --regency 33.03 --year 2019 --as-of 2020-03-09 --format json|pdf|xlsx [--output FILE]`."""

import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.jobs.progress import ConsoleProgress
from apps.regions.models import Level, Region
from apps.reports import composer, exports
from apps.reports.jobs import prepare


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
        # Derived data first (the UMKM roll-ups of a data year nobody reported on: minutes for a province),
        # with a progress line on stderr.
        if composer.preparation(region=regency, year=year) is not None:
            progress = ConsoleProgress(unit="kabupaten")
            prepare(region=regency, year=year, progress=progress)
            progress.finish()
        report = composer.build_report(region=regency, year=year, as_of=as_of_date, breakdowns=format != "json")
        if format == "json":
            text = json.dumps(report.figures, ensure_ascii=False)
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            else:
                sys.stdout.write(text + "\n")
            return
        data = exports.render(report, format)
        target = output or f"laporan-{regency}-{year}-{as_of}.{format}"
        with open(target, "wb") as fh:
            fh.write(data)
        self.stderr.write(f"laporan ditulis ke {target}")
