"""Test data builders for cooperative supervision."""

import csv
from datetime import date
from pathlib import Path
from typing import Any

from apps.koperasi.models import FINANCIAL_FIELDS, Koperasi, LaporanTahunan, ReportStatus

_counter = {"n": 0}

# The hand-computed KSP of test_scoring (total 76.58 lending, 75.42 non-lending).
GOOD_FIGURES: dict[str, Any] = {
    "total_aset": 1_000_000_000,
    "modal_sendiri": 300_000_000,
    "pinjaman_berisiko": 200_000_000,
    "atmr": 5_000_000_000,
    "pinjaman_diberikan": 800_000_000,
    "pinjaman_anggota": 600_000_000,
    "pinjaman_kurang_lancar": 40_000_000,
    "pinjaman_diragukan": 20_000_000,
    "pinjaman_macet": 10_000_000,
    "cadangan_risiko": 30_000_000,
    "beban_operasional_pelayanan": 90_000_000,
    "partisipasi_bruto": 120_000_000,
    "aktiva_tetap": 100_000_000,
    "biaya_karyawan": 40_000_000,
    "kas_bank": 24_000_000,
    "kewajiban_lancar": 200_000_000,
    "dana_diterima": 900_000_000,
    "shu_sebelum_pajak": 60_000_000,
    "shu_bagian_anggota": 12_000_000,
    "pendapatan": 150_000_000,
    "beban_usaha": 100_000_000,
    "beban_perkoperasian": 20_000_000,
    "promosi_ekonomi_anggota": 8_000_000,
    "simpanan_pokok_wajib": 100_000_000,
    "volume_usaha": 500_000_000,
}
# Every figure zero and skor_manajemen 0: 27.50 (Dalam Pengawasan Khusus) for a lending cooperative.
ZERO_FIGURES: dict[str, Any] = dict.fromkeys(FINANCIAL_FIELDS, 0)


def make_koperasi(
    *,
    nomor: str = "",
    nama: str = "",
    jenis: str = "KSP",
    regency: str = "33.03",
    district: str | None = "33.03.01",
    village: str | None = "33.03.01.2001",
    tanggal_badan_hukum: date = date(2010, 1, 1),
    tanggal_pembubaran: date | None = None,
) -> Koperasi:
    _counter["n"] += 1
    n = _counter["n"]
    return Koperasi.objects.create(
        nomor_badan_hukum=nomor or f"BH-{n:05d}",
        nama=nama or f"Koperasi Uji {n}",
        jenis=jenis,
        regency_id=regency,
        district_id=district,
        village_id=village,
        tanggal_badan_hukum=tanggal_badan_hukum,
        tanggal_pembubaran=tanggal_pembubaran,
    )


def make_laporan(
    koperasi: Koperasi,
    tahun_buku: int,
    tanggal_rat: date | None,
    *,
    figures: dict[str, Any] | None = None,
    skor_manajemen: Any = None,
    status: str = ReportStatus.DITERIMA,
) -> LaporanTahunan:
    return LaporanTahunan.objects.create(
        koperasi=koperasi,
        tahun_buku=tahun_buku,
        tanggal_rat=tanggal_rat,
        skor_manajemen=skor_manajemen,
        status=status,
        **(figures or {}),
    )


KOPERASI_HEADER = [
    "nomor_badan_hukum",
    "nama",
    "jenis",
    "tanggal_badan_hukum",
    "kode_wilayah",
    "alamat",
    "tanggal_pembubaran",
]
LAPORAN_HEADER = [
    "nomor_badan_hukum",
    "tahun_buku",
    "tanggal_rat",
    "jumlah_anggota",
    *[f for f in FINANCIAL_FIELDS if f != "volume_usaha"],
    "skor_manajemen",
    "volume_usaha",
]


def write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in header])
    return path
