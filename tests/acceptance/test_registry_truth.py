"""Issue 17's check, as an outside tester runs it, with files written here (not by the shared generator):

- one regency across the change of law (2020 under UU 20/2008, 2021–2022 under PP 7/2021): businesses
  at every class ceiling, moves caused by the law alone (one- and two-class jumps), one-figure rows in
  both laws, a business that gains its NIB, names spelt with and without punctuation, duplicates for one
  business and year far apart in a file (the last row wins, whatever the batch), a move of village;
- a whole province through a sequence of imports and corrections: businesses that move regency, rows
  of an earlier year that still carry the old village (they must move nothing), every file imported
  twice (the second import changes nothing, however the rows are batched);
- cooperatives whose health sits on the band edges (a total of 79,995, a ratio of 20,004 %) and RATs
  dated exactly three years before D (29 February included).

Everything goes through `manage.py import_data` and `manage.py kpi_report`, and is compared with the
independent reference (`reference.py`), which follows SPEC §4–§5 in exact arithmetic.
"""

import csv
import random
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from . import reference as R
from .conftest import kpi, run_import
from .generate import KOPERASI_COLUMNS, LAPORAN_COLUMNS, UMKM_COLUMNS, ImportFile

pytestmark = pytest.mark.django_db

JT, M = 1_000_000, 1_000_000_000
PURBALINGGA, BANYUMAS, CILACAP = "33.03", "33.02", "33.01"
YEARS = (2020, 2021, 2022)


def villages(regency: str, n: int = 6) -> list[str]:
    from apps.regions.models import Level, Region

    codes = Region.objects.filter(code__startswith=regency + ".", level=Level.VILLAGE).values_list("code", flat=True)
    # villages of two kecamatan, so that a move changes the kecamatan too
    found = sorted(codes)
    assert found, regency
    return found[: n // 2] + found[-(n - n // 2) :]


@dataclass
class Firm:
    """One business as the files describe it (years: {year: (modal, omzet, village, nib, name)})."""

    serial: int
    district_of_nik: str
    owner: str
    gender: str
    rows: dict[int, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def nik(self) -> str:
        day = 12 + (40 if self.gender == "P" else 0)
        return f"{self.district_of_nik.replace('.', '')}{day:02d}0485{self.serial:04d}"

    def row(self, year: int, *, modal: Any = None, omzet: Any = None, village: str = "", nib: str = "",
            name: str = "") -> dict[str, str]:  # fmt: skip
        return {
            "nik": self.nik, "nama_pemilik": self.owner, "jenis_kelamin": self.gender, "no_hp": "",
            "nama_usaha": name, "nib": nib, "kbli": "10721", "sektor": "gula kelapa", "kode_wilayah": village,
            "alamat": "RT 01 RW 01", "tahun_berdiri": "2010", "tahun_data": str(year),
            "modal_usaha": "" if modal is None else str(modal), "omzet_tahunan": "" if omzet is None else str(omzet),
            "tenaga_kerja": "2",
        }  # fmt: skip


def parsed(row: dict[str, str]) -> dict[str, Any]:
    return {
        "nik": row["nik"], "nib": row["nib"], "nama_usaha": row["nama_usaha"], "kode_wilayah": row["kode_wilayah"],
        "tahun_data": int(row["tahun_data"]),
        "modal_usaha": int(row["modal_usaha"]) if row["modal_usaha"] else None,
        "omzet_tahunan": int(row["omzet_tahunan"]) if row["omzet_tahunan"] else None,
    }  # fmt: skip


def write(folder: Path, name: str, kind: str, columns: list[str], rows: list[dict[str, str]]) -> ImportFile:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r.get(c, "") for c in columns])
    return ImportFile(kind, path, rows=len(rows), records=[parsed(r) for r in rows] if kind == "umkm" else [])


