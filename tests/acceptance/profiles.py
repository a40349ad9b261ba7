"""Hand-checkable financial statements for the `laporan_koperasi` template.

BEST scores 100 on every component of the perdep-06-2016 table (every ratio well inside its best
band). Each other profile lowers named components to a stated band, so its total is checked by hand:
score lost = weight × (100 − nilai) / 100. The expected totals are a literal table in
test_reference.py.
"""

JUTA = 1_000_000

BEST = {
    "jumlah_anggota": 250,
    "total_aset": 1000 * JUTA,
    "aktiva_tetap": 100 * JUTA,  # #10: 10% ≤ 25% → 100
    "kas_bank": 25 * JUTA,  # #12: 25/200 = 12.5% in 10–15% → 100
    "modal_sendiri": 500 * JUTA,  # #1: 50% in >40–60% → 100; #3: 500/1000 atmr = 50% ≥ 8% → 100
    "kewajiban_lancar": 200 * JUTA,
    "dana_diterima": 600 * JUTA,  # #13: 800/600 ≥ 100% → 100
    "simpanan_pokok_wajib": 100 * JUTA,
    "pinjaman_diberikan": 800 * JUTA,
    "pinjaman_anggota": 800 * JUTA,  # #4: 100% > 75% → 100
    "pinjaman_kurang_lancar": 0,  # #5: no problem loans → 100; #6: none → 100
    "pinjaman_diragukan": 0,
    "pinjaman_macet": 0,
    "cadangan_risiko": 10 * JUTA,
    "pinjaman_berisiko": 100 * JUTA,  # #2: 500% capped → 100; #7: 12.5% ≤ 20% → 100
    "atmr": 1000 * JUTA,
    "pendapatan": 200 * JUTA,  # #16: 200/(100+20) = 166% > 125% → 100
    "partisipasi_bruto": 800 * JUTA,  # #17: 800/1000 = 80% ≥ 75% → 100
    "beban_operasional_pelayanan": 400 * JUTA,  # #9: 50% < 70% → 100
    "beban_usaha": 100 * JUTA,
    "beban_perkoperasian": 20 * JUTA,
    "biaya_karyawan": 20 * JUTA,  # #11: 2.5% < 5% → 100
    "shu_sebelum_pajak": 150 * JUTA,  # #14: 15% ≥ 10% → 100
    "shu_bagian_anggota": 50 * JUTA,  # #15: 10% ≥ 5% → 100
    "promosi_ekonomi_anggota": 20 * JUTA,  # #18: 20% ≥ 10% → 100
    "skor_manajemen": 15,  # #8: 15
    "volume_usaha": 900 * JUTA,
}

# component → changes that put it in a lower band (loss = weight × (100 − nilai) / 100)
LOWER = {
    "4_to_25": {"pinjaman_anggota": 160 * JUTA},  # 20% ≤ 25% → 25: loss 7.5
    "12_to_25": {"kas_bank": 10 * JUTA},  # 5% < 10% → 25: loss 7.5
    "12_zero_den": {"kewajiban_lancar": 0},  # zero denominator, no bracket → worst band 25: loss 7.5
    "10_to_25": {"aktiva_tetap": 800 * JUTA},  # 80% > 75% → 25: loss 3
    "9_to_50": {"beban_operasional_pelayanan": 720 * JUTA},  # 90% in 85–<100% → 50: loss 2
    "11_to_75": {"biaya_karyawan": 56 * JUTA},  # 7% in 5–<10% → 75: loss 0.5
    "13_to_25": {"dana_diterima": 2000 * JUTA},  # 40% < 50% → 25: loss 3.75
    # #17 at most 30/(30+200) = 13% → 25: loss 5.25 (#9 stays at 27/30 = 90% → 50)
    "17_to_25": {"partisipasi_bruto": 30 * JUTA, "beban_operasional_pelayanan": 27 * JUTA},
    "16_to_25": {"pendapatan": 110 * JUTA},  # 110/120 ≤ 100% → 25: loss 3
    "18_to_50": {"promosi_ekonomi_anggota": 6 * JUTA},  # 6% in 5–<7.5% → 50: loss 1.5
    "15_to_50": {"shu_bagian_anggota": 17_500_000},  # 3.5% in 3–<4% → 50: loss 1.5
    "14_to_25": {"shu_sebelum_pajak": 20 * JUTA},  # 2% < 5% → 25: loss 2.25
}


def profile(*lowered: str, skor: int = 15, **overrides: int) -> dict[str, int]:
    r = dict(BEST)
    for name in lowered:
        r.update(LOWER[name])
    r["skor_manajemen"] = skor
    r.update(overrides)
    return r


# name → (financials, expected total for a KSP, predikat)
_P80 = ("4_to_25", "12_to_25", "10_to_25", "9_to_50")  # loss 20
_P51 = (*_P80, "17_to_25", "13_to_25", "16_to_25", "18_to_50", "15_to_50")  # loss 20 + 15
PROFILES = {
    "P100": profile(),
    "P100_nol": profile(pinjaman_berisiko=0),  # #2 "no risky loans: 100", #7 0% → 100
    "P92_5_nol": profile("12_zero_den"),  # 92.5
    "P80": profile(*_P80),  # 80 → Sehat
    "P79": profile(*_P80, skor=14),  # 79 → Cukup Sehat
    "P66": profile(*_P80, skor=1),  # 66 → Cukup Sehat
    "P65_5": profile(*_P80, "11_to_75", skor=1),  # 65.5 → Dalam Pengawasan
    "P65_5_nol": profile("4_to_25", "12_zero_den", "10_to_25", "9_to_50", "11_to_75", skor=1),  # 65.5
    "P51": profile(*_P51, skor=1),  # 51 → Dalam Pengawasan
    "P50_5": profile(*_P51, "11_to_75", skor=1),  # 50.5 → Dalam Pengawasan Khusus
    "P47_25": profile(*_P51, "11_to_75", "14_to_25", skor=0),  # 47.25 → Dalam Pengawasan Khusus
}
EXPECTED_KSP_TOTALS = {
    "P100": 100,
    "P100_nol": 100,
    "P92_5_nol": 92.5,
    "P80": 80,
    "P79": 79,
    "P66": 66,
    "P65_5": 65.5,
    "P65_5_nol": 65.5,
    "P51": 51,
    "P50_5": 50.5,
    "P47_25": 47.25,
}
SEHAT_KSP = ["P100", "P100_nol", "P92_5_nol", "P80", "P79", "P66"]
TIDAK_SEHAT_KSP = ["P65_5", "P65_5_nol", "P51", "P50_5", "P47_25"]

# Non-lending cooperatives (produsen, konsumen, jasa, pemasaran) and KSU: only profiles whose side
# of 66 does not depend on dropping the lending components.
NON_LENDING_SEHAT = {"P100": PROFILES["P100"], "NL_tanpa_pinjaman": profile(
    pinjaman_diberikan=0, pinjaman_anggota=0, pinjaman_berisiko=0, dana_diterima=0, cadangan_risiko=0, atmr=0,
    biaya_karyawan=20 * JUTA)}  # fmt: skip
NON_LENDING_TIDAK_SEHAT = {"P47_25": PROFILES["P47_25"]}
