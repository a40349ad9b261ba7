"""Benchmark of `import_data peserta_program`: 2,000 registry businesses, a 10,000-row file over 50
activities (each participant five times with changing statuses), imported twice.

    .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/peserta_program_bench.py

Results in docs/benchmarks.md."""

import csv
import os
import time

import pytest

from apps.core.nik import nik_encrypt, nik_hash, nik_mask
from apps.imports.framework import run_import
from apps.umkm.models import Business, Owner

pytestmark = pytest.mark.django_db


def test_peserta_program_import(tmp_path):
    owners = []
    for i in range(2000):
        nik = f"3303011204{85:02d}{i:04d}"[:16]
        o = Owner(
            name=f"P{i}", gender="L", nik_ciphertext=nik_encrypt(nik), nik_hash=nik_hash(nik), nik_masked=nik_mask(nik)
        )
        owners.append(o)
    Owner.objects.bulk_create(owners)
    owners = list(Owner.objects.order_by("pk"))
    Business.objects.bulk_create(
        [
            Business(
                owner=o,
                name=f"usaha {i}",
                name_normalized=f"usaha {i}",
                nib=f"{4000000000000 + i}" if i % 2 else "",
                regency_id="33.03",
                district_id="33.03.01",
                village_id="33.03.01.2001",
            )
            for i, o in enumerate(owners)
        ]
    )
    path = tmp_path / "p.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "kode_kegiatan",
                "jenis",
                "nama_kegiatan",
                "tanggal_mulai",
                "tanggal_selesai",
                "nik",
                "nama_pemilik",
                "nib",
                "nama_usaha",
                "kode_wilayah",
                "status",
            ]
        )
        for r in range(10000):
            i = (r * 7) % 2000
            k = r % 50
            nik = f"3303011204{85:02d}{i:04d}"[:16]
            w.writerow(
                [
                    f"K{k}",
                    "pelatihan",
                    f"Kegiatan {k}",
                    "2019-05-01",
                    "2019-05-02",
                    nik,
                    "x",
                    f"{4000000000000 + i}" if i % 2 else "",
                    f"usaha {i}",
                    "33.03.01.2001",
                    ["hadir", "lulus", "terdaftar"][r % 3],
                ]
            )
    t = time.perf_counter()
    res = run_import(kind="peserta_program", path=path, options={"regency": "33.03"})
    t1 = time.perf_counter() - t
    t = time.perf_counter()
    res2 = run_import(kind="peserta_program", path=path, options={"regency": "33.03"})
    t2 = time.perf_counter() - t
    print(f"\nBENCH first: {t1:.1f}s {res.summary} | again: {t2:.1f}s {res2.summary} | load {os.getloadavg()}")
