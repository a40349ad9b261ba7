"""The bank's three files through `import_data`, then `kpi_report`, against a separate reference
calculation (tests/reference.py) — the way the held-out Purbalingga files are checked."""

import csv
import json
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEntry
from apps.pinjaman.models import Bank, BankRate, Loan, Repayment, RepaymentStatus, Scheme
from apps.pinjaman.report import npl
from apps.pinjaman.rules import add_months, schedule
from apps.pinjaman.selectors import pinjaman_kpi, unmatched_loans
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
from apps.umkm.tests.factories import business_make, owner_make

pytestmark = pytest.mark.django_db


def _on_due(account, plafon, disbursed, tenor=12, late_days=0, count=None, prefix="T"):
    rows = []
    for k, due, amount in schedule(plafon, tenor, disbursed)[:count]:
        rows.append((account, f"{prefix}{k}", due + timedelta(days=late_days), amount))
    return rows


def _dataset():
    """Loans of both schemes: on-time, early, late, partial, duplicate-looking repayments, an
    overpayment, a write-off with a recovery, a debtor missing from the registry, a NIK issued in
    another regency, month-end disbursements, a repeat loan, a loan outside the scheme's limits."""
    d = date
    loans = [
        loan_row("L01", 1, "2019-03-15", "Rp2.500.000"),  # on time
        loan_row("L02", 2, "31/01/2019", "1.000.000"),  # disbursed on the 31st; early
        loan_row("L03", 3, "2019-05-10", "2000000"),  # late by 20 days, stops after 6
        loan_row("L04", 4, "2019-06-20", "1500000.0"),  # partial payments
        loan_row("L05", 5, "2019-02-28", "1.200.000"),  # duplicate-looking repayments
        loan_row("L06", 6, "2019-04-01", "2.500.000"),  # never pays, written off, recovery
        loan_row("L07", 7, "2019-07-31", "800.000"),  # not in the registry
        loan_row("L08", 8, "2019-08-15", "3.000.000"),  # above the first-loan ceiling: kept, flagged
        loan_row("L09", 9, "2019-09-30", "1.750.000", nik=nik_for(9, district="330201")),  # NIK from Banyumas
        loan_row("L11", 11, "2019-09-09", "600.000"),  # an overpayment refused
        loan_row("L13", 13, "2019-12-31", "1.500.000", jangka_waktu_bulan=6),  # tenor differs, flagged
        loan_row("L17", 7, "2019-11-01", "700.000"),  # the same debtor as L07: counted once
        loan_row("L10", 1, "2020-04-01", "5.000.000", skema="MAWAR-2020"),  # repeat loan of L01's debtor
        loan_row("L12", 12, "2020-03-10", "900.000", skema="mawar-2020"),  # the day after the 2019 as-of
        loan_row("L14", 14, "2020-01-15", "2.000.000", skema="MAWAR-2020"),
        loan_row("L15", 15, "2020-02-29", "1.000.000", skema="MAWAR-2020"),  # leap day
        loan_row("L16", 16, "2020-06-30", "2.500.000", skema="MAWAR-2020"),  # partial
    ]
    rejected_loans = [
        loan_row("X01", 90, "2019-05-05", "1.000.000", skema="MAWAR-2018"),  # unknown scheme
        loan_row("X02", 91, "2019-13-05", "1.000.000"),  # unreadable date
        loan_row("X03", 92, "2019-05-05", "satu juta"),  # unreadable amount
        loan_row("X04", 93, "2019-05-05", "1.000.000", nik="33030112"),  # NIK not 16 digits
    ]
    payments = []
    payments += _on_due("L01", 2_500_000, d(2019, 3, 15))
    payments += [("L02", "A1", d(2019, 2, 15), 500_000), ("L02", "A2", d(2019, 6, 1), 500_000)]
    payments += _on_due("L03", 2_000_000, d(2019, 5, 10), late_days=20, count=6)
    payments += [("L04", f"P{k}", add_months(d(2019, 6, 20), k), 60_000) for k in range(1, 15)]
    payments += [
        ("L05", "TRX-1", d(2019, 3, 28), 100_000),
        ("L05", "TRX-2", d(2019, 3, 28), 100_000),  # same day, same amount, another transaction: counts
        ("L05", "TRX-2", d(2019, 3, 28), 100_000),  # the same transaction again: counts once
        ("L05", "TRX-3", d(2019, 5, 28), 100_000),
    ]
    payments += [("L06", "R1", d(2020, 2, 1), 100_000)]  # after the write-off: a recovery
    payments += _on_due("L07", 800_000, d(2019, 7, 31))
    payments += _on_due("L08", 3_000_000, d(2019, 8, 15), late_days=3)
    payments += _on_due("L09", 1_750_000, d(2019, 9, 30), count=4)
    payments += [
        ("L11", "9", d(2019, 10, 9), 300_000),
        ("L11", "10", d(2019, 11, 9), 400_000),  # would exceed the plafon: refused whole
        ("L11", "11", d(2019, 11, 10), 300_000),
    ]
    payments += _on_due("L13", 1_500_000, d(2019, 12, 31), tenor=6)
    payments += _on_due("L14", 2_000_000, d(2020, 1, 15), count=5)
    payments += _on_due("L15", 1_000_000, d(2020, 2, 29))
    payments += [("L16", f"Q{k}", add_months(d(2020, 6, 30), k), 150_000) for k in range(1, 7)]
    payments += _on_due("L17", 700_000, d(2019, 11, 1), late_days=100, count=3)
    write_offs = {"L06": d(2019, 12, 31)}
    return loans, rejected_loans, payments, write_offs


