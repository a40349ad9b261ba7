"""Reference calculation of the SPEC §8 KPI figures, written from SPEC §3–§8, the health-assessment
table (../shared/domain/penilaian-kesehatan-ksp.md) and the KPI definitions of docs/architecture.md
alone. It deliberately shares no code with the implementation: the acceptance tests compare the
implementation's `kpi_report` with these figures computed from the generated rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction as F
from typing import Any

KELAS = ["mikro", "kecil", "menengah", "besar"]
JUTA = 1_000_000
MILIAR = 1_000_000_000

# SPEC §4: (first data year, last data year, law, [(capital ceiling, sales ceiling) of mikro, kecil, menengah])
RULES = [
    (None, 2020, "UU 20/2008", [(50 * JUTA, 300 * JUTA), (500 * JUTA, 2_500 * JUTA), (10 * MILIAR, 50 * MILIAR)]),
    (2021, None, "PP 7/2021", [(1 * MILIAR, 2 * MILIAR), (5 * MILIAR, 15 * MILIAR), (10 * MILIAR, 50 * MILIAR)]),
]


def _class_by(value: int, ceilings: list[int]) -> int:
    for rank, ceiling in enumerate(ceilings):
        if value <= ceiling:
            return rank
    return len(ceilings)


def classify(year: int, modal: int | None, omzet: int | None) -> str:
    """UU 20/2008 (data years ≤ 2020): "or" = the lower of the two classes (of the one given, when only
    one is). PP 7/2021 (≥ 2021): annual sales; capital only when sales are missing."""
    assert modal is not None or omzet is not None
    for first, last, law, ceilings in RULES:
        if (first is None or year >= first) and (last is None or year <= last):
            by_capital = None if modal is None else _class_by(modal, [c for c, _s in ceilings])
            by_sales = None if omzet is None else _class_by(omzet, [s for _c, s in ceilings])
            if law == "UU 20/2008":
                return KELAS[min(c for c in (by_capital, by_sales) if c is not None)]
            return KELAS[by_sales if by_sales is not None else by_capital]  # type: ignore[index]
    raise AssertionError(year)


def norm_name(name: str) -> str:
    """SPEC §4: case-folded, without punctuation, whitespace collapsed ("Bu. Sri" = "BU SRI")."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in name.casefold()).split())


