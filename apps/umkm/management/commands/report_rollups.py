"""`manage.py report_rollups [--region 33] [--year 2019 ...] | --stale`: recompute the UMKM roll-ups now
(e.g. from cron after the night's imports), so the first report after a data change does not wait for
them. `--stale` recomputes only the rows whose regency's registry changed since (what every UMKM import does before it
reports itself done)."""

from django.core.management.base import BaseCommand

from apps.core.formatting import today_wib
from apps.jobs.progress import ConsoleProgress
from apps.regions.selectors import regency_codes_under
from apps.umkm.rollups import umkm_rollups_refresh_each, umkm_rollups_refresh_stale


class Command(BaseCommand):
    help = "Hitung ulang ringkasan UMKM per kabupaten untuk laporan pimpinan."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="33", help="provinsi (33) atau kabupaten/kota (33.03)")
        parser.add_argument("--year", type=int, action="append", help="tahun data (boleh berulang; bawaan: tahun ini)")
        parser.add_argument(
            "--stale", action="store_true", help="hanya ringkasan yang datanya berubah sejak terakhir dihitung"
        )

    def handle(self, *args, region, year, stale, **options):
        progress = ConsoleProgress(unit="kabupaten")
        if stale:
            done = umkm_rollups_refresh_stale(progress=progress)
        else:
            codes = sorted(regency_codes_under({region}))
            done = umkm_rollups_refresh_each(
                [(code, y) for y in year or [today_wib().year] for code in codes], progress=progress
            )
        progress.finish()
        self.stdout.write(f"ringkasan dihitung: {done}")
