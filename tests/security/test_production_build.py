"""Issue #15 H5: collectstatic under the production settings works (a vendor file named a source map that
was not copied, and WhiteNoise's manifest storage failed on it, leaving every page a 500). The whole
production start (gunicorn, DEBUG=False, every main page) is `.ci/production_smoke.py`, run by `.ci/run`."""

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

from apps.core.management.commands.collect_vendor_assets import copy_asset


def test_copy_asset_brings_the_named_map_or_drops_the_reference(tmp_path):
    package, vendor = tmp_path / "pkg", tmp_path / "vendor"
    package.mkdir()
    vendor.mkdir()
    (package / "a.min.js").write_text("var a=1;\n//# sourceMappingURL=a.min.js.map\n")
    (package / "a.min.js.map").write_text('{"version":3}')
    (package / "b.min.js").write_text("var b=1;\n//# sourceMappingURL=b.min.js.map")
    (package / "c.min.css").write_text("a{}\n/*# sourceMappingURL=c.min.css.map */\n")
    assert copy_asset(package / "a.min.js", vendor / "a.min.js") == ["a.min.js.map"]
    assert (vendor / "a.min.js.map").read_text() == '{"version":3}'
    assert "sourceMappingURL=a.min.js.map" in (vendor / "a.min.js").read_text()
    assert copy_asset(package / "b.min.js", vendor / "b.min.js") == []
    assert (vendor / "b.min.js").read_text() == "var b=1;\n"
    assert copy_asset(package / "c.min.css", vendor / "c.min.css") == []
    assert "sourceMappingURL" not in (vendor / "c.min.css").read_text()


def test_collectstatic_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "TUKATUKU_ENV": "production",
        "SECRET_KEY": "test-" + "x" * 60,
        "ALLOWED_HOSTS": "tukatuku.example.id",
        "NIK_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "NIK_HASH_KEY": "test-hash-key",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    done = subprocess.run(
        [sys.executable, manage, "collectstatic", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert {"vendor/pico.min.css", "vendor/chart.umd.min.js", "css/tukatuku.css"} <= set(manifest["paths"])