def umkm_businesses(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The businesses the rows describe, in import order (SPEC §4): by NIB, else by (NIK, normalised name);
    a new NIB for an owner's business of that name without NIB is that business (it gains the NIB); a
    row without NIB is the owner's business of that name (one without NIB first). The last row for a
    business and year wins. years: {year: (modal, omzet, village)}."""
    found: list[dict[str, Any]] = []
    by_nib: dict[str, dict[str, Any]] = {}
    by_name: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        name = norm_name(r["nama_usaha"])
        b = by_nib.get(r["nib"]) if r["nib"] else None
        if b is None:
            same = by_name.get((r["nik"], name), [])
            without = [x for x in same if not x["nib"]]
            b = (without[0] if without else None) if r["nib"] else (without or same or [None])[0]
        if b is None:
            b = {"nib": "", "key": (r["nik"], name), "years": {}}
            found.append(b)
            by_name.setdefault(b["key"], []).append(b)
        if r["nib"] and not b["nib"]:
            b["nib"] = r["nib"]
            by_nib[r["nib"]] = b
        if not b["years"] or r["tahun_data"] >= max(b["years"]):  # the latest year's row names the business
            by_name[b["key"]].remove(b)
            b["key"] = (r["nik"], name)
            by_name.setdefault(b["key"], []).append(b)
        b["years"][r["tahun_data"]] = (r["modal_usaha"], r["omzet_tahunan"], r["kode_wilayah"])
    return found


def umkm_figures(rows: list[dict[str, Any]], regency_codes: set[str], year: int) -> dict[str, Any]:
    """rows: the valid `umkm` rows in import order (parsed: ints, a figure None when empty). A business
    counts where its latest record up to Y is (SPEC §4), in the class of that record."""
    total = 0
    per_kelas = dict.fromkeys(KELAS, 0)
    naik: dict[str, int] = {"mikro_kecil": 0, "kecil_menengah": 0, "menengah_besar": 0}
    for b in umkm_businesses(rows):
        years = [y for y in b["years"] if y <= year]
        if not years:
            continue
        latest = max(years)
        modal, omzet, village = b["years"][latest]
        if village[:5] not in regency_codes:
            continue
        total += 1
        per_kelas[classify(latest, modal, omzet)] += 1
        if latest == year and year - 1 in b["years"]:
            before = classify(year - 1, *b["years"][year - 1][:2])
            after = classify(year, modal, omzet)
            if KELAS.index(after) > KELAS.index(before):
                naik[f"{before}_{after}"] = naik.get(f"{before}_{after}", 0) + 1
    return {"umkm_total": total, "umkm_per_kelas": per_kelas, "naik_kelas": naik}


def umkm_moves_with_unchanged_figures(rows: list[dict[str, Any]], regency_codes: set[str], year: int) -> int:
    """Naik kelas in Y whose capital and sales are the same as in Y − 1 (moves caused by the law alone)."""
    n = 0
    for b in umkm_businesses(rows):
        if year not in b["years"] or year - 1 not in b["years"] or b["years"][year][2][:5] not in regency_codes:
            continue
        before, after = b["years"][year - 1], b["years"][year]
        if KELAS.index(classify(year, *after[:2])) > KELAS.index(classify(year - 1, *before[:2])):
            n += before[:2] == after[:2]
    return n


# ---------------------------------------------------------------- health assessment (perdep-06-2016)

LENDING_ONLY = {2, 3, 4, 5, 6, 7, 11, 13}
WEIGHTS = {1: 6, 2: 6, 3: 3, 4: 10, 5: 5, 6: 5, 7: 5, 8: 15, 9: 4, 10: 4, 11: 2, 12: 10, 13: 5, 14: 3, 15: 3, 16: 4,
           17: 7, 18: 3}  # fmt: skip
assert sum(WEIGHTS.values()) == 100


def _pct(num: int, den: int) -> F | None:
    return None if den == 0 else F(num * 100, den)


def _bands(p: F | None, bands: list[tuple[str, float, int]], worst: int) -> F:
    """bands: (op, bound, nilai) tried in order, op in {'<', '<=', '>', '>='}."""
    if p is None:
        return F(worst)
    for op, bound, nilai in bands:
        b = F(bound).limit_denominator(1000)
        if (op == "<" and p < b) or (op == "<=" and p <= b) or (op == ">" and p > b) or (op == ">=" and p >= b):
            return F(nilai)
    raise AssertionError((p, bands))


def component_nilai(r: dict[str, int]) -> dict[int, F]:
    """Nilai (0–100) of each component, per the table of penilaian-kesehatan-ksp.md."""
    n: dict[int, F] = {}
    n[1] = _bands(_pct(r["modal_sendiri"], r["total_aset"]),
                  [("<=", 20, 25), ("<=", 40, 50), ("<=", 60, 100), ("<=", 80, 50), (">", 80, 25)], 25)  # fmt: skip
    p = _pct(r["modal_sendiri"], r["pinjaman_berisiko"])
    n[2] = F(100) if p is None else min(p, F(100))
    n[3] = _bands(_pct(r["modal_sendiri"], r["atmr"]), [("<", 4, 0), ("<", 6, 50), ("<", 8, 75), (">=", 8, 100)], 0)
    n[4] = _bands(_pct(r["pinjaman_anggota"], r["pinjaman_diberikan"]),
                  [("<=", 25, 25), ("<=", 50, 50), ("<=", 75, 75), (">", 75, 100)], 25)  # fmt: skip
    risky = F(r["pinjaman_kurang_lancar"], 2) + F(r["pinjaman_diragukan"] * 3, 4) + r["pinjaman_macet"]
    if r["pinjaman_diberikan"] == 0:
        n[5] = F(0)
    else:
        p5 = risky * 100 / r["pinjaman_diberikan"]
        n[5] = F(100) if p5 == 0 else _bands(p5, [("<=", 10, 80), ("<=", 20, 60), ("<=", 30, 40), ("<=", 40, 20),
                                                  ("<=", 45, 10), (">", 45, 0)], 0)  # fmt: skip
    n[6] = F(100) if risky == 0 else min(F(r["cadangan_risiko"] * 100) / risky, F(100))
    n[7] = _bands(_pct(r["pinjaman_berisiko"], r["pinjaman_diberikan"]),
                  [(">", 30, 25), (">", 25, 50), (">", 20, 75), ("<=", 20, 100)], 25)  # fmt: skip
    n[8] = F(r["skor_manajemen"] * 100, 15)  # score = weight 15 × nilai / 100 = skor_manajemen itself
    n[9] = _bands(_pct(r["beban_operasional_pelayanan"], r["partisipasi_bruto"]),
                  [(">=", 100, 25), (">=", 85, 50), (">=", 70, 75), ("<", 70, 100)], 25)  # fmt: skip
    n[10] = _bands(_pct(r["aktiva_tetap"], r["total_aset"]),
                   [(">", 75, 25), (">", 50, 50), (">", 25, 75), ("<=", 25, 100)], 25)  # fmt: skip
    n[11] = _bands(_pct(r["biaya_karyawan"], r["pinjaman_diberikan"]),
                   [("<", 5, 100), ("<", 10, 75), ("<", 15, 50), (">=", 15, 25)], 25)  # fmt: skip
    n[12] = _bands(_pct(r["kas_bank"], r["kewajiban_lancar"]),
                   [("<", 10, 25), ("<=", 15, 100), ("<=", 20, 50), (">", 20, 25)], 25)  # fmt: skip
    n[13] = _bands(_pct(r["pinjaman_diberikan"], r["dana_diterima"]),
                   [("<", 50, 25), ("<", 75, 50), ("<", 100, 75), (">=", 100, 100)], 25)  # fmt: skip
    n[14] = _bands(_pct(r["shu_sebelum_pajak"], r["total_aset"]),
                   [("<", 5, 25), ("<", 7.5, 50), ("<", 10, 75), (">=", 10, 100)], 25)  # fmt: skip
    n[15] = _bands(_pct(r["shu_bagian_anggota"], r["modal_sendiri"]),
                   [("<", 3, 25), ("<", 4, 50), ("<", 5, 75), (">=", 5, 100)], 25)  # fmt: skip
    n[16] = _bands(_pct(r["pendapatan"], r["beban_usaha"] + r["beban_perkoperasian"]),
                   [("<=", 100, 25), ("<=", 125, 75), (">", 125, 100)], 25)  # fmt: skip
    n[17] = _bands(_pct(r["partisipasi_bruto"], r["partisipasi_bruto"] + r["pendapatan"]),
                   [("<", 25, 25), ("<", 50, 50), ("<", 75, 75), (">=", 75, 100)], 25)  # fmt: skip
    n[18] = _bands(_pct(r["promosi_ekonomi_anggota"], r["simpanan_pokok_wajib"]),
                   [("<", 5, 25), ("<", 7.5, 50), ("<", 10, 75), (">=", 10, 100)], 25)  # fmt: skip
    return n


def health_total(r: dict[str, int], *, lending: bool) -> F:
    nilai = component_nilai(r)
    used = [c for c in WEIGHTS if lending or c not in LENDING_ONLY]
    weight_sum = sum(WEIGHTS[c] for c in used)
    return sum((F(WEIGHTS[c]) * 100 / weight_sum * nilai[c] / 100 for c in used), F(0))


def predikat(total: F) -> str:
    if total >= 80:
        return "Sehat"
    if total >= 66:
        return "Cukup Sehat"
    if total >= 51:
        return "Dalam Pengawasan"
    return "Dalam Pengawasan Khusus"


def is_sehat(r: dict[str, int], jenis: str) -> bool:
    """KSP lends; the types the table names as non-lending do not. KSU data is built so that both
    readings give the same side of 66."""
    totals = {predikat(health_total(r, lending=lending)) in ("Sehat", "Cukup Sehat") for lending in (True, False)}
    if jenis == "KSP":
        return predikat(health_total(r, lending=True)) in ("Sehat", "Cukup Sehat")
    if jenis == "KSU":
        assert len(totals) == 1, "KSU financials must not depend on the lending reading"
        return totals.pop()
    return predikat(health_total(r, lending=False)) in ("Sehat", "Cukup Sehat")


def minus_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def koperasi_figures(
    coops: list[dict[str, Any]], reports: list[dict[str, Any]], regency_codes: set[str], year: int, as_of: date
) -> dict[str, Any]:
    """coops/reports: the valid rows in import order (dates parsed, report amounts ints)."""
    by_nomor: dict[str, dict[str, Any]] = {}
    for c in coops:
        by_nomor[c["nomor_badan_hukum"]] = c
    rep: dict[tuple[str, int], dict[str, Any]] = {}
    for r in reports:
        rep[(r["nomor_badan_hukum"], r["tahun_buku"])] = r
    window_start = minus_years(as_of, 3)
    out: dict[str, Any] = dict.fromkeys(
        ["koperasi_total", "koperasi_aktif", "koperasi_tidak_aktif", "koperasi_sehat", "koperasi_tidak_sehat",
         "koperasi_belum_dinilai"], 0)  # fmt: skip
    dissolved: dict[str, int] = {}
    for nomor, c in by_nomor.items():
        if c["kode_wilayah"][:5] not in regency_codes:
            continue
        bubar = c["tanggal_pembubaran"]
        if bubar is not None and bubar <= as_of:
            dissolved[str(bubar.year)] = dissolved.get(str(bubar.year), 0) + 1
            continue
        if c["tanggal_badan_hukum"] > as_of:
            continue
        out["koperasi_total"] += 1
        rats = [r["tanggal_rat"] for (n, _y), r in rep.items() if n == nomor and r["tanggal_rat"] is not None]
        if not any(window_start <= d <= as_of for d in rats):
            out["koperasi_tidak_aktif"] += 1
            continue
        out["koperasi_aktif"] += 1
        report = rep.get((nomor, year))
        if report is None:
            out["koperasi_belum_dinilai"] += 1
        elif is_sehat(report, c["jenis"]):
            out["koperasi_sehat"] += 1
        else:
            out["koperasi_tidak_sehat"] += 1
    out["koperasi_dibubarkan_per_tahun"] = dict(sorted(dissolved.items()))
    return out


# ---------------------------------------------------------------- omzet


@dataclass
class SaleLine:
    channel: str
    order: str
    sku: str
    name: str
    counted: bool  # the status counts as a completed sale
    when: datetime | None  # WIB wall time of the date that counts
    value: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.channel, self.order, self.sku or self.name)


def omzet_figures(lines: list[SaleLine], regency_codes: set[str], year: int, as_of: date) -> dict[str, int]:
    """lines: every valid marketplace line in import order; a later line with the same key replaces
    the earlier one. All marketplace lines belong to the store's regency (33.03)."""
    latest: dict[tuple[str, str, str], SaleLine] = {}
    for line in lines:
        latest[line.key] = line
    cumulative = in_year = 0
    if "33.03" in regency_codes:
        for line in latest.values():
            if not line.counted or line.when is None or line.when.date() > as_of:
                continue
            cumulative += line.value
            if line.when.year == year:
                in_year += line.value
    return {"tukatuku_omzet_kumulatif": cumulative, "tukatuku_omzet_tahun": in_year}
