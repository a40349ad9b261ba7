"""`manage.py report_rollups [--region 33] [--year 2019 ...] | --stale`: recompute the UMKM roll-ups now
(e.g. from cron after the night's imports), so the first report after a data change does not wait for
them. `--stale` recomputes only the rows whose regency's registry changed since (what the job queued after
every UMKM import does)."""

from datetime import date

from django.core.management.base import BaseCommand

from apps.jobs.progress import ConsoleProgress


class Command(BaseCommand):
    help = "Hitung ulang ringkasan UMKM per kabupaten untuk laporan pimpinan."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="33", help="provinsi (33) atau kabupaten/kota (33.03)")
        parser.add_argument("--year", type=int, action="append", help="tahun data (boleh berulang; bawaan: tahun ini)")
        parser.add_argument(
            "--stale", action="store_true", help="hanya ringkasan yang datanya berubah sejak terakhir dihitung"
        )

    def handle(self, *args, region, year, stale, **options):
        from apps.regions.selectors import regency_codes_under
        from apps.reports.forms import today_wib
        from apps.reports.rollups import umkm_rollup_refresh, umkm_rollups_refresh_stale

        progress = ConsoleProgress(unit="kabupaten")
        if stale:
            done = umkm_rollups_refresh_stale(progress=progress)
            progress.finish()
            self.stdout.write(f"ringkasan dihitung: {done}")
            return
        codes = sorted(regency_codes_under({region}))
        years = year or [today_wib().year]
        progress.start(len(codes) * len(years))
        done = 0
        for y in years:
            for code in codes:
                umkm_rollup_refresh(regency_codes=[code], year=y, as_of=date(y, 12, 31))
                done += 1
                progress.update(done, code)
        progress.finish()
        self.stdout.write(f"ringkasan dihitung: {done}")
