# ruff: noqa: E501  (tables of literal cases read better one per line)
"""Independent acceptance data in the exact SPEC templates, with the expected KPI figures.

Built from SPEC §3–§8 alone (no implementation code): the files an outside tester would import with
`manage.py import_data …`, the nasty cases the issues list, and the figures `manage.py kpi_report`
must print, computed by `reference.py` from the generated rows.

    python tests/acceptance/generate.py OUT_DIR [--scenario edge|article] [--scale 1.0] [--seed 1]

writes the files, `expected.json` (the figures per report, the rejected rows per file) and
`import.sh` (the commands in order). `generate(folder, ...)` does the same from Python and returns the
`Dataset`. Scenario `article` at scale 1 reproduces the figures of the 9 March 2020 article
(Purbalingga, Y=2019, D=2020-03-09); smaller scales keep its structure with fewer filler businesses.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import profiles as P  # type: ignore[no-redef]
    import reference as R  # type: ignore[no-redef]
else:
    from . import profiles as P
    from . import reference as R

WILAYAH = Path(__file__).resolve().parents[2] / "apps" / "regions" / "data" / "wilayah.csv.gz"
REGENCY, OTHER = "33.03", "33.02"
Y, D = 2019, date(2020, 3, 9)
Y2, D2 = 2021, date(2022, 3, 9)
REPORTS = [  # (region, year, as_of) reports whose figures expected.json holds
    (REGENCY, Y, D),
    (OTHER, Y, D),
    ("33", Y, D),
    (REGENCY, Y2, D2),
    (REGENCY, Y, date(2019, 6, 30)),  # as-of inside the year: the year's omzet stops at D
    (REGENCY, 2018, date(2019, 3, 9)),
]
ARTICLE = {
    "tukatuku_omzet_kumulatif": 129_000_000,
    "umkm_total": 96_592,
    "naik_kelas": {"mikro_kecil": 23, "kecil_menengah": 0, "menengah_besar": 0},
    "koperasi_total": 239,
    "koperasi_aktif": 171,
    "koperasi_tidak_aktif": 68,
    "koperasi_sehat": 129,
    "koperasi_tidak_sehat": 42,
    "koperasi_belum_dinilai": 0,
    "koperasi_dibubarkan_per_tahun": {"2018": 29},
}

UMKM_COLUMNS = ["nik", "nama_pemilik", "jenis_kelamin", "no_hp", "nama_usaha", "nib", "kbli", "sektor",
                "kode_wilayah", "alamat", "tahun_berdiri", "tahun_data", "modal_usaha", "omzet_tahunan",
                "tenaga_kerja"]  # fmt: skip
KOPERASI_COLUMNS = ["nomor_badan_hukum", "nama", "jenis", "tanggal_badan_hukum", "kode_wilayah", "alamat",
                    "tanggal_pembubaran"]  # fmt: skip
LAPORAN_COLUMNS = ["nomor_badan_hukum", "tahun_buku", "tanggal_rat", "jumlah_anggota", "total_aset", "aktiva_tetap",
                   "kas_bank", "modal_sendiri", "kewajiban_lancar", "dana_diterima", "simpanan_pokok_wajib",
                   "pinjaman_diberikan", "pinjaman_anggota", "pinjaman_kurang_lancar", "pinjaman_diragukan",
                   "pinjaman_macet", "cadangan_risiko", "pinjaman_berisiko", "atmr", "pendapatan",
                   "partisipasi_bruto", "beban_operasional_pelayanan", "beban_usaha", "beban_perkoperasian",
                   "biaya_karyawan", "shu_sebelum_pajak", "shu_bagian_anggota", "promosi_ekonomi_anggota",
                   "skor_manajemen", "volume_usaha"]  # fmt: skip
SHOPEE_COLUMNS = ["No. Pesanan", "Status Pesanan", "Waktu Pesanan Dibuat", "Waktu Pesanan Selesai", "SKU Induk",
                  "Nomor Referensi SKU", "Nama Produk", "Nama Variasi", "Harga Awal", "Harga Setelah Diskon",
                  "Jumlah", "Returned quantity", "Total Harga Produk", "Ongkos Kirim Dibayar oleh Pembeli",
                  "Total Pembayaran", "Kota/Kabupaten", "Provinsi"]  # fmt: skip
SHOPEE_EXTRA = ["Alasan Pembatalan", "Status Pembatalan/ Pengembalian", "No. Resi", "Opsi Pengiriman", "Username (Pembeli)",
                "Nama Penerima", "No. Telepon", "Alamat Pengiriman", "Catatan dari Pembeli"]  # fmt: skip
TOKOPEDIA_COLUMNS = ["Nomor Invoice", "Tanggal Pembayaran", "Status Terakhir", "Nama Barang", "Nomor SKU",
                     "Jumlah Barang", "Harga Jual (IDR)", "Ongkos Kirim (IDR)", "Total Penjualan (IDR)"]  # fmt: skip
BUKALAPAK_COLUMNS = ["ID Transaksi", "Tanggal", "Status", "Nama Barang", "SKU", "Jumlah", "Harga Satuan",
                     "Ongkos Kirim", "Total"]  # fmt: skip

FIRST = ["Siti", "Sri", "Budi", "Agus", "Dwi", "Eko", "Tri", "Rina", "Wahyu", "Yuli", "Slamet", "Sugeng", "Endang",
         "Nur", "Ani", "Joko", "Heru", "Lestari", "Puji", "Tuti", "Bambang", "Suparmi", "Darsono", "Wartini"]  # fmt: skip
LAST = ["Rahayu", "Santoso", "Prasetyo", "Wati", "Susanto", "Lestari", "Hidayat", "Kurniawan", "Astuti", "Saputra",
        "Widodo", "Purwanti", "Nugroho", "Setiawan", "Handayani", "Mulyadi"]  # fmt: skip
PRODUCTS = ["Keripik Tempe", "Gula Kelapa", "Knalpot", "Rambut Palsu", "Bulu Mata", "Batik Tulis", "Rajutan",
            "Nopia", "Sale Pisang", "Kopi Robusta", "Getuk Goreng", "Tahu Bakso", "Anyaman Bambu", "Sapu Glagah",
            "Dawet Ayu", "Jamu Gendong", "Konveksi", "Bengkel Las", "Warung Sembako", "Madu Klanceng"]  # fmt: skip
SECTORS = [("Industri Pengolahan", "10792"), ("Perdagangan", "47111"), ("Akomodasi dan Makan Minum", "56102"),
           ("Industri Pengolahan", "13921"), ("Pertanian", "01135"), ("Jasa", "95230"),
           ("Industri Pengolahan", "29300"), ("Perdagangan", "47721")]  # fmt: skip


def load_regions() -> tuple[dict[str, list[str]], list[str]]:
    """Villages of each regency we use, and every district code (for NIK prefixes)."""
    villages: dict[str, list[str]] = {REGENCY: [], OTHER: []}
    districts: list[str] = []
    with gzip.open(WILAYAH, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["kode"]
            parts = code.split(".")
            if len(parts) == 3:
                districts.append(code)
            elif len(parts) == 4 and code[:5] in villages:
                villages[code[:5]].append(code)
    return villages, districts


@dataclass
class ImportFile:
    kind: str
    path: Path
    options: list[str] = field(default_factory=list)  # extra command-line options, e.g. ["--channel", "shopee"]
    rows: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, column)
    duplicates: list[int] = field(default_factory=list)  # rows repeating an earlier row exactly
    expected_counts: dict[str, int] | None = None  # exact summary where the SPEC fixes it
    note: str = ""
    records: list[Any] = field(default_factory=list, repr=False)  # the valid rows, parsed, in file order

    def command(self) -> list[str]:
        return ["import_data", self.kind, str(self.path), *self.options]


@dataclass
class Dataset:
    folder: Path
    scenario: str
    seed: int
    files: list[ImportFile]
    expected: dict[tuple[str, int, str], dict[str, Any]]
    other_regency_umkm_rows: int = 0

    def files_of(self, *kinds: str) -> list[ImportFile]:
        return [f for f in self.files if f.kind in kinds]

    def figures(self, region: str = REGENCY, year: int = Y, as_of: date = D) -> dict[str, Any]:
        return self.expected[(region, year, as_of.isoformat())]

    def figures_after(self, files: list[ImportFile], region: str = REGENCY, year: int = Y,
                      as_of: date = D) -> dict[str, Any]:  # fmt: skip
        """The figures once only `files` (in this order) have been imported."""
        return compute_figures(files, region, year, as_of)


def compute_figures(files: list[ImportFile], region: str, year: int, as_of: date) -> dict[str, Any]:
    codes = {REGENCY, OTHER} if region == "33" else {region}
    records = {kind: [r for f in files if f.kind == kind for r in f.records]
               for kind in ("umkm", "koperasi", "laporan_koperasi", "penjualan")}  # fmt: skip
    figures: dict[str, Any] = {"regency": region, "year": year, "as_of": as_of.isoformat()}
    figures.update(R.omzet_figures(records["penjualan"], codes, year, as_of))
    figures.update(R.umkm_figures(records["umkm"], codes, year))
    figures["naik_kelas_angka_tetap"] = R.umkm_moves_with_unchanged_figures(records["umkm"], codes, year)
    figures.update(R.koperasi_figures(records["koperasi"], records["laporan_koperasi"], codes, year, as_of))
    return figures


# ------------------------------------------------------------------------------------------ helpers


class Builder:
    def __init__(self, scenario: str, seed: int, scale: float) -> None:
        self.scenario = scenario
        self.rng = random.Random(seed)
        self.scale = scale
        self.villages, districts = load_regions()
        self.district_set = set(districts)
        self.nik_districts = [d for d in districts if d.startswith(REGENCY + ".")]
        self.far_districts = [d for d in districts if d.startswith(("31.", "32.", "33.02", "34."))]
        self.niks: set[str] = set()
        self.nibs: set[str] = set()
        self.seq = 0

    # --- identities
    def nik(self, *, female: bool, district: str | None = None, birth: date | None = None) -> str:
        while True:
            d = district or (self.rng.choice(self.far_districts) if self.rng.random() < 0.05 else
                             self.rng.choice(self.nik_districts))  # fmt: skip
            b = birth or date(self.rng.randint(1955, 1999), self.rng.randint(1, 12), self.rng.randint(1, 28))
            day = b.day + (40 if female else 0)
            value = (
                d.replace(".", "") + f"{day:02d}{b.month:02d}{b.year % 100:02d}" + f"{self.rng.randint(1, 9999):04d}"
            )
            if value not in self.niks:
                self.niks.add(value)
                return value

    def nib(self) -> str:
        while True:
            value = "91" + "".join(self.rng.choice("0123456789") for _ in range(11))
            if value not in self.nibs:
                self.nibs.add(value)
                return value

    def person(self) -> tuple[str, str]:
        female = self.rng.random() < 0.55
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}", "P" if female else "L"


def money_for(rng: random.Random, kelas: str, year: int) -> tuple[int, int]:
    """(modal, omzet) strictly inside the class's band on both criteria (no boundary by accident)."""
    if year <= 2020:
        bands = {"mikro": ((5, 45), (20, 280)), "kecil": ((60, 480), (320, 2400)),
                 "menengah": ((600, 9000), (2600, 45000)), "besar": ((11000, 30000), (52000, 90000))}  # fmt: skip
    else:
        bands = {"mikro": ((5, 900), (20, 1900)), "kecil": ((1100, 4800), (2100, 14000)),
                 "menengah": ((5200, 9000), (16000, 45000)), "besar": ((11000, 30000), (52000, 90000))}  # fmt: skip
    (a0, a1), (s0, s1) = bands[kelas]
    return rng.randint(a0, a1) * 500_000 * 2, rng.randint(s0, s1) * 500_000 * 2