def _write_files(tmp_path, loans, rejected_loans, payments, write_offs):
    rng = random.Random(7)
    loan_rows = loans + rejected_loans
    rng.shuffle(loan_rows)
    payment_rows = [
        {"nomor_rekening": a, "nomor_transaksi": n, "tanggal_bayar": p.strftime("%d-%m-%Y"), "jumlah": f"{v:,}"}
        for a, n, p, v in payments
    ]
    rng.shuffle(payment_rows)  # the bank's order is not the date order
    payment_rows.append({"nomor_rekening": "TIDAK-ADA", "nomor_transaksi": "1", "tanggal_bayar": "2019-05-05",
                         "jumlah": "100.000"})  # fmt: skip
    return (
        write_csv(tmp_path / "pinjaman.csv", PINJAMAN_HEADER, loan_rows),
        write_csv(tmp_path / "angsuran.csv", ANGSURAN_HEADER, payment_rows),
        write_csv(
            tmp_path / "hapus_buku.csv",
            HAPUS_BUKU_HEADER,
            [{"nomor_rekening": a, "tanggal_hapus_buku": v.isoformat()} for a, v in write_offs.items()],
        ),
    )


def _reference_loans(loans):
    from apps.imports.parsing import parse_date, parse_rupiah

    return [
        {
            "nomor_rekening": r["nomor_rekening"],
            "nik": r["nik"],
            "tanggal_pencairan": parse_date(r["tanggal_pencairan"]),
            "plafon": parse_rupiah(str(r["plafon"])),
            "jangka_waktu_bulan": int(r["jangka_waktu_bulan"]),
        }
        for r in loans
    ]


def _kpi(year, as_of, region="33.03"):
    """`kpi_report --format json` as an operator runs it (it writes to the real stdout, or --output)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "kpi.json"
        call_command("kpi_report", "--regency", region, "--year", str(year), "--as-of", as_of, "--output", str(target))
        return json.loads(target.read_text(encoding="utf-8"))


@pytest.fixture
def registry():
    """Registry owners for every debtor except L07/L17's (serial 7)."""
    for serial in (1, 2, 3, 4, 5, 6, 8, 11, 12, 13, 14, 15, 16):
        business_make(name=f"Usaha {serial}", owner=owner_make(nik=nik_for(serial), name=f"Debitur {serial}"))
    business_make(name="Usaha 9", owner=owner_make(nik=nik_for(9, district="330201"), name="Debitur 9"))


