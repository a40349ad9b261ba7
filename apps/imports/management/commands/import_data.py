"""`manage.py import_data KIND FILE [--regency CODE] [--channel NAME] [--toko SLUG] [--errors FILE]` (SPEC §8).

Exits 0 when the file was processed, even with rejected rows; prints the one-line summary; writes
rejected rows with reasons beside the input (or to --errors). Exits non-zero with a one-line reason only
when the file as a whole cannot be read (including a refused XLSX: too large unpacked, XML entities; or a
row that breaks the file part-way, which ends the run as failed), when the same file is being imported at
that moment, or when an option the template needs is missing or unknown (`penjualan` without `--channel`,
`produk_shopee`/`produk_tokopedia` without `--toko`). The command acts as the system
(apps.core.actors.COMMAND_LINE), not as a user.
"""

from django.core.management.base import BaseCommand, CommandError

from apps.core.actors import COMMAND_LINE
from apps.imports.framework import importers, run_import
from apps.imports.readers import FileUnreadable
from apps.jobs.progress import ConsoleProgress


class Command(BaseCommand):
    help = "Impor berkas CSV/XLSX menurut templat: " + ", ".join(
        ["umkm", "koperasi", "laporan_koperasi", "penjualan", "produk_shopee", "produk_tokopedia"]
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="templat: " + ", ".join(importers()))
        parser.add_argument("file")
        parser.add_argument("--regency", help="kode kabupaten/kota, mis. 33.03")
        parser.add_argument("--channel", help="kanal penjualan: shopee, tokopedia, bukalapak")
        parser.add_argument(
            "--toko",
            "--seller",
            dest="toko",
            metavar="SLUG",
            help="toko tujuan produk_shopee/produk_tokopedia: alamat toko, mis. rajut-bu-sri (/toko/penjual/SLUG/)",
        )
        parser.add_argument("--errors", help="berkas CSV untuk baris yang ditolak (bawaan: di samping berkas)")
        parser.add_argument("--quiet-progress", action="store_true", help="tanpa baris kemajuan")

    def handle(self, *args, kind, file, regency, channel, toko, errors, quiet_progress, **options):
        opts = {k: v for k, v in {"regency": regency, "channel": channel, "toko": toko}.items() if v}
        progress = None if quiet_progress or options.get("verbosity", 1) == 0 else ConsoleProgress(self.stderr)
        try:
            result = run_import(
                kind=kind, path=file, options=opts, actor=COMMAND_LINE, progress=progress, errors_path=errors
            )
        except FileUnreadable as exc:
            raise CommandError(str(exc))
        # the run's warnings: the header's, and what the importer found over the whole file
        for warning in result.run.warnings or result.warnings:
            self.stderr.write(f"peringatan: {warning}")
        if result.resumed_from:
            self.stderr.write(f"dilanjutkan setelah baris {result.resumed_from} (impor sebelumnya terputus)")
        if result.errors_path:
            self.stderr.write(f"baris ditolak ditulis ke {result.errors_path}")
        self.stdout.write(result.summary)