class Registry:
    """Builds businesses and the rows of each file."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.serial = 0
        self.villages = {r: villages(r) for r in (PURBALINGGA, BANYUMAS, CILACAP)}

    def firm(self, regency: str = PURBALINGGA) -> Firm:
        self.serial += 1
        village = self.rng.choice(self.villages[regency])
        gender = self.rng.choice("LP")
        return Firm(self.serial, village[:8], f"Pemilik {self.serial}", gender)

    def village(self, regency: str = PURBALINGGA) -> str:
        return self.rng.choice(self.villages[regency])


# Figures of one business in 2020 / 2021 / 2022 (None: the column left empty) and what they test.
ACROSS_THE_LAW: list[tuple[str, tuple[Any, Any], tuple[Any, Any], tuple[Any, Any]]] = [
    ("UU ceilings, mikro on both", (50 * JT, 300 * JT), (50 * JT, 300 * JT), (50 * JT, 300 * JT)),
    ("UU: one criterion mikro is enough", (50 * JT + 1, 300 * JT), (50 * JT + 1, 300 * JT), (2 * M, 2 * M + 1)),
    ("law alone: mikro → kecil", (40 * JT, 2_600 * JT), (40 * JT, 2_600 * JT), (40 * JT, 2_600 * JT)),
    ("law alone: mikro → menengah", (40 * JT, 20 * M), (40 * JT, 20 * M), (40 * JT, 20 * M)),
    ("law alone: mikro → besar", (40 * JT, 60 * M), (40 * JT, 60 * M), (40 * JT, 60 * M)),
    ("law alone: kecil → besar", (100 * JT, 60 * M), (100 * JT, 60 * M), (100 * JT, 60 * M)),
    ("law alone: kecil → menengah", (100 * JT, 20 * M), (100 * JT, 20 * M), (100 * JT, 20 * M)),
    ("law alone: menengah → besar", (600 * JT, 60 * M), (600 * JT, 60 * M), (600 * JT, 60 * M)),
    ("PP ceilings", (1 * M, 2 * M), (1 * M, 2 * M), (5 * M, 15 * M)),
    ("PP: sales decide, capital ignored", (20 * M, 100 * JT), (20 * M, 2 * M), (20 * M, 15 * M + 1)),
    ("PP: capital only when sales are missing", (100 * JT, 100 * JT), (1 * M + 1, None), (5 * M + 1, None)),
    ("UU one figure: sales only", (None, 300 * JT + 1), (None, 2 * M + 1), (None, 50 * M + 1)),
    ("UU one figure: capital only", (500 * JT + 1, None), (500 * JT + 1, None), (10 * M + 1, None)),
    ("real growth mikro → kecil → menengah", (10 * JT, 100 * JT), (10 * JT, 3 * M), (10 * JT, 16 * M)),
    ("moves down with the law", (600 * JT, 280 * JT), (600 * JT, 280 * JT), (600 * JT, 2 * M + 1)),
    ("three-class jump by growth", (10 * JT, 100 * JT), (10 * JT, 100 * JT), (10 * JT, 51 * M)),
]


def across_the_law_files(folder: Path, seed: int = 17) -> tuple[list[ImportFile], list[dict[str, str]]]:
    """Three yearly files of one regency and a correction file, with the cases above and the identity
    cases; returns the files in import order and every row (for the reference)."""
    reg = Registry(seed)
    per_year: dict[int, list[dict[str, str]]] = {y: [] for y in YEARS}
    for label, *figures in ACROSS_THE_LAW:
        for copy in range(3):
            f = reg.firm()
            village = reg.village()
            name = f"{label.split(':')[0].title()} {copy}"
            for year, (modal, omzet) in zip(YEARS, figures, strict=True):
                per_year[year].append(f.row(year, modal=modal, omzet=omzet, village=village, name=name))
    # a business that gains its NIB in 2021 (and spells its name three ways); another gains it in 2022
    for k, since in enumerate((2021, 2022)):
        f = reg.firm()
        village = reg.village()
        spellings = {2020: "Bu. Sri Rejeki", 2021: "BU SRI REJEKI", 2022: "bu  sri-rejeki"}
        nib = f"912000000{k:04d}"
        for year, omzet in zip(YEARS, (250 * JT, 2_400 * JT, 16 * M), strict=True):
            per_year[year].append(
                f.row(
                    year,
                    modal=30 * JT,
                    omzet=omzet,
                    village=village,
                    nib=nib if year >= since else "",
                    name=spellings[year],
                )  # fmt: skip
            )
    # a business that moves village (and kecamatan) in 2022
    f = reg.firm()
    for year, village in zip(YEARS, (reg.villages[PURBALINGGA][0], reg.villages[PURBALINGGA][0],
                                     reg.villages[PURBALINGGA][-1]), strict=True):  # fmt: skip
        per_year[year].append(f.row(year, modal=30 * JT, omzet=100 * JT, village=village, name="Nopia Pindah"))
    # fillers, random around the ceilings
    for _ in range(120):
        f = reg.firm()
        village = reg.village()
        for year in YEARS:
            if reg.rng.random() < 0.15:
                continue
            modal = reg.rng.choice([None, 50 * JT, 50 * JT + 1, 500 * JT, 1 * M, 1 * M + 1, 5 * M, 10 * M + 1])
            omzet = reg.rng.choice([None, 300 * JT, 300 * JT + 1, 2 * M, 2 * M + 1, 15 * M, 50 * M + 1])
            if modal is None and omzet is None:
                omzet = 100 * JT
            per_year[year].append(f.row(year, modal=modal, omzet=omzet, village=village, name=f"Usaha {f.serial}"))
    files = []
    every: list[dict[str, str]] = []
    for year in YEARS:
        rows = per_year[year]
        reg.rng.shuffle(rows)
        # a duplicate of an early row near the end of the file with other figures: the last one wins
        early = dict(rows[1])
        early["omzet_tahunan"] = str(int(early["omzet_tahunan"] or 0) + 17 * M)
        early["nama_usaha"] = early["nama_usaha"].upper() + "."
        rows.append(early)
        files.append(write(folder, f"umkm-{year}.csv", "umkm", UMKM_COLUMNS, rows))
        every += rows
    # corrections of 2020 and 2021 rows, one of them still carrying the 2020 village of the business that
    # moved in 2022 (it must not move the business back)
    corrections = [dict(r, omzet_tahunan=str(int(r["omzet_tahunan"] or 0) + 1)) for r in per_year[2020][:5]]
    moved = next(r for r in per_year[2021] if r["nama_usaha"] == "Nopia Pindah")
    corrections.append(dict(moved, omzet_tahunan=str(3 * M)))
    files.append(write(folder, "umkm-koreksi.csv", "umkm", UMKM_COLUMNS, corrections))
    every += corrections
    return files, every


def import_twice(f: ImportFile, monkeypatch: Any, batch_size: int) -> dict[str, int]:
    """Import a file, then again with another batch size: the second import changes nothing."""
    from apps.imports.framework import importer_for

    cls = importer_for(f.kind)
    monkeypatch.setattr(cls, "batch_size", batch_size)
    first = run_import(f)
    monkeypatch.setattr(cls, "batch_size", max(1, batch_size // 3))
    again = run_import(f)
    assert (again["created"], again["updated"], again["rejected"]) == (0, 0, 0), (f.path.name, again)
    assert again["unchanged"] == again["rows"] == first["rows"]
    return first


def umkm_expected(rows: list[dict[str, str]], regency: str, year: int) -> dict[str, Any]:
    codes = {regency} if len(regency) == 5 else {PURBALINGGA, BANYUMAS, CILACAP}
    records = [parsed(r) for r in rows]
    want = R.umkm_figures(records, codes, year)
    want["naik_kelas_angka_tetap"] = R.umkm_moves_with_unchanged_figures(records, codes, year)
    return want


def umkm_got(regency: str, year: int) -> dict[str, Any]:
    got = kpi(regency, year, date(year + 1, 3, 9))
    naik = {k: v for k, v in got["naik_kelas"].items() if v or k in ("mikro_kecil", "kecil_menengah", "menengah_besar")}
    return {
        "umkm_total": got["umkm_total"],
        "umkm_per_kelas": got["umkm_per_kelas"],
        "naik_kelas": naik,
        "naik_kelas_angka_tetap": got["naik_kelas_angka_tetap"],
    }


def test_one_regency_across_the_change_of_law(tmp_path, monkeypatch):
    files, rows = across_the_law_files(tmp_path)
    for i, f in enumerate(files):
        summary = import_twice(f, monkeypatch, batch_size=(7, 50, 5000, 3)[i])
        assert summary["rejected"] == 0
        assert summary["created"] + summary["updated"] + summary["unchanged"] == summary["rows"]
    for year in YEARS:
        want = umkm_expected(rows, PURBALINGGA, year)
        assert umkm_got(PURBALINGGA, year) == want, year
    # the law alone: every kind of move and each two- and three-class jump under its own key
    naik_2021 = umkm_got(PURBALINGGA, 2021)["naik_kelas"]
    for key in ("mikro_kecil", "mikro_menengah", "mikro_besar", "kecil_menengah", "kecil_besar", "menengah_besar"):
        assert naik_2021.get(key, 0) >= 3, key
    assert umkm_got(PURBALINGGA, 2021)["naik_kelas_angka_tetap"] >= 18
    assert umkm_got(PURBALINGGA, 2022)["naik_kelas"].get("mikro_besar", 0) >= 3


def province_files(folder: Path, seed: int = 2022) -> tuple[list[ImportFile], list[dict[str, str]]]:
    """A province through a sequence: 2020 and 2021 files of three regencies, a 2022 file in which some
    businesses move regency, then a correction file of earlier years that still carries old villages,
    then a late 2021 file for businesses that gain their NIB."""
    reg = Registry(seed)
    regencies = (PURBALINGGA, BANYUMAS, CILACAP)
    years_rows: dict[int, list[dict[str, str]]] = {y: [] for y in YEARS}
    firms: list[tuple[Firm, str, str, str]] = []
    for i in range(150):
        home = regencies[i % 3]
        f = reg.firm(home)
        nib = f"913{i:010d}" if i % 4 == 0 else ""
        firms.append((f, home, reg.village(home), nib))
    moved_to: dict[int, str] = {}
    for i, (f, home, village, nib) in enumerate(firms):
        for year in YEARS:
            where = village
            if year == 2022 and i % 7 == 0:  # moves to the next regency in 2022
                target = regencies[(regencies.index(home) + 1) % 3]
                where = reg.villages[target][i % len(reg.villages[target])]
                moved_to[i] = where
            modal = reg.rng.choice([None, 40 * JT, 60 * JT, 600 * JT, 2 * M])
            omzet = reg.rng.choice([250 * JT, 350 * JT, 2_600 * JT, 16 * M, 60 * M])
            gains = i % 4 == 1 and year >= 2021
            years_rows[year].append(
                f.row(
                    year,
                    modal=modal,
                    omzet=omzet,
                    village=where,
                    nib=nib or (f"914{i:010d}" if gains else ""),
                    name=f"Usaha {'Maju' if i % 2 else 'Jaya'} {i}" + ("." if year == 2021 else ""),
                )  # fmt: skip
            )
    files: list[ImportFile] = []
    every: list[dict[str, str]] = []

    def add(name: str, rows: list[dict[str, str]]) -> None:
        files.append(write(folder, name, "umkm", UMKM_COLUMNS, rows))
        every.extend(rows)

    add("prov-2020.csv", years_rows[2020])
    add("prov-2021.csv", [r for r in years_rows[2021] if not r["nib"].startswith("914")])
    add("prov-2022.csv", years_rows[2022])
    # corrections of 2020 and 2021: new figures, the old villages (those businesses moved in 2022)
    fixes = []
    for r in years_rows[2020] + years_rows[2021]:
        serial = int(r["nik"][-4:])
        if (serial - 1) % 7 == 0 or reg.rng.random() < 0.1:
            fixes.append(dict(r, omzet_tahunan=str(int(r["omzet_tahunan"]) + 1_000_000_000)))
    reg.rng.shuffle(fixes)
    fixes.append(dict(fixes[0], omzet_tahunan="1"))  # a later row for the same business and year wins
    add("prov-koreksi.csv", fixes)
    add("prov-2021-susulan.csv", [r for r in years_rows[2021] if r["nib"].startswith("914")])
    return files, every


def test_a_province_through_imports_and_corrections(tmp_path, monkeypatch):
    from apps.regions.models import Level, Region

    files, rows = province_files(tmp_path)
    for i, f in enumerate(files):
        assert import_twice(f, monkeypatch, batch_size=(11, 5000, 13, 4, 9)[i])["rejected"] == 0
    central_java = sorted(
        Region.objects.filter(level=Level.REGENCY, code__startswith="33.").values_list("code", flat=True)
    )
    assert len(central_java) == 35
    for year in (2021, 2022):
        for regency in central_java:
            assert umkm_got(regency, year) == umkm_expected(rows, regency, year), (regency, year)
        assert umkm_got("33", year) == umkm_expected(rows, "33", year), year


# -- cooperatives: health on the band edges, RAT three years back ------------------------------------

BASE = {
    "jumlah_anggota": 200, "total_aset": 1_000_000_000, "aktiva_tetap": 100_000_000, "kas_bank": 24_000_000,
    "modal_sendiri": 300_000_000, "kewajiban_lancar": 200_000_000, "dana_diterima": 900_000_000,
    "simpanan_pokok_wajib": 100_000_000, "pinjaman_diberikan": 800_000_000, "pinjaman_anggota": 600_000_000,
    "pinjaman_kurang_lancar": 40_000_000, "pinjaman_diragukan": 20_000_000, "pinjaman_macet": 10_000_000,
    "cadangan_risiko": 30_000_000, "pinjaman_berisiko": 200_000_000, "atmr": 5_000_000_000,
    "pendapatan": 150_000_000, "partisipasi_bruto": 120_000_000, "beban_operasional_pelayanan": 90_000_000,
    "beban_usaha": 100_000_000, "beban_perkoperasian": 20_000_000, "biaya_karyawan": 40_000_000,
    "shu_sebelum_pajak": 100_000_000, "shu_bagian_anggota": 12_000_000, "promosi_ekonomi_anggota": 8_000_000,
    "skor_manajemen": 15, "volume_usaha": 500_000_000,
}  # fmt: skip
# With BASE the total is 62,75 + cadangan_risiko / Rp9.000.000 (component 6); other edges move one ratio.
EDGES = [
    ("total 79,995", {"cadangan_risiko": 20_205_000}),
    ("total 80", {"cadangan_risiko": 20_250_000}),
    ("total 79,99999", {"cadangan_risiko": 20_249_910}),
    ("total 66", {"cadangan_risiko": 0, "skor_manajemen": 3, "shu_sebelum_pajak": 60_000_000}),
    ("ratio 1 at 20,004%", {"modal_sendiri": 200_040_000}),
    ("ratio 1 at 20%", {"modal_sendiri": 200_000_000}),
    ("ratio 12 at 15,0001%", {"kas_bank": 30_000_200}),
    ("ratio 3 at 3,99999%", {"modal_sendiri": 199_999_500, "atmr": 5_000_000_000}),
    ("skor manajemen 7,33", {"skor_manajemen": Fraction(733, 100)}),
]
AS_OF = date(2024, 2, 29)
RATS = [date(2021, 2, 28), date(2021, 2, 27), date(2024, 2, 29), date(2022, 6, 30)]


def test_cooperatives_on_the_band_edges_and_the_rat_window(tmp_path, monkeypatch):
    from apps.koperasi.models import Assessment

    village = villages(PURBALINGGA)[0]
    coops, reports, parsed_coops, parsed_reports = [], [], [], []
    for i, (label, change) in enumerate(EDGES + [(f"RAT {d}", {}) for d in RATS]):
        nomor = f"{i + 1:03d}/BH/XVII/2010"
        rat = RATS[i - len(EDGES)] if i >= len(EDGES) else date(2023, 3, 1)
        coops.append({"nomor_badan_hukum": nomor, "nama": f"KSP {label}", "jenis": "KSP",
                      "tanggal_badan_hukum": "2010-01-05", "kode_wilayah": village, "alamat": "Jl. Raya 1",
                      "tanggal_pembubaran": ""})  # fmt: skip
        figures = {**BASE, **change}
        skor = Fraction(figures["skor_manajemen"])
        book_year = 2022 if i < len(EDGES) else rat.year - 1  # a RAT is held after its book year
        row = {"nomor_badan_hukum": nomor, "tahun_buku": str(book_year), "tanggal_rat": rat.isoformat()}
        row.update({k: str(v) for k, v in figures.items() if k != "skor_manajemen"})
        row["skor_manajemen"] = format(float(skor), ".2f") if skor.denominator != 1 else str(skor)
        reports.append(row)
        parsed_coops.append({"nomor_badan_hukum": nomor, "jenis": "KSP", "kode_wilayah": village,
                             "tanggal_badan_hukum": date(2010, 1, 5), "tanggal_pembubaran": None})  # fmt: skip
        parsed_reports.append({**{k: v for k, v in figures.items() if k != "skor_manajemen"}, "skor_manajemen": skor,
                               "nomor_badan_hukum": nomor, "tahun_buku": book_year, "tanggal_rat": rat})  # fmt: skip
    kop = write(tmp_path, "koperasi.csv", "koperasi", KOPERASI_COLUMNS, coops)
    lap = write(tmp_path, "laporan.csv", "laporan_koperasi", LAPORAN_COLUMNS, reports)
    import_twice(kop, monkeypatch, 5)
    import_twice(lap, monkeypatch, 3)
    # every predikat is the exact reading of the table
    for r in parsed_reports:
        a = Assessment.objects.get(koperasi__nomor_badan_hukum=r["nomor_badan_hukum"], tahun_buku=r["tahun_buku"])
        assert a.predikat_label == R.predikat(R.health_total(r, lending=True)), r["nomor_badan_hukum"]
    labels = dict(Assessment.objects.values_list("koperasi__nama", "predikat_label"))
    assert labels["KSP total 79,995"] == labels["KSP total 79,99999"] == "Cukup Sehat"
    assert labels["KSP total 80"] == "Sehat"
    shown = dict(Assessment.objects.values_list("koperasi__nama", "total_tampil"))
    assert (shown["KSP total 79,995"], shown["KSP total 79,99999"], shown["KSP total 80"]) == (
        "79.995",
        "79.99999",
        "80.00",
    )
    got = kpi(PURBALINGGA, 2022, AS_OF)
    want = R.koperasi_figures(parsed_coops, parsed_reports, {PURBALINGGA}, 2022, AS_OF)
    assert {k: got[k] for k in want} == want
    # RATs of 2021-02-28 (exactly three years before 29 February 2024), 2022-06-30 and 2024-02-29 count;
    # 2021-02-27 does not
    assert (got["koperasi_aktif"], got["koperasi_tidak_aktif"]) == (len(EDGES) + 3, 1)