def test_bank_files_to_kpi_report_match_the_reference(tmp_path, registry):
    loans, rejected_loans, payments, write_offs = _dataset()
    files = _write_files(tmp_path, loans, rejected_loans, payments, write_offs)
    assert import_file("pinjaman", files[0]).strip() == "rows: 21, created: 17, updated: 0, unchanged: 0, rejected: 4"
    assert import_file("angsuran", files[1]).strip().endswith("rejected: 1")
    assert import_file("hapus_buku", files[2]).strip() == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"

    with (tmp_path / "pinjaman.galat.csv").open(encoding="utf-8-sig") as fh:
        errors = {r["nomor_rekening"]: (r["kolom"], r["alasan"]) for r in csv.DictReader(fh)}
    assert errors["X01"][0] == "skema" and "MAWAR-2018" in errors["X01"][1]
    assert errors["X02"][0] == "tanggal_pencairan"
    assert errors["X03"][0] == "plafon"
    assert errors["X04"] == ("nik", "NIK harus 16 digit angka")

    reference_loans = _reference_loans(loans)
    for year, as_of in ((2019, "2020-03-09"), (2020, "2020-12-31"), (2019, "2019-12-31"), (2020, "2020-03-09")):
        expected = reference_figures(reference_loans, payments, write_offs, year, date.fromisoformat(as_of))
        got = _kpi(year, as_of)
        assert {k: got[k] for k in expected} == expected, (year, as_of)

    figures_2019 = _kpi(2019, "2020-03-09")
    # 11 distinct debtors in 2019 (L07 and L17 are one person), the plafon of 12 loans
    assert figures_2019["kredit_mawar_debitur_tahun"] == 11
    assert figures_2019["kredit_mawar_pencairan_tahun"] == 19_050_000

    # facts kept and flagged; the registry gap listed; refused repayment and recovery marked
    l08 = Loan.objects.get(account_number="L08")
    assert any("di atas batas pinjaman pertama" in f for f in l08.flags)
    assert any("berbeda dari skema" in f for f in Loan.objects.get(account_number="L13").flags)
    assert not any("pinjaman pertama" in f for f in Loan.objects.get(account_number="L10").flags)  # a repeat loan
    assert [loan.account_number for loan in unmatched_loans(regency_codes=None)] == ["L07", "L17"]
    assert Loan.objects.get(account_number="L09").regency_id == "33.03"
    assert Repayment.objects.get(loan__account_number="L11", transaction_number="10").status == RepaymentStatus.REFUSED
    assert Repayment.objects.get(loan__account_number="L06").status == RepaymentStatus.RECOVERY
    assert Repayment.objects.filter(loan__account_number="L05").count() == 3
    assert Loan.objects.get(account_number="L02").status == "lunas"
    assert Loan.objects.get(account_number="L06").status == "hapus_buku"
    assert AuditEntry.objects.filter(action="pinjaman.impor").count() == 17


def test_reimporting_changes_nothing(tmp_path, registry):
    loans, rejected_loans, payments, write_offs = _dataset()
    files = _write_files(tmp_path, loans, rejected_loans, payments, write_offs)
    for kind, path in zip(("pinjaman", "angsuran", "hapus_buku"), files, strict=True):
        import_file(kind, path)
    before = _kpi(2019, "2020-03-09")
    audits = AuditEntry.objects.count()
    assert import_file("pinjaman", files[0]).strip() == "rows: 21, created: 0, updated: 0, unchanged: 17, rejected: 4"
    assert "created: 0, updated: 0" in import_file("angsuran", files[1])
    assert import_file("hapus_buku", files[2]).strip() == "rows: 1, created: 0, updated: 0, unchanged: 1, rejected: 0"
    assert _kpi(2019, "2020-03-09") == before
    assert AuditEntry.objects.count() == audits + 3  # only the three runs


def test_a_correction_in_a_later_file_updates_the_loan_and_its_schedule(tmp_path):
    write_csv(tmp_path / "a.csv", PINJAMAN_HEADER, [loan_row("K1", 1, "2019-03-15", "2.000.000")])
    import_file("pinjaman", tmp_path / "a.csv")
    write_csv(tmp_path / "b.csv", PINJAMAN_HEADER, [loan_row("K1", 1, "2019-03-15", "2.500.000")])
    assert "updated: 1" in import_file("pinjaman", tmp_path / "b.csv")
    loan = Loan.objects.get(account_number="K1")
    assert [i.principal for i in loan.instalments.order_by("number")] == [208_000] * 11 + [212_000]


def test_loans_of_another_regency_stay_out(tmp_path):
    table = Bank.objects.get(code="bpr-artha-perwira").collectibility_table
    bank = Bank.objects.create(code="bpr-banyumas", name="BPR Banyumas", regency_id="33.02", collectibility_table=table)
    scheme = Scheme.objects.create(
        code="MAWAR-BMS", name="Banyumas", bank=bank, regency_id="33.02", year=2019, first_loan_floor=500_000,
        first_loan_ceiling=2_500_000, repeat_loan_ceiling=15_000_000, tenor_months=12,
    )  # fmt: skip
    BankRate.objects.create(scheme=scheme, effective_from=date(2019, 1, 1), annual_rate_percent=12)
    write_csv(
        tmp_path / "p.csv",
        PINJAMAN_HEADER,
        [
            loan_row("B1", 1, "2019-03-15", "2.000.000", skema="MAWAR-BMS", kode_wilayah="33.02.01.2001"),
            loan_row("P1", 2, "2019-03-15", "1.000.000"),
        ],
    )
    import_file("pinjaman", tmp_path / "p.csv")
    assert pinjaman_kpi(regency_codes=["33.03"], year=2019, as_of=date(2019, 12, 31))[
        "kredit_mawar_pencairan_tahun"
    ] == (1_000_000)
    province = _kpi_province()
    assert province["kredit_mawar_pencairan_tahun"] == 3_000_000
    assert province["kredit_mawar_debitur_tahun"] == 2