@dataclass
class Biz:
    nik: str
    owner: str
    gender: str
    phone: str
    name: str
    nib: str
    kbli: str
    sektor: str
    village: str
    founded: int
    years: dict[int, tuple[int, int | None]]
    names: dict[int, str] = field(default_factory=dict)  # per-year spelling of the name
    niks: dict[int, str] = field(default_factory=dict)  # per-year owner (a business sold with its NIB)
    villages: dict[int, str] = field(default_factory=dict)  # per-year address (moved within the regency)
    workers: int = 1

    def row(self, year: int) -> dict[str, str]:
        modal, omzet = self.years[year]
        return {
            "nik": self.niks.get(year, self.nik), "nama_pemilik": self.owner, "jenis_kelamin": self.gender, "no_hp": self.phone,
            "nama_usaha": self.names.get(year, self.name), "nib": self.nib, "kbli": self.kbli,
            "sektor": self.sektor, "kode_wilayah": self.villages.get(year, self.village),
            "alamat": f"RT 0{self.workers % 9 + 1}/RW 02, Desa {self.villages.get(year, self.village)[-4:]}", "tahun_berdiri": str(self.founded),
            "tahun_data": str(year), "modal_usaha": str(modal), "omzet_tahunan": "" if omzet is None else str(omzet),
            "tenaga_kerja": str(self.workers),
        }  # fmt: skip


def parsed_umkm(row: dict[str, str]) -> dict[str, Any]:
    return {
        "nik": row["nik"], "nib": row["nib"], "nama_usaha": row["nama_usaha"], "kode_wilayah": row["kode_wilayah"],
        "tahun_data": int(row["tahun_data"]),
        "modal_usaha": int(row["modal_usaha"]) if row["modal_usaha"] != "" else None,
        "omzet_tahunan": int(row["omzet_tahunan"]) if row["omzet_tahunan"] != "" else None,
    }  # fmt: skip


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]], *, excel: bool = False) -> None:
    """excel=True: as Excel saves "CSV UTF-8": a byte-order mark and CRLF line ends. A row {"_blank": …}
    is an empty line; columns missing from a row are written empty (extra export columns)."""
    with path.open("w", encoding="utf-8-sig" if excel else "utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n" if excel else "\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([] if "_blank" in r else [r.get(c, "") for c in columns])


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)


# ------------------------------------------------------------------------------------------ UMKM


