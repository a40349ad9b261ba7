"""Copies the front-end packages installed from the npm registry (./dev setup) into static/vendor.

A copied file that names a source map (`sourceMappingURL=…`) gets its map copied beside it; when the
package ships no map the reference is removed. Production's `collectstatic` (WhiteNoise's manifest
storage) follows those references and fails on a missing map, which left every page a 500."""

import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ASSETS = {
    "@picocss/pico/css/pico.min.css": "pico.min.css",
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    # QR decoder for the attendance scanner page (apps/program): reads camera frames in the browser
    "jsqr/dist/jsQR.js": "jsQR.js",
    # barcode decoder for the showroom's quick-sale screen (apps/konsinyasi) where the browser has no
    # BarcodeDetector (Firefox, Safari): Code 128 labels read from camera frames
    "@zxing/library/umd/index.min.js": "zxing.min.js",
}

SOURCE_MAP = re.compile(rb"^[ \t]*(?://|/\*)[#@] sourceMappingURL=([^\s*]+)[ \t]*(?:\*/)?[ \t]*$", re.MULTILINE)


def copy_asset(path: Path, target: Path) -> list[str]:
    """Copy one asset and the source maps it names; returns the names of the maps copied."""
    data = path.read_bytes()
    maps: list[str] = []

    def keep_or_drop(match: re.Match[bytes]) -> bytes:
        name = match.group(1).decode()
        if "/" in name or ":" in name:  # a URL or another folder: not ours to follow
            return b""
        source_map = path.parent / name
        if source_map.is_file():
            shutil.copyfile(source_map, target.parent / name)
            maps.append(name)
            return match.group(0)
        return b""

    target.write_bytes(SOURCE_MAP.sub(keep_or_drop, data))
    return maps


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
            copy_asset(path, target / dst)
