"""The article's Kredit Mawar figures through the bank's files and `kpi_report`, like the held-out Purbalingga
check: 2019, 266 UMKM and Rp623 juta (MAWAR-2019); 2020, 179 market traders and Rp431 juta (MAWAR-2020);
Rp1,054 miliar in all. Repayments of every kind (on time, early, late, partial, stopped, a duplicate-looking
pair), write-offs and a repeat borrower; every other `kredit_mawar_*` figure equals the separate day-by-day
reference (tests/reference.py), with the seeded schemes as they ship (12% a year)."""

import random
from datetime import date, timedelta

import pytest

from apps.pinjaman.rules import schedule
from apps.pinjaman.tests.factories import (
    ANGSURAN_HEADER,
    HAPUS_BUKU_HEADER,
    PINJAMAN_HEADER,
    import_file,
    loan_row,
    nik_for,
    write_csv,
)
from apps.pinjaman.tests.reference import reference_figures
from apps.pinjaman.tests.test_import_kpi import _kpi, _reference_loans

pytestmark = pytest.mark.django_db


def _article():
    """182 × Rp2.500.000 + 84 × Rp2.000.000 = Rp623.000.000 to 266 debtors in 2019; 146 × Rp2.500.000 +
    33 × Rp2.000.000 = Rp431.000.000 to 179 debtors in 2020 (the first ten of them 2019 borrowers again)."""
    rng = random.Random(2019)
    loans, payments, write_offs = [], [], {}
    plans = [("MAWAR-2019", 2019, [2_500_000] * 182 + [2_000_000] * 84, 0),
             ("MAWAR-2020", 2020, [2_500_000] * 146 + [2_000_000] * 33, 266)]  # fmt: skip
    for scheme, year, plafons, first_serial in plans:
        for i, plafon in enumerate(plafons):
            serial = (i if i < 10 and year == 2020 else first_serial + i) + 1  # ten repeat borrowers
            account = f"{scheme}-{i + 1:04d}"
            disbursed = date(year, 1, 2) + timedelta(days=rng.randrange(0, 360))
            district = rng.choice(["330301", "330302"])
            loans.append(loan_row(account, serial, disbursed.isoformat(), f"{plafon:,}".replace(",", "."),
                                  skema=scheme, nik=nik_for(serial, district=district),
                                  kode_wilayah=f"{district[:2]}.{district[2:4]}.{district[4:]}.2001"))  # fmt: skip
            kind = rng.choice(["tepat", "tepat", "tepat", "telat", "sebagian", "berhenti", "awal", "ganda"])
            rows = schedule(plafon, 12, disbursed)
            if kind == "tepat":
                payments += [(account, f"T{k}", due, amount) for k, due, amount in rows]
            elif kind == "telat":
                payments += [(account, f"T{k}", due + timedelta(days=rng.choice([3, 45, 100])), amount)
                             for k, due, amount in rows]  # fmt: skip
            elif kind == "sebagian":
                payments += [(account, f"T{k}", due, amount // 2) for k, due, amount in rows]
            elif kind == "berhenti":
                stop = rng.randrange(1, 9)
                payments += [(account, f"T{k}", due, amount) for k, due, amount in rows[:stop]]
                if rng.random() < 0.5:
                    write_offs[account] = rows[stop][1] + timedelta(days=200)
            elif kind == "awal":
                payments += [(account, "A1", disbursed + timedelta(days=20), plafon // 2),
                             (account, "A2", disbursed + timedelta(days=50), plafon - plafon // 2)]  # fmt: skip
            else:  # the same amount on the same day under two transaction numbers: both count
                payments += [(account, f"T{k}", due, amount) for k, due, amount in rows[:3]]
                payments += [(account, "T3B", rows[2][1], rows[2][2])]
    return loans, payments, write_offs


def test_article_figures_from_the_bank_files(tmp_path):
    loans, payments, write_offs = _article()
    write_csv(tmp_path / "pinjaman.csv", PINJAMAN_HEADER, loans)
    write_csv(
        tmp_path / "angsuran.csv",
        ANGSURAN_HEADER,
        [{"nomor_rekening": a, "nomor_transaksi": n, "tanggal_bayar": d.isoformat(), "jumlah": v}
         for a, n, d, v in payments],
    )  # fmt: skip
    write_csv(
        tmp_path / "hapus_buku.csv",
        HAPUS_BUKU_HEADER,
        [{"nomor_rekening": a, "tanggal_hapus_buku": d.isoformat()} for a, d in write_offs.items()],
    )
    assert import_file("pinjaman", tmp_path / "pinjaman.csv").strip().endswith("created: 445, updated: 0, "
                                                                              "unchanged: 0, rejected: 0")  # fmt: skip
    assert import_file("angsuran", tmp_path / "angsuran.csv").strip().endswith("rejected: 0")
    import_file("hapus_buku", tmp_path / "hapus_buku.csv")

    figures_2019 = _kpi(2019, "2020-03-09")
    assert (figures_2019["kredit_mawar_debitur_tahun"], figures_2019["kredit_mawar_pencairan_tahun"]) == (
        266,
        623_000_000,
    )
    figures_2020 = _kpi(2020, "2020-12-31")
    assert (figures_2020["kredit_mawar_debitur_tahun"], figures_2020["kredit_mawar_pencairan_tahun"]) == (
        179,
        431_000_000,
    )
    assert figures_2019["kredit_mawar_pencairan_tahun"] + figures_2020["kredit_mawar_pencairan_tahun"] == 1_054_000_000
    reference_loans = _reference_loans(loans)
    for (year, as_of), got in (((2019, "2020-03-09"), figures_2019), ((2020, "2020-12-31"), figures_2020)):
        expected = reference_figures(reference_loans, payments, write_offs, year, date.fromisoformat(as_of))
        assert {k: got[k] for k in expected} == expected, (year, as_of)