def _kpi_province():
    return _kpi(2019, "2019-12-31", region="33")


def test_npl_ratio(tmp_path):
    write_csv(
        tmp_path / "p.csv",
        PINJAMAN_HEADER,
        [loan_row("N1", 1, "2019-01-10", "1.200.000"), loan_row("N2", 2, "2019-01-10", "1.200.000")],
    )
    import_file("pinjaman", tmp_path / "p.csv")
    write_csv(
        tmp_path / "a.csv",
        ANGSURAN_HEADER,
        [{"nomor_rekening": "N1", "nomor_transaksi": f"{k}", "tanggal_bayar": due.isoformat(), "jumlah": a}
         for k, due, a in schedule(1_200_000, 12, date(2019, 1, 10))[:5]],
    )  # fmt: skip
    import_file("angsuran", tmp_path / "a.csv")
    # 20 June 2019: N1 current with 700.000 left; N2 unpaid since 10 February (130 days: Diragukan)
    assert npl_share(date(2019, 6, 20)) == pytest.approx(1_200_000 / 1_900_000)
    assert npl_share(date(2019, 1, 9)) is None


def npl_share(as_of):
    """The report's NPL line (apps.pinjaman.report.npl over the figures of pinjaman_kpi)."""
    return npl(pinjaman_kpi(regency_codes=["33.03"], year=as_of.year, as_of=as_of))[1]


@pytest.mark.parametrize("seed", [1, 2])
def test_random_portfolios_match_the_reference(tmp_path, seed):
    """Many random loans and repayments (late, partial, early, overpaying, written off)."""
    rng = random.Random(seed)
    loans, payments, write_offs = [], [], {}
    for i in range(40):
        disbursed = date(2019, 1, 1) + timedelta(days=rng.randrange(0, 700))
        plafon = rng.choice([500_000, 750_000, 1_000_000, 1_250_000, 2_500_000, 2_345_600])
        tenor = rng.choice([12, 12, 12, 6, 10])
        account = f"R{i:03d}"
        scheme = "MAWAR-2019" if disbursed.year == 2019 else "MAWAR-2020"
        loans.append(
            loan_row(
                account, rng.randrange(1, 30), disbursed.isoformat(), plafon, skema=scheme, jangka_waktu_bulan=tenor
            )
        )
        for k, due, amount in schedule(plafon, tenor, disbursed):
            style = rng.random()
            if style < 0.15:
                continue
            paid_on = due + timedelta(days=rng.choice([-20, 0, 0, 3, 45, 100]))
            value = amount if style > 0.4 else rng.choice([amount // 2, amount + 50_000, amount * 3])
            payments.append((account, f"{k}", paid_on, value))
        if rng.random() < 0.15:
            write_offs[account] = disbursed + timedelta(days=rng.randrange(100, 500))
    files = _write_files(tmp_path, loans, [], payments, write_offs)
    for kind, path in zip(("pinjaman", "angsuran", "hapus_buku"), files, strict=True):
        import_file(kind, path)
    reference_loans = _reference_loans(loans)
    for year, as_of in ((2019, date(2020, 3, 9)), (2020, date(2020, 12, 31)), (2020, date(2020, 7, 17))):
        expected = reference_figures(reference_loans, payments, write_offs, year, as_of)
        got = pinjaman_kpi(regency_codes=["33.03"], year=year, as_of=as_of)
        assert got == expected, (year, as_of)


def test_missing_facts_are_kept_and_flagged(tmp_path):
    write_csv(
        tmp_path / "p.csv",
        PINJAMAN_HEADER,
        [loan_row("E1", 1, "15/03/2019 10:30", "Rp 1.200.000,00", nama_debitur="", jangka_waktu_bulan="",
                  kode_wilayah="3303012001")],
    )  # fmt: skip
    assert "created: 1" in import_file("pinjaman", tmp_path / "p.csv")
    loan = Loan.objects.get()
    assert (loan.tenor_months, loan.plafon, loan.disbursed_on, loan.village_id) == (
        12, 1_200_000, date(2019, 3, 15), "33.03.01.2001",
    )  # fmt: skip
    assert "nama debitur kosong" in loan.flags and "jangka waktu kosong: dipakai jangka waktu skema" in loan.flags
    assert loan.instalments.count() == 12
