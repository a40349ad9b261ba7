from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.regions.loader import SHIPPED, load_regions
from apps.regions.models import Region


class Command(BaseCommand):
    help = "Memuat kode wilayah Kemendagri dari CSV kode,nama (bawaan: daftar nasional yang dikirim bersama proyek)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SHIPPED))
        parser.add_argument("--prefix", default="", help="hanya kode yang diawali ini, mis. 33")

    def handle(self, *args, file, prefix, **options):
        try:
            n = load_regions(Region, Path(file), prefix)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Berkas wilayah tidak dapat dibaca: {exc}")
        self.stdout.write(f"wilayah: {n} baris dimuat")
