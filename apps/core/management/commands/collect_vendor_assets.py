"""Copies the front-end packages installed from the npm registry (./dev setup) into static/vendor."""

import shutil

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ASSETS = {
    "@picocss/pico/css/pico.min.css": "pico.min.css",
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    # QR decoder for the attendance scanner page (apps/program): reads camera frames in the browser
    "jsqr/dist/jsQR.js": "jsQR.js",
}


class Command(BaseCommand):
    help = "Menyalin aset front-end dari node_modules ke static/vendor (tanpa CDN)."

    def handle(self, *args, **options):
        source = settings.BASE_DIR / "node_modules"
        target = settings.BASE_DIR / "static" / "vendor"
        target.mkdir(parents=True, exist_ok=True)
        for src, dst in ASSETS.items():
            path = source / src
            if not path.exists():
                raise CommandError(f"Aset {src} belum terpasang: jalankan ./dev setup (npm ci).")
            shutil.copyfile(path, target / dst)
