"""Builders for the Koperasi Award tests: cooperatives in a known eligibility state, through
apps.koperasi's factories and its assessment service (the health score is whatever its table gives)."""

from datetime import date
from decimal import Decimal
from typing import Any

from apps.koperasi.services import assessments_recompute
from apps.koperasi.tests.factories import GOOD_FIGURES, ZERO_FIGURES, make_koperasi, make_laporan
from apps.pengembangan.services import award as svc

ON = date(2025, 11, 1)


def healthy(nama: str, *, jenis: str = "KSP", rat: date = date(2025, 3, 1), **kw: Any):
    """Active on ON, a RAT in 2025, assessed Cukup Sehat for book year 2024."""
    k = make_koperasi(nama=nama, jenis=jenis, **kw)
    lap = make_laporan(k, 2024, rat, figures=GOOD_FIGURES, skor_manajemen=Decimal(12))
    assessments_recompute(laporan_list=[lap], actor=None)
    return k


def unhealthy(nama: str):
    k = make_koperasi(nama=nama)
    lap = make_laporan(k, 2024, date(2025, 3, 1), figures=ZERO_FIGURES, skor_manajemen=Decimal(0))
    assessments_recompute(laporan_list=[lap], actor=None)
    return k


def make_category(*, actor, judges=(), metode="normalisasi", tie_breaks=("objektif", "rata_mentah", "panel"), **kw):
    args = {
        "tahun": 2025,
        "regency_code": "33.03",
        "nama": "Koperasi Simpan Pinjam Terbaik",
        "jenis": ["KSP"],
        "tanggal_aktif": ON,
        "syarat_sehat": True,
        "tahun_rat": 2025,
        "metode": metode,
        "bobot_objektif": Decimal(20),
        "tie_breaks": list(tie_breaks),
        "jumlah_pemenang": 2,
        "kriteria": [("Tata kelola", Decimal(60)), ("Pelayanan anggota", Decimal(40))],
        "judges": list(judges),
        "actor": actor,
    }
    args.update(kw)
    return svc.category_create(**args)