def build_umkm(b: Builder, folder: Path) -> tuple[list[ImportFile], int]:
    rng = b.rng
    article = b.scenario == "article"
    businesses: list[Biz] = []

    def biz(years: dict[int, tuple[int, int | None]], *, regency: str = REGENCY, nib: bool | None = None,
            **kw: Any) -> Biz:  # fmt: skip
        owner, gender = b.person()
        gender = kw.pop("gender", gender)
        sektor, kbli = rng.choice(SECTORS)
        b.seq += 1
        has_nib = rng.random() < 0.7 if nib is None else nib
        item = Biz(
            nik=kw.pop("nik", None) or b.nik(female=gender == "P"), owner=owner, gender=gender,
            phone="" if rng.random() < 0.2 else f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
            name=f"{rng.choice(PRODUCTS)} {owner.split()[0]} {b.seq}", nib=b.nib() if has_nib else "",
            kbli="" if rng.random() < 0.1 else kbli, sektor=sektor, village=rng.choice(b.villages[regency]),
            founded=rng.randint(1985, 2016), years=years, workers=rng.randint(1, 9), **kw,
        )  # fmt: skip
        businesses.append(item)
        return item

    def cls(kelas: str, year: int) -> tuple[int, int]:
        return money_for(rng, kelas, year)

    # -- classification boundaries, UU 20/2008 (data year 2019, one record each)
    j, m = P.JUTA, 1000 * P.JUTA
    for modal, omzet in [
        (50 * j, 2000 * m), (50 * j + 1, 300 * j), (50 * j + 1, 300 * j + 1), (500 * j, 40_000 * j),
        (500 * j + 1, 2500 * j), (500 * j + 1, 2500 * j + 1), (10 * m, 60 * m), (10 * m + 1, 50 * m),
        (10 * m + 1, 50 * m + 1), (0, 0), (20 * m, 100 * j),
    ]:  # fmt: skip
        biz({Y: (modal, omzet)})
    # -- PP 7/2021 (data year 2021 only: not in the 2019 figures, in the 2021 ones)
    pp_cases: list[tuple[int, int | None]] = [
        (5 * m, 2 * m), (0, 2 * m + 1), (0, 15 * m), (0, 15 * m + 1), (0, 50 * m), (0, 50 * m + 1),
        (1 * m, None), (1 * m + 1, None), (5 * m, None), (5 * m + 1, None), (10 * m, None), (10 * m + 1, None),
    ]  # fmt: skip
    pp_biz = [biz({Y2: case}) for case in pp_cases]
    # -- a women's NIK on 29 February of a leap year is valid
    biz({2018: cls("mikro", 2018), Y: cls("mikro", Y)}, nik=b.nik(female=True, birth=date(1984, 2, 29)), gender="P")

    # -- naik kelas 2018 → 2019
    ups: list[tuple[str, str]] = [("mikro", "kecil")] * (19 if article else 6)  # + 4 special ones below
    if not article:
        ups += [("kecil", "menengah")] * 3 + [("menengah", "besar")] * 2 + [("mikro", "menengah")]
    for before, after in ups:
        biz({2017: cls(before, 2017), 2018: cls(before, 2018), Y: cls(after, Y)})
    # the same business without NIB, its name spelt differently in 2019 (identity: NIK + normalised name)
    spelt = biz({2018: cls("mikro", 2018), Y: cls("kecil", Y)}, nib=False)
    spelt.names[Y] = "  " + spelt.name.upper().replace(" ", "  ") + " "
    # identity by NIB: the name changed between the years
    renamed = biz({2018: cls("mikro", 2018), Y: cls("kecil", Y)}, nib=True)
    renamed.names[Y] = renamed.name + " Jaya"
    # boundary move: exactly Rp300 juta sales is still mikro, one rupiah more with capital > 50 juta is kecil
    revised = biz({2018: (60 * j, 300 * j), Y: (60 * j, 300 * j + 1)})  # mikro → kecil (counted)
    if not article:
        # identity by NIB: the business was sold, a new owner's NIK in 2019
        sold = biz({2018: cls("mikro", 2018), Y: cls("kecil", Y)}, nib=True)
        sold.niks[Y] = b.nik(female=False)
    # one owner, two businesses without NIB: two businesses
    twin = biz({2018: cls("mikro", 2018), Y: cls("mikro", Y)}, nib=False)
    biz({Y: cls("kecil", Y)}, nib=False, nik=twin.nik, gender=twin.gender)
    # moved to another village of the regency: one business
    moved = biz({2018: cls("kecil", 2018), Y: cls("kecil", Y)})
    moved.villages[Y] = next(v for v in b.villages[REGENCY] if v[:8] != moved.village[:8])
    # not counted: down, sideways, a gap year, moves in another regency, in 2020, a business new in 2019
    biz({2018: cls("kecil", 2018), Y: cls("mikro", Y)})
    biz({2018: cls("menengah", 2018), Y: cls("kecil", Y)})
    biz({2017: cls("mikro", 2017), Y: cls("kecil", Y)})  # no 2018 record
    biz({Y: cls("mikro", Y), 2020: cls("kecil", 2020)})
    biz({2018: cls("mikro", 2018), Y: cls("kecil", Y)}, regency=OTHER)
    biz({2018: cls("mikro", 2018), Y: cls("kecil", Y)}, regency=OTHER)
    biz({Y: cls("kecil", Y)})
    # a business known only from 2020 on does not count in 2019
    biz({2020: cls("mikro", 2020)})
    # 2020 → 2021 under the two laws: UU menengah → PP kecil (down); UU mikro by capital → PP kecil by sales
    biz({2020: (600 * j, 3 * m), Y2: (600 * j, 3 * m)})
    biz({2020: (40 * j, 1500 * j), Y2: (40 * j, 2500 * j)})
    # a correction file later updates these 2019 records
    corr_up = biz({2018: cls("mikro", 2018), Y: cls("mikro", Y)})  # becomes kecil in 2019 → counted
    corr_same = biz({2018: cls("kecil", 2018), Y: cls("kecil", Y)})  # new capital, same class
    corr_identical = biz({2018: cls("mikro", 2018), Y: cls("mikro", Y)})
    # other regency filler
    for _ in range(40):
        kelas = "mikro" if rng.random() < 0.9 else "kecil"
        biz({2018: cls(kelas, 2018), Y: cls(kelas, Y)}, regency=OTHER)

    # -- filler: no naik kelas among them (same class both years, or only one year)
    specials_counted = sum(1 for x in businesses if x.village.startswith(REGENCY) and any(y <= Y for y in x.years))
    target = round(ARTICLE["umkm_total"] * b.scale) if article else round(400 * b.scale)
    filler = max(target - specials_counted - 1, 0) if article else target  # -1: the new business of the revision
    for _ in range(filler):
        u = rng.random()
        kelas = "mikro" if u < 0.985 else "kecil" if u < 0.997 else "menengah" if u < 0.9995 else "besar"
        v = rng.random()
        if v < 0.85:
            years = {2018: cls(kelas, 2018), Y: cls(kelas, Y)}
        elif v < 0.93:
            years = {Y: cls(kelas, Y)}
        elif v < 0.98:
            years = {2018: cls(kelas, 2018)}
        else:
            years = {2018: cls(kelas, 2018), Y: cls(kelas, Y), 2020: cls(kelas, 2020)}
        biz(years)

    # -- rows of the main file, shuffled
    main_rows = [x.row(y) for x in businesses for y in sorted(x.years) if y <= 2020]
    rng.shuffle(main_rows)
    # exact duplicate rows, far from their originals
    for src in rng.sample(main_rows[: max(len(main_rows) // 2, 1)], 3):
        main_rows.insert(rng.randint(len(main_rows) // 2, len(main_rows)), {**src, "_dup": "1"})
    # and one right after its original (the same batch)
    k = len(main_rows) // 3
    main_rows.insert(k + 1, {**main_rows[k], "_dup": "1"})
    # invalid rows: (column, mutation) on a copy of a valid Purbalingga row, each with one defect
    base = [r for r in main_rows if r["kode_wilayah"].startswith(REGENCY)]
    men = [r for r in base if r["jenis_kelamin"] == "L"]
    women = [r for r in base if r["jenis_kelamin"] == "P"]
    nik_prefix = "330301"
    invalid: list[tuple[str, dict[str, str]]] = [
        ("nik", {"nik": nik_prefix + "0101850012"[:9]}),  # 15 digits
        ("nik", {"nik": nik_prefix + "01018500A2"}),
        ("nik", {"nik": "330399" + "0101850012"}),  # district 33.03.99 does not exist
        ("nik", {"nik": "990101" + "0101850012"}),  # no province 99
        ("nik", {"nik": nik_prefix + "3201850012"}),  # day 32 (a man)
        ("nik", {"nik": nik_prefix + "0013850012"}),  # month 13
        ("nik", {"nik": nik_prefix + "3502850012"}),  # day 35: neither a man's nor a woman's (41–71)
        ("nik", {"nik": nik_prefix + "0000850012"}),  # day 0
        ("nik", {"nik": nik_prefix + "3002850012"}),  # 30 February
        ("nik_p", {"nik": nik_prefix + "7201850012"}),  # woman, 72 − 40 = 32
        ("nik_p", {"nik": nik_prefix + "6902850012"}),  # woman, 29 February 1985/2085
        ("nik", {"nik": ""}),
        ("nib", {"nib": "912345678901"}),  # 12 digits
        ("nib", {"nib": "91234567890123"}),  # 14 digits
        ("nib", {"nib": "91234567890AB"}),
        ("kbli", {"kbli": "1079"}),
        ("kbli", {"kbli": "107921"}),
        ("kode_wilayah", {"kode_wilayah": "33.03.01.2999"}),  # no such village
        ("kode_wilayah", {"kode_wilayah": "33.03.01"}),  # a district, not a village
        ("modal_usaha", {"modal_usaha": "-5000000"}),
        ("omzet_tahunan", {"omzet_tahunan": "-1"}),
        ("modal_usaha", {"modal_usaha": "15000000.5"}),
        ("omzet_tahunan", {"omzet_tahunan": "dua juta"}),
        ("jenis_kelamin", {"jenis_kelamin": "X"}),
        ("jenis_kelamin", {"jenis_kelamin": ""}),
        ("tahun_data", {"tahun_data": "2099"}),
        ("tahun_data", {"tahun_data": "1899"}),
        ("tahun_data", {"tahun_data": "20l9"}),
        ("tahun_berdiri", {"tahun_berdiri": "1700"}),
        ("tahun_berdiri", {"tahun_berdiri": "2099"}),
        ("nama_usaha", {"nama_usaha": ""}),
    ]
    placed: list[tuple[str, dict[str, str]]] = []
    for column, change in invalid:
        src = dict(rng.choice(women if column == "nik_p" else men))
        src.update(change)
        if column in ("nib",):
            src["nama_usaha"] += " (NIB salah)"
        placed.append((column.replace("nik_p", "nik"), src))
    for column, row in placed:
        row["_invalid"] = column
        main_rows.insert(rng.randint(0, len(main_rows)), row)
    # an empty line: not a row, but the spreadsheet row numbers after it count it
    main_rows.insert(len(main_rows) // 4, {"_blank": "1"})

    umkm_main = ImportFile("umkm", folder / "umkm.csv", note="2017–2020, CSV")
    other_rows = sum(1 for r in main_rows if r.get("kode_wilayah", "").startswith(OTHER))
    for number, row in enumerate(main_rows, start=2):
        if "_blank" in row:
            continue
        umkm_main.rows += 1
        if row.pop("_dup", None):
            umkm_main.duplicates.append(number)
        if "_invalid" in row:
            umkm_main.rejected.append((number, row.pop("_invalid")))
        else:
            umkm_main.records.append(parsed_umkm(row))
    write_csv(umkm_main.path, UMKM_COLUMNS, main_rows)

    # -- 2021 in XLSX: header in other case, an extra column, money as number cells
    x_rows = [x.row(Y2) for x in businesses if Y2 in x.years]
    header = [c.upper() if i % 2 else c.title() for i, c in enumerate(UMKM_COLUMNS)] + ["Catatan Petugas"]
    umkm_2021 = ImportFile("umkm", folder / "umkm_2021.xlsx", note="2021, XLSX with extra column", rows=len(x_rows))
    xlsx_rows = []
    for i, r in enumerate(x_rows):
        cells: list[Any] = []
        for c in UMKM_COLUMNS:
            v = r[c]
            # money and years as number cells; NIK and NIB typed as numbers in every other row (exact in a double)
            numeric = c in ("tahun_berdiri", "tahun_data", "modal_usaha", "omzet_tahunan", "tenaga_kerja") or (
                c in ("nik", "nib") and i % 2 == 1
            )
            cells.append(int(v) if numeric and v != "" else (None if v == "" else v))
        xlsx_rows.append([*cells, "diverifikasi"])
        umkm_2021.records.append(parsed_umkm(r))
    # after an empty spreadsheet row, two invalid rows (row numbers as the spreadsheet shows them)
    xlsx_rows.append([None] * (len(UMKM_COLUMNS) + 1))
    for column, value in (("nib", "123"), ("omzet_tahunan", -5)):
        bad = list(xlsx_rows[0])
        bad[UMKM_COLUMNS.index(column)] = value
        bad[UMKM_COLUMNS.index("nama_usaha")] = f"Usaha Salah {column}"
        xlsx_rows.append(bad)
        umkm_2021.rejected.append((len(xlsx_rows) + 1, column))
        umkm_2021.rows += 1
    write_xlsx(umkm_2021.path, header, xlsx_rows)

    # -- corrections: two updates of 2019 records, one identical row, one new business
    corr_up.years[Y] = cls("kecil", Y)
    m0, o0 = corr_same.years[Y]
    corr_same.years[Y] = (m0 + 1_000_000, o0)
    new_one = biz({Y: cls("mikro", Y)})
    rev_rows = [corr_up.row(Y), corr_same.row(Y), corr_identical.row(Y), new_one.row(Y)]
    umkm_rev = ImportFile(
        "umkm",
        folder / "umkm_revisi_2019.csv",
        note="corrections",
        rows=len(rev_rows),
        expected_counts={"rows": 4, "created": 1, "updated": 2, "unchanged": 1, "rejected": 0},
    )
    umkm_rev.records = [parsed_umkm(r) for r in rev_rows]
    write_csv(umkm_rev.path, UMKM_COLUMNS, rev_rows, excel=True)
    del revised, pp_biz
    return [umkm_main, umkm_2021, umkm_rev], other_rows


# ------------------------------------------------------------------------------------------ cooperatives


@dataclass
class Coop:
    nomor: str
    nama: str
    jenis: str
    founded: date
    village: str
    dissolved: date | None
    reports: list[tuple[int, date | None, dict[str, int]]]

    def row(self) -> dict[str, str]:
        return {
            "nomor_badan_hukum": self.nomor, "nama": self.nama, "jenis": self.jenis,
            "tanggal_badan_hukum": self.founded.isoformat(), "kode_wilayah": self.village,
            "alamat": f"Jl. Raya {self.nama.split()[-1]} No. {len(self.nama)}",
            "tanggal_pembubaran": self.dissolved.isoformat() if self.dissolved else "",
        }  # fmt: skip


def build_koperasi(b: Builder, folder: Path) -> list[ImportFile]:
    rng = b.rng
    article = b.scenario == "article"
    coops: list[Coop] = []
    other_jenis = ["produsen", "konsumen", "jasa", "pemasaran"]

    def rat(book_year: int) -> date:
        return date(book_year + 1, rng.randint(1, 2), rng.randint(1, 28))

    def coop(jenis: str, reports: list[tuple[int, date | None, dict[str, int]]], *, regency: str = REGENCY,
             founded: date | None = None, dissolved: date | None = None) -> Coop:  # fmt: skip
        n = len(coops) + 1
        c = Coop(
            nomor=f"{1000 + n}/BH/XIV.{rng.randint(1, 30)}/{rng.choice(['III', 'VI', 'IX', 'XII'])}/{1990 + n % 25}",
            nama=f"{'KSP' if jenis == 'KSP' else 'Koperasi'} {rng.choice(LAST)} {rng.choice(PRODUCTS).split()[0]} {n}",
            jenis=jenis, founded=founded or date(rng.randint(1985, 2014), rng.randint(1, 12), rng.randint(1, 28)),
            village=rng.choice(b.villages[regency]), dissolved=dissolved, reports=reports,
        )  # fmt: skip
        coops.append(c)
        return c

    def healthy_reports(profile: dict[str, int], *, last_rat: date | None = None) -> list:
        """2017–2019 books with RATs early the next year; the 2019 book carries the profile scored."""
        reps = [(2017, rat(2017), rng.choice([P.PROFILES["P47_25"], P.PROFILES["P100"]])),
                (2018, rat(2018), rng.choice([P.PROFILES["P47_25"], P.PROFILES["P100"]])),
                (2019, last_rat or date(2020, rng.randint(1, 2), rng.randint(1, 28)), profile)]  # fmt: skip
        return reps

    def active(sehat: bool, kind: int) -> Coop:
        """An assessed active cooperative; kind cycles through types and profiles."""
        if kind % 7 == 5:
            jenis = rng.choice(other_jenis)
            pool = P.NON_LENDING_SEHAT if sehat else P.NON_LENDING_TIDAK_SEHAT
            return coop(jenis, healthy_reports(pool[rng.choice(sorted(pool))]))
        if kind % 7 == 6:
            return coop("KSU", healthy_reports(P.PROFILES["P100" if sehat else "P47_25"]))
        names = P.SEHAT_KSP if sehat else P.TIDAK_SEHAT_KSP
        return coop("KSP", healthy_reports(P.PROFILES[names[kind % len(names)]]))

    def inactive(kind: int) -> Coop:
        jenis = rng.choice(["KSP", "KSU", *other_jenis])
        k = kind % 4
        if k == 0:  # last RAT long ago
            return coop(jenis, [(2014, rat(2014), P.PROFILES["P100"]), (2015, date(2016, 3, 1), P.PROFILES["P100"])])
        if k == 1:  # reports, but no RAT held since 2016
            return coop(jenis, [(2015, rat(2015), P.PROFILES["P80"])] + [
                (y, None, P.PROFILES["P100"]) for y in (2017, 2018, 2019)])  # fmt: skip
        if k == 2:  # never reported
            return coop(jenis, [])
        # the only recent RAT is after D
        return coop(
            jenis, [(2015, date(2016, 2, 10), P.PROFILES["P100"]), (2019, date(2020, 3, 10), P.PROFILES["P100"])]
        )

    # ---- edge cases present in both scenarios
    n_sehat = n_tidak = n_inactive = 0
    # RAT exactly on D, scored 80 → Sehat; RAT one day after D only → inactive; window edge D − 3 years − 1 day
    coop("KSP", healthy_reports(P.PROFILES["P80"], last_rat=D))
    n_sehat += 1
    coop("KSP", [(2015, date(2016, 3, 1), P.PROFILES["P100"]), (2019, D + timedelta(days=1), P.PROFILES["P100"])])
    coop("KSP", [(2016, date(2017, 3, 8), P.PROFILES["P100"])])
    n_inactive += 2
    # the book year counts, not the latest report: 2019 sehat between bad years, and the reverse
    coop("KSP", [(2018, rat(2018), P.PROFILES["P47_25"]), (2019, rat(2019), P.PROFILES["P100"]),
                 (2020, date(2021, 2, 20), P.PROFILES["P47_25"])])  # fmt: skip
    coop("KSP", [(2018, rat(2018), P.PROFILES["P100"]), (2019, rat(2019), P.PROFILES["P65_5"]),
                 (2020, date(2021, 2, 20), P.PROFILES["P100"])])  # fmt: skip
    n_sehat += 1
    n_tidak += 1
    # corrected later by laporan_koperasi_revisi.csv: a 2019 book re-scored from 100 to 65.5 (→ tidak sehat);
    # a cooperative whose 2019 RAT date arrives late (→ active, scored 100)
    rescored = coop("KSP", healthy_reports(P.PROFILES["P100"]))
    late_rat = coop(
        "KSP",
        [(2015, date(2016, 1, 20), P.PROFILES["P80"])] + [(y, None, P.PROFILES["P100"]) for y in (2017, 2018, 2019)],
    )
    n_tidak += 1
    n_sehat += 1
    # dissolved after D: still registered, active, assessed
    coop("KSP", healthy_reports(P.PROFILES["P66"]), dissolved=date(2020, 6, 30))
    n_sehat += 1
    # dissolved in 2018, some with RATs inside the window (they must not count as active)
    n_diss_2018 = 29 if article else 5
    for i in range(n_diss_2018):
        when = (
            [date(2018, 1, 1), date(2018, 12, 31)][i] if i < 2 else date(2018, rng.randint(1, 12), rng.randint(1, 28))
        )
        reps = [(2016, date(2017, 4, 15), P.PROFILES["P100"])] if i % 3 == 0 else []
        coop(rng.choice(["KSP", "KSU", *other_jenis]), reps, dissolved=when)
    # another regency: active sehat, inactive, dissolved in 2018
    for _ in range(3):
        coop("KSP", healthy_reports(P.PROFILES["P100"]), regency=OTHER)
    coop("KSU", [], regency=OTHER)
    coop("KSP", [], regency=OTHER, dissolved=date(2018, 5, 5))
    if not article:
        # RAT exactly D − 3 years: active; no 2019 book → belum dinilai. Only a 2018 book: belum dinilai.
        coop("KSP", [(2016, date(2017, 3, 9), P.PROFILES["P100"])])
        coop("jasa", [(2018, date(2019, 3, 15), P.PROFILES["P100"])])
        # dissolved on D, in 2017, founded after D, founded on D
        coop("KSP", healthy_reports(P.PROFILES["P100"]), dissolved=D)
        coop("konsumen", [], dissolved=date(2017, 6, 30))
        coop("KSP", [], founded=date(2020, 5, 1))
        coop("jasa", [], founded=D)
        n_inactive += 1
        # a late RAT: the 2014 books approved on 2017-12-01, inside the window → active, not assessed for 2019
        coop("KSU", [(2014, date(2017, 12, 1), P.PROFILES["P100"])])
        # its dissolution arrives in a later koperasi file (dissolved 2019-11-30)
        to_dissolve = coop("produsen", [(2015, date(2016, 2, 2), P.PROFILES["P100"])])

    # ---- fill to the article's figures (or a small mix)
    goal_sehat, goal_tidak, goal_inactive = (129, 42, 68) if article else (20, 12, 10)
    for i in range(goal_sehat - n_sehat):
        active(True, i)
    for i in range(goal_tidak - n_tidak):
        active(False, i)
    for i in range(goal_inactive - n_inactive):
        inactive(i)

    rng.shuffle(coops)
    koperasi = ImportFile("koperasi", folder / "koperasi.csv")
    rows = [c.row() for c in coops]
    koperasi.records = [
        {"nomor_badan_hukum": c.nomor, "jenis": c.jenis, "tanggal_badan_hukum": c.founded, "kode_wilayah": c.village,
         "tanggal_pembubaran": c.dissolved} for c in coops]  # fmt: skip
    # one exact duplicate row; invalid rows
    rows.insert(len(rows) // 2, {**rows[3], "_dup": "1"})
    template = coops[0]
    bad = [
        ("jenis", {"jenis": "lainnya"}),
        ("tanggal_badan_hukum", {"tanggal_badan_hukum": "2019-02-30"}),
        ("kode_wilayah", {"kode_wilayah": "33.03.05.2999"}),
        ("nama", {"nama": ""}),
        ("nomor_badan_hukum", {"nomor_badan_hukum": ""}),
    ]
    for i, (column, change) in enumerate(bad):
        r = template.row()
        r.update({"nomor_badan_hukum": f"9{i}/BH/SALAH/2001", **change})
        r["_invalid"] = column
        rows.insert(rng.randint(0, len(rows)), r)
    for number, r in enumerate(rows, start=2):
        if r.pop("_dup", None):
            koperasi.duplicates.append(number)
        if "_invalid" in r:
            koperasi.rejected.append((number, r.pop("_invalid")))
    koperasi.rows = len(rows)
    write_csv(koperasi.path, KOPERASI_COLUMNS, rows)

    # reports: books up to 2018 in CSV, 2019–2020 in XLSX
    def rep_row(c: Coop, year: int, when: date | None, fin: dict[str, int]) -> dict[str, str]:
        r = {"nomor_badan_hukum": c.nomor, "tahun_buku": str(year), "tanggal_rat": when.isoformat() if when else ""}
        r.update({k: str(v) for k, v in fin.items()})
        return r

    all_reports = [rep_row(c, y, w, f) for c in coops for (y, w, f) in c.reports]
    early = [r for r in all_reports if int(r["tahun_buku"]) <= 2018]
    late = [r for r in all_reports if int(r["tahun_buku"]) >= 2019]
    rng.shuffle(early)
    some = next(c for c in coops if c.reports and not c.dissolved)
    bad_reports = [
        ("nomor_badan_hukum", {"nomor_badan_hukum": "77/BH/TIDAK-ADA/1999"}),
        ("skor_manajemen", {"skor_manajemen": "16"}),
        ("total_aset", {"total_aset": "-1000"}),
        ("kas_bank", {"kas_bank": "12500000.5"}),
        ("tanggal_rat", {"tanggal_rat": "2018-02-30"}),
        ("tahun_buku", {"tahun_buku": "2099"}),
    ]
    for column, change in bad_reports:
        r = rep_row(some, 2012, date(2013, 3, 1), P.PROFILES["P100"])
        r.update(change)
        r["_invalid"] = column
        early.insert(rng.randint(0, len(early)), r)
    laporan_csv = ImportFile("laporan_koperasi", folder / "laporan_koperasi_2012_2018.csv")
    valid_early = []
    for number, r in enumerate(early, start=2):
        if "_invalid" in r:
            laporan_csv.rejected.append((number, r.pop("_invalid")))
        else:
            valid_early.append(r)
    laporan_csv.rows = len(early)
    # header names, not positions, identify the columns: this file has them in another order
    write_csv(laporan_csv.path, LAPORAN_COLUMNS[2:] + LAPORAN_COLUMNS[:2], early)
    laporan_xlsx = ImportFile("laporan_koperasi", folder / "laporan_koperasi_2019_2020.xlsx", rows=len(late))
    write_xlsx(
        laporan_xlsx.path,
        LAPORAN_COLUMNS,
        [[r["nomor_badan_hukum"], int(r["tahun_buku"]),
          (date.fromisoformat(r["tanggal_rat"]) if i % 2 else r["tanggal_rat"]) if r["tanggal_rat"] else None,
          *[int(r[c]) for c in LAPORAN_COLUMNS[3:]]] for i, r in enumerate(late)],
    )  # fmt: skip
    revisi_rows = [
        rep_row(rescored, 2019, rescored.reports[-1][1], P.PROFILES["P65_5"]),
        rep_row(late_rat, 2019, date(2020, 2, 20), P.PROFILES["P100"]),
    ]
    laporan_rev = ImportFile("laporan_koperasi", folder / "laporan_koperasi_revisi.csv", rows=2,
                             expected_counts={"rows": 2, "created": 0, "updated": 2, "unchanged": 0, "rejected": 0})  # fmt: skip
    write_csv(laporan_rev.path, LAPORAN_COLUMNS, revisi_rows, excel=True)
    for target, source in ((laporan_csv, valid_early), (laporan_xlsx, late), (laporan_rev, revisi_rows)):
        for r in source:
            parsed: dict[str, Any] = {k: int(v) for k, v in r.items() if k not in ("nomor_badan_hukum", "tanggal_rat")}
            parsed["nomor_badan_hukum"] = r["nomor_badan_hukum"]
            parsed["tanggal_rat"] = date.fromisoformat(r["tanggal_rat"]) if r["tanggal_rat"] else None
            target.records.append(parsed)
    files = [koperasi, laporan_csv, laporan_xlsx, laporan_rev]
    if not article:
        to_dissolve.dissolved = date(2019, 11, 30)
        update = ImportFile("koperasi", folder / "koperasi_pembubaran.csv", rows=1,
                            expected_counts={"rows": 1, "created": 0, "updated": 1, "unchanged": 0, "rejected": 0})  # fmt: skip
        write_csv(update.path, KOPERASI_COLUMNS, [to_dissolve.row()])
        update.records = [
            {"nomor_badan_hukum": to_dissolve.nomor, "jenis": to_dissolve.jenis,
             "tanggal_badan_hukum": to_dissolve.founded, "kode_wilayah": to_dissolve.village,
             "tanggal_pembubaran": to_dissolve.dissolved}]  # fmt: skip
        files.insert(1, update)
    return files


# ------------------------------------------------------------------------------------------ marketplaces


def rp_styles(value: int, style: int) -> str:
    """The four ways SPEC §6 says amounts are written."""
    dotted = f"{value:,}".replace(",", ".")
    return [f"Rp{dotted}", dotted, str(value), f"{value}.0"][style % 4]


def dt_styles(when: datetime, style: int) -> str:
    """The three ways SPEC §6 says dates are written (the date-only one drops the time)."""
    return [when.strftime("%Y-%m-%d %H:%M"), when.strftime("%d-%m-%Y %H:%M"), when.strftime("%d/%m/%Y")][style % 3]


def build_penjualan(b: Builder, folder: Path) -> list[ImportFile]:
    rng = b.rng
    article = b.scenario == "article"
    lines: list[R.SaleLine] = []
    files: list[ImportFile] = []

    # ---------------- Shopee: two overlapping exports
    def shopee(order: str, status: str, created: datetime, done: datetime | None, sku: str, name: str, price: int,
               qty: int, returned: int, style: int) -> dict[str, str]:  # fmt: skip
        ongkir = 9000 + 1000 * (style % 3)
        return {
            "No. Pesanan": order, "Status Pesanan": status, "Waktu Pesanan Dibuat": created.strftime("%Y-%m-%d %H:%M"),
            "Waktu Pesanan Selesai": dt_styles(done, style) if done else "", "SKU Induk": sku,
            "Nomor Referensi SKU": f"{sku}-STD" if sku else "", "Nama Produk": name, "Nama Variasi": "Standar",
            "Harga Awal": rp_styles(price + 2500, style), "Harga Setelah Diskon": rp_styles(price, style),
            "Jumlah": str(qty), "Returned quantity": str(returned), "Total Harga Produk": rp_styles(price * qty, style),
            "Ongkos Kirim Dibayar oleh Pembeli": rp_styles(ongkir, style),
            "Total Pembayaran": rp_styles(price * qty + ongkir, style), "Kota/Kabupaten": "Kab. Purbalingga",
            "Provinsi": "Jawa Tengah",
        }  # fmt: skip

    def shopee_line(row: dict[str, str], done: datetime | None, price: int, qty: int, returned: int) -> R.SaleLine:
        return R.SaleLine("shopee", row["No. Pesanan"], row["SKU Induk"], row["Nama Produk"],
                          row["Status Pesanan"] == "Selesai", done, price * (qty - returned))  # fmt: skip

    t = datetime
    file1: list[tuple[dict[str, str], R.SaleLine]] = []
    file2: list[tuple[dict[str, str], R.SaleLine]] = []

    def add(target: list, order: str, status: str, created: datetime, done: datetime | None, sku: str, name: str,
            price: int, qty: int, returned: int = 0, style: int = 0) -> None:  # fmt: skip
        row = shopee(
            order, status, created, done if status == "Selesai" else None, sku, name, price, qty, returned, style
        )
        target.append((row, shopee_line(row, done if status == "Selesai" else None, price, qty, returned)))

    add(
        file1,
        "191101AAA01",
        "Selesai",
        t(2019, 11, 1, 10),
        t(2019, 11, 2, 14, 5),
        "KRP-01",
        "Keripik Tempe",
        12500,
        2,
        0,
        0,
    )
    # shipped in file 1, completed in file 2 (once in 2020, once in 2019)
    add(file1, "191120BBB02", "Sedang Dikirim", t(2019, 11, 20, 9), None, "GLK-05", "Gula Kelapa 1 kg", 40000, 3)
    add(file2, "191120BBB02", "Selesai", t(2019, 11, 20, 9), t(2020, 1, 2, 9, 30), "GLK-05", "Gula Kelapa 1 kg", 40000, 3,
        0, 1)  # fmt: skip
    add(file1, "191226BBB03", "Sedang Dikirim", t(2019, 12, 26, 9), None, "NOP-02", "Nopia Bawang", 15000, 4)
    add(
        file2,
        "191226BBB03",
        "Selesai",
        t(2019, 12, 26, 9),
        t(2019, 12, 28, 16),
        "NOP-02",
        "Nopia Bawang",
        15000,
        4,
        0,
        2,
    )
    # present, completed, in both exports
    for target in (file1, file2):
        add(
            target,
            "191204CCC04",
            "Selesai",
            t(2019, 12, 4, 7),
            t(2019, 12, 5, 8),
            "RJT-11",
            "Tas Rajut",
            12500,
            4,
            0,
            3,
        )
    # a returned item; a cancelled line; completed in 2018; created 2018, completed 2019; a line without SKU
    add(
        file1,
        "191010DDD05",
        "Selesai",
        t(2019, 10, 10, 8),
        t(2019, 10, 14, 12),
        "KOP-01",
        "Kopi Robusta",
        12500,
        3,
        1,
        1,
    )
    add(file1, "191015EEE06", "Batal", t(2019, 10, 15, 8), None, "KNP-09", "Knalpot Racing", 100000, 5)
    add(
        file1,
        "181218FFF07",
        "Selesai",
        t(2018, 12, 18, 8),
        t(2018, 12, 20, 11),
        "BTK-03",
        "Batik Tulis",
        75000,
        2,
        0,
        2,
    )
    add(file1, "181228GGG08", "Selesai", t(2018, 12, 28, 8), t(2019, 1, 2, 10), "BLM-01", "Bulu Mata", 60000, 1, 0, 1)
    add(file1, "190805HHH09", "Selesai", t(2019, 8, 5, 8), t(2019, 8, 9, 8), "", "Gula Kelapa Kristal 500 g", 18000, 6)
    # completed in file 1; file 2 reports two of the four returned (a later export updates the line)
    add(file1, "190901III10", "Selesai", t(2019, 9, 1, 8), t(2019, 9, 4, 8), "SLP-02", "Sale Pisang", 30000, 4, 0, 0)
    add(file2, "190901III10", "Selesai", t(2019, 9, 1, 8), t(2019, 9, 4, 8), "SLP-02", "Sale Pisang", 30000, 4, 2, 0)
    # one order, two products
    add(file1, "190702JJJ11", "Selesai", t(2019, 7, 2, 8), t(2019, 7, 6, 8), "ANY-01", "Anyaman Bambu", 45000, 1, 0, 1)
    add(file1, "190702JJJ11", "Selesai", t(2019, 7, 2, 8), t(2019, 7, 6, 8), "SPU-01", "Sapu Glagah", 22500, 2, 0, 1)
    # around D (end of day, WIB)
    add(
        file2,
        "200305KKK12",
        "Selesai",
        t(2020, 3, 5, 8),
        t(2020, 3, 9, 23, 30),
        "MDU-01",
        "Madu Klanceng",
        99000,
        1,
        0,
        0,
    )
    add(
        file2,
        "200306LLL13",
        "Selesai",
        t(2020, 3, 6, 8),
        t(2020, 3, 10, 0, 5),
        "MDU-01",
        "Madu Klanceng",
        77000,
        1,
        0,
        1,
    )
    add(
        file2,
        "191231PPP16",
        "Selesai",
        t(2019, 12, 31, 8),
        t(2020, 1, 1, 0, 0),
        "GTK-01",
        "Getuk Goreng",
        16000,
        2,
        0,
        1,
    )
    add(file2, "200307MMM14", "Belum Bayar", t(2020, 3, 7, 8), None, "KRP-01", "Keripik Tempe", 12500, 2)
    add(
        file2,
        "200110NNN15",
        "Selesai",
        t(2020, 1, 10, 8),
        t(2020, 1, 15, 8),
        "JMU-01",
        "Jamu Kunyit Asam",
        25000,
        2,
        2,
        2,
    )
    # filler
    n_fill = 60 if article else 20
    for i in range(n_fill):
        created = t(2019, 1, 1) + timedelta(minutes=rng.randint(0, 60 * 24 * 360))
        done = created + timedelta(days=rng.randint(2, 6), minutes=rng.randint(0, 600))
        status = "Selesai" if rng.random() < 0.85 else "Batal"
        add(file1 if i % 2 else file2, f"19F{i:05d}SH", status, created, done, f"FIL-{i % 13:02d}", rng.choice(PRODUCTS),
            rng.randint(10, 200) * 500, rng.randint(1, 5), 0, i)  # fmt: skip
    for name, part in (("shopee_ekspor_1.csv", file1), ("shopee_ekspor_2.csv", file2)):
        f = ImportFile("penjualan", folder / name, ["--channel", "shopee"], rows=len(part))
        # a real export has many more columns than the template's
        write_csv(f.path, SHOPEE_COLUMNS[:2] + SHOPEE_EXTRA + SHOPEE_COLUMNS[2:], [r for r, _ in part])
        f.records = [line for _, line in part]
        lines.extend(f.records)
        files.append(f)

    # ---------------- Tokopedia XLSX report
    toko: list[list[Any]] = []

    def tokopedia(inv: str, when: datetime, when_cell: Any, status: str, name: str, sku: str, qty: int, price: int,
                  price_cell: Any) -> None:  # fmt: skip
        ongkir = 10000
        toko.append([inv, when_cell, status, name, sku or None, qty, price_cell, ongkir, price * qty + ongkir])
        lines.append(R.SaleLine("tokopedia", inv, sku, name, status == "Pesanan Selesai", when, price * qty))

    w = t(2019, 11, 2, 14, 5)
    tokopedia(
        "INV/20191102/XIX/XI/101", w, dt_styles(w, 1), "Pesanan Selesai", "Keripik Tempe", "KRP-01", 2, 35000, 35000
    )
    w = t(2019, 7, 15, 10, 20)
    tokopedia("INV/20190715/XIX/VII/102", w, w, "Pesanan Selesai", "Batik Tulis", "BTK-03", 1, 85000, "Rp85.000")
    w = t(2019, 8, 1, 10)
    tokopedia(
        "INV/20190801/XIX/VIII/103", w, dt_styles(w, 0), "Dibatalkan Pembeli", "Knalpot", "KNP-09", 1, 90000, 90000
    )
    w = t(2020, 2, 14)
    tokopedia("INV/20200214/XX/II/104", w, dt_styles(w, 2), "Pesanan Selesai", "Nopia", "NOP-02", 3, 20000, "20.000")
    w = t(2020, 3, 15, 9)
    tokopedia("INV/20200315/XX/III/105", w, dt_styles(w, 0), "Pesanan Selesai", "Nopia", "NOP-02", 1, 20000, 20000)
    w = t(2018, 8, 17, 9)
    tokopedia("INV/20180817/XVIII/VIII/106", w, dt_styles(w, 0), "Pesanan Selesai", "Kopi", "KOP-01", 1, 55000, 55000)
    w = t(2019, 12, 31, 23, 59)
    tokopedia(
        "INV/20191231/XIX/XII/108", w, dt_styles(w, 0), "Pesanan Selesai", "Getuk Goreng", "GTK-01", 3, 16000, 16000
    )
    w = t(2019, 5, 5, 5)
    tokopedia(
        "INV/20190505/XIX/V/107", w, dt_styles(w, 1), "Pesanan Selesai", "Dawet Ayu Botol", "", 4, 12500, "12500.0"
    )
    for i in range(30 if article else 10):
        w = t(2019, 1, 1, 8) + timedelta(hours=rng.randint(0, 24 * 430))
        price = rng.randint(10, 150) * 500
        tokopedia(f"INV/{w:%Y%m%d}/F/{i}", w, dt_styles(w, i), "Pesanan Selesai" if i % 5 else "Pesanan Dikirim",
                  rng.choice(PRODUCTS), f"TKF-{i:03d}", rng.randint(1, 4), price, rp_styles(price, i))  # fmt: skip
    f = ImportFile("penjualan", folder / "tokopedia_laporan.xlsx", ["--channel", "tokopedia"], rows=len(toko))
    f.records = lines[len(files[0].records) + len(files[1].records) :]
    write_xlsx(f.path, TOKOPEDIA_COLUMNS, toko)
    files.append(f)

    # ---------------- Bukalapak historical CSV
    buka: list[dict[str, str]] = []
    buka_file = ImportFile("penjualan", folder / "bukalapak_transaksi.csv", ["--channel", "bukalapak"])

    def bukalapak(tid: str, when: datetime, text: str, status: str, name: str, sku: str, qty: int, price: int,
                  style: int, *, bad_price: str | None = None) -> None:  # fmt: skip
        ongkir = 8000
        buka.append({"ID Transaksi": tid, "Tanggal": text, "Status": status, "Nama Barang": name, "SKU": sku,
                     "Jumlah": str(qty), "Harga Satuan": bad_price or rp_styles(price, style),
                     "Ongkos Kirim": rp_styles(ongkir, style), "Total": rp_styles(price * qty + ongkir, style)})  # fmt: skip
        if bad_price:
            buka_file.rejected.append((len(buka) + 1, "Harga Satuan"))
        else:
            lines.append(R.SaleLine("bukalapak", tid, sku, name, status == "Selesai", when, price * qty))

    bukalapak("BL191102A1", t(2019, 11, 2), "02/11/2019", "Selesai", "Rambut Palsu", "RMB-01", 10, 12500, 0)
    # the same order number as a Shopee order: another channel, another line
    bukalapak("191101AAA01", t(2019, 11, 3), "03/11/2019", "Selesai", "Keripik Tempe", "KRP-01", 1, 13000, 2)
    bukalapak(
        "BL180520A2", t(2018, 5, 20, 13, 45), "2018-05-20 13:45", "Selesai", "Batik Tulis", "BTK-03", 2, 150000, 1
    )
    bukalapak("BL190601A3", t(2019, 6, 1, 9), "01-06-2019 09:00", "Dibatalkan", "Knalpot", "KNP-09", 1, 350000, 2)
    bukalapak("BL181231A4", t(2018, 12, 31, 23, 59), "31-12-2018 23:59", "Selesai", "Getuk", "GTK-01", 1, 40000, 3)
    bukalapak("BL190101A5", t(2019, 1, 1), "01/01/2019", "Selesai", "Nopia", "NOP-02", 2, 27500, 1)
    bukalapak("BL200309A6", t(2020, 3, 9), "09/03/2020", "Selesai", "Kopi", "KOP-01", 1, 33000, 2)  # on D
    bukalapak("BL200105A7", t(2020, 1, 5), "05/01/2020", "Selesai", "Madu", "MDU-01", 1, 21000, 0)  # 5 January
    bukalapak("BL190420A8", t(2019, 4, 20, 10), "2019-04-20 10:00", "Selesai", "Sapu", "SPU-01", 1, 19000, 0)
    bukalapak("BL190420A8", t(2019, 4, 20, 10), "2019-04-20 10:00", "Selesai", "Sapu", "SPU-01", 1, 19000, 0)  # again
    buka_file.duplicates.append(len(buka) + 1)
    bukalapak("BL190612A9", t(2019, 6, 12), "12/06/2019", "Selesai", "Anyaman", "ANY-01", 1, 0, 0,
              bad_price="dua belas ribu")  # fmt: skip
    bukalapak("BL200310B1", t(2020, 3, 10), "10/03/2020", "Selesai", "Kopi", "KOP-01", 1, 44000, 1)  # after D
    # filler; in the article, up to Rp129 juta with one balancing line
    i = 0
    while (
        (i < 25) if not article else (R.omzet_figures(lines, {REGENCY}, Y, D)["tukatuku_omzet_kumulatif"] < 118_000_000)
    ):
        w = t(2018, 3, 1, 8) + timedelta(hours=rng.randint(0, 24 * 640))
        bukalapak(f"BLF{i:06d}", w, dt_styles(w, i), "Selesai" if i % 9 else "Dibatalkan", rng.choice(PRODUCTS),
                  f"BLF-{i % 17:02d}", rng.randint(1, 4), rng.randint(40, 400) * 1000, i)  # fmt: skip
        i += 1
    if article:
        so_far = R.omzet_figures(lines, {REGENCY}, Y, D)["tukatuku_omzet_kumulatif"]
        rest = ARTICLE["tukatuku_omzet_kumulatif"] - so_far
        assert rest > 0, so_far
        w = t(2019, 12, 20, 10)
        bukalapak("BL191220Z9", w, dt_styles(w, 0), "Selesai", "Paket Oleh-oleh Purbalingga (pesanan OPD)", "PKT-OPD",
                  1, rest, 0)  # fmt: skip
    buka_file.rows = len(buka)
    write_csv(buka_file.path, BUKALAPAK_COLUMNS, buka)
    buka_file.records = lines[sum(len(f.records) for f in files) :]
    files.append(buka_file)
    return files


# ------------------------------------------------------------------------------------------ all


def generate(folder: str | Path, *, scenario: str = "edge", seed: int = 1, scale: float = 1.0) -> Dataset:
    """Write every file into `folder`; return the dataset with the expected figures."""
    assert scenario in ("edge", "article"), scenario
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    b = Builder(scenario, seed, scale)
    umkm_files, other_rows = build_umkm(b, folder)
    files = umkm_files + build_koperasi(b, folder) + build_penjualan(b, folder)
    expected = {(region, year, as_of.isoformat()): compute_figures(files, region, year, as_of)
                for region, year, as_of in REPORTS}  # fmt: skip
    data = Dataset(folder, scenario, seed, files, expected, other_rows)
    if scenario == "article" and scale == 1.0:
        mine = data.figures()
        for key, value in ARTICLE.items():
            assert mine[key] == value, (key, mine[key], value)
    _write_manifest(data)
    return data


def _write_manifest(data: Dataset) -> None:
    manifest = {
        "scenario": data.scenario,
        "seed": data.seed,
        "files": [
            {
                "kind": f.kind,
                "file": f.path.name,
                "options": f.options,
                "rows": f.rows,
                "rejected": [{"row": r, "column": c} for r, c in f.rejected],
                "duplicates": f.duplicates,
                "expected_counts": f.expected_counts,
                "note": f.note,
            }
            for f in data.files
        ],  # fmt: skip
        "reports": list(data.expected.values()),
    }
    (data.folder / "expected.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    lines = ["#!/bin/sh", "# import in this order, then compare kpi_report with expected.json", "set -e"]
    lines += [f"python manage.py import_data {f.kind} {f.path} {' '.join(f.options)}".rstrip() for f in data.files]
    for region, year, as_of in REPORTS:
        lines.append(f"python manage.py kpi_report --regency {region} --year {year} --as-of {as_of} --format json")
    (data.folder / "import.sh").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--scenario", choices=["edge", "article"], default="edge")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    data = generate(args.folder, scenario=args.scenario, seed=args.seed, scale=args.scale)
    print(json.dumps(data.figures(), ensure_ascii=False))
    print(f"files and expected.json in {data.folder}; commands in {data.folder / 'import.sh'}", file=sys.stderr)


if __name__ == "__main__":
    main()
