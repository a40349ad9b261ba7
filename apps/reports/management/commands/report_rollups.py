"""`manage.py report_rollups [--region 33] [--year 2019 ...]`: recompute the UMKM roll-ups now (e.g. from
cron after the night's imports), so the first report after a data change does not wait for them."""

from datetime import date

from django.core.management.base import BaseCommand

from apps.jobs.progress import ConsoleProgress


class Command(BaseCommand):
    help = "Hitung ulang ringkasan UMKM per kabupaten untuk laporan pimpinan."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="33", help="provinsi (33) atau kabupaten/kota (33.03)")
        parser.add_argument("--year", type=int, action="append", help="tahun data (boleh berulang; bawaan: tahun ini)")

    def handle(self, *args, region, year, **options):
        from apps.regions.selectors import regency_codes_under
        from apps.reports.forms import today_wib
        from apps.reports.rollups import umkm_data_stamp, umkm_rollup_refresh

        codes = sorted(regency_codes_under({region}))
        years = year or [today_wib().year]
        progress = ConsoleProgress(unit="kabupaten")
        progress.start(len(codes) * len(years))
        stamp, done = umkm_data_stamp(), 0
        for y in years:
            for code in codes:
                umkm_rollup_refresh(regency_codes=[code], year=y, as_of=date(y, 12, 31), stamp=stamp)
                done += 1
                progress.update(done, code)
        progress.finish()
        self.stdout.write(f"ringkasan dihitung: {done}")
