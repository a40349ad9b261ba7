"""Monthly interest-subsidy claims: lines by the daily rule, reconciliation with the bank's file,
verification, approval (frozen), payment, adjustments in the next claim, the letter and the XLSX."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.pinjaman.models import Bank, ClaimStatus, Loan, SubsidyClaim
from apps.pinjaman.services import claim_approve, claim_compute, claim_create, repayment_record
from apps.pinjaman.tests.factories import PINJAMAN_HEADER, bank_officer, import_file, loan_row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def loans(tmp_path):
    write_csv(
        tmp_path / "p.csv",
        PINJAMAN_HEADER,
        [
            loan_row("N1", 1, "2019-01-10", "1.200.000"),  # Rp400 a day at 12%
            loan_row("N2", 2, "2019-01-10", "600.000", nama_debitur='=HYPERLINK("http://x")'),  # Rp200 a day
        ],
    )
    import_file("pinjaman", tmp_path / "p.csv")
    return Loan.objects.get(account_number="N1"), Loan.objects.get(account_number="N2")


def _lines(claim):
    return sorted((line.loan.account_number, line.kind, line.period_month, line.amount) for line in claim.lines.all())


def test_claim_flow_with_reconciliation_approval_and_an_adjustment_next_month(client, loans, operator, head, make_user):
    bank = Bank.objects.get()
    claim = claim_create(bank=bank, year=2019, month=1, actor=operator)
    # 10–31 January: 22 days × Rp400 and × Rp200
    assert _lines(claim) == [("N1", "bulan", 1, 8_800), ("N2", "bulan", 1, 4_400)]
    assert claim.total == 13_200

    officer = bank_officer(make_user)
    client.force_login(officer)
    upload = SimpleUploadedFile("bank-jan.csv", b"nomor_rekening,jumlah\nN1,8.800\nN2,4.500\nZZ9,100\n")
    response = client.post(reverse("pinjaman:claim", args=[claim.pk]), {"aksi": "cocokkan", "file": upload})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.bank_total == 13_300 and claim.bank_file_name == "bank-jan.csv"
    page = client.get(reverse("pinjaman:claim", args=[claim.pk])).content.decode()
    assert "Rp4.500" in page and "Rp100" in page  # N2's difference listed
    assert [line.loan.account_number for line in claim.lines.all() if line.difference] == ["N2"]

    client.force_login(operator)
    client.post(reverse("pinjaman:claim", args=[claim.pk]), {"aksi": "verifikasi"})
    with pytest.raises(Exception, match="tidak boleh orang yang memverifikasi"):
        claim_approve(claim=claim, actor=operator)
    client.force_login(head)
    client.post(reverse("pinjaman:claim", args=[claim.pk]), {"aksi": "setujui"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DISETUJUI and claim.frozen
    with pytest.raises(Exception, match="draf"):
        claim_compute(claim=claim, actor=head)
    client.post(
        reverse("pinjaman:claim", args=[claim.pk]), {"aksi": "bayar", "paid_on": "2019-02-20", "reference": "SP2D-01"}
    )
    claim.refresh_from_db()
    assert (claim.status, claim.payment_reference) == ("dibayar", "SP2D-01")

    # a repayment of 20 January reaches the bank's system late: January's claim stays as approved,
    # February's carries the correction: 10–19 Jan at 400 (4.000) + 20–31 at 1.100.000 (12 × 366,67 = 4.400)
    repayment_record(loan=loans[0], transaction_number="L1", paid_on=date(2019, 1, 20), amount=100_000, actor=officer)
    february = claim_create(bank=bank, year=2019, month=2, actor=operator)
    assert _lines(february) == [
        ("N1", "bulan", 2, 10_267),  # 28 × 366,67
        ("N1", "penyesuaian", 1, -400),
        ("N2", "bulan", 2, 5_600),
    ]
    assert february.total == 15_467
    assert _lines(SubsidyClaim.objects.get(month=1)) == [("N1", "bulan", 1, 8_800), ("N2", "bulan", 1, 4_400)]

    text = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(client.get(reverse("pinjaman:claim_letter", args=[february.pk])).content)).pages
    )
    assert "Rp15.467" in text and "Rp-400" not in text
    book = load_workbook(io.BytesIO(client.get(reverse("pinjaman:claim_xlsx", args=[february.pk])).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert ("N1", "Debitur 1", "Penyesuaian bulan sebelumnya", 2019, 1, -400, None, None) in rows
    assert any(r[1] == '\'=HYPERLINK("http://x")' for r in rows)  # a formula is written as text


def test_claim_only_after_its_month_and_once(loans, operator):
    bank = Bank.objects.get()
    with pytest.raises(Exception, match="setelah bulannya berakhir"):
        claim_create(bank=bank, year=2099, month=1, actor=operator)
    claim_create(bank=bank, year=2019, month=3, actor=operator)
    with pytest.raises(Exception, match="sudah ada"):
        claim_create(bank=bank, year=2019, month=3, actor=operator)


def test_a_bank_sees_only_its_own_claims(client, loans, operator, make_user):
    claim = claim_create(bank=Bank.objects.get(), year=2019, month=1, actor=operator)
    other = Bank.objects.create(
        code="bpr-lain",
        name="BPR Lain",
        regency_id="33.03",
        collectibility_table=Bank.objects.get().collectibility_table,
    )
    user = bank_officer(make_user, username="bank9", bank_code="bpr-lain")
    client.force_login(user)
    assert client.get(reverse("pinjaman:claim", args=[claim.pk])).status_code == 404
    assert client.get(reverse("pinjaman:claim_xlsx", args=[claim.pk])).status_code == 404
    assert other.claims.count() == 0
