"""Schemes as data: the seeded MAWAR-2019/2020, an administrator's edits (audited), rate versions and
the services for repayments and write-offs."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.pinjaman.models import Bank, Loan, RepaymentStatus, Scheme
from apps.pinjaman.selectors import pinjaman_kpi
from apps.pinjaman.services import bank_rate_set, loan_write_off, repayment_record
from apps.pinjaman.tests.factories import PINJAMAN_HEADER, import_file, loan_row, write_csv

pytestmark = pytest.mark.django_db


def test_seeded_schemes_as_the_facts_describe():
    rows = {
        s.code: (s.year, s.first_loan_floor, s.first_loan_ceiling, s.repeat_loan_ceiling, s.tenor_months,
                 s.borrower_rate_percent, s.provision_percent, s.rounding_unit, s.regency_id, s.bank.code,
                 [(r.effective_from, r.annual_rate_percent) for r in s.rates.all()])
        for s in Scheme.objects.all()
    }  # fmt: skip
    assert rows == {
        "MAWAR-2019": (2019, 500_000, 2_500_000, 15_000_000, 12, Decimal("0"), Decimal("6"), 1000, "33.03",
                       "bpr-artha-perwira", [(date(2019, 1, 1), Decimal("12"))]),
        "MAWAR-2020": (2020, 500_000, 2_500_000, 15_000_000, 12, Decimal("0"), Decimal("6"), 1000, "33.03",
                       "bpr-artha-perwira", [(date(2020, 1, 1), Decimal("12"))]),
    }  # fmt: skip
    bands = Bank.objects.get().collectibility_table.bands.order_by("kolektibilitas")
    assert [(b.kolektibilitas, b.min_days, b.max_days) for b in bands] == [
        (1, 0, 0),
        (2, 1, 90),
        (3, 91, 120),
        (4, 121, 180),
        (5, 181, None),
    ]
    assert Scheme.objects.get(code="MAWAR-2019").checks.filter(severity="tolak").count() == 6


def test_administrator_edits_a_scheme_and_its_rate_without_code(client, admin_user):
    scheme = Scheme.objects.get(code="MAWAR-2019")
    client.force_login(admin_user)
    url = reverse("admin:pinjaman_scheme_change", args=[scheme.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:pinjaman_collectibilitytable_changelist")).status_code == 200
    assert client.get(reverse("admin:pinjaman_loan_changelist")).status_code == 200


def _one_loan(tmp_path, account="S1", plafon="1.200.000", disbursed="2019-01-10"):
    write_csv(tmp_path / "p.csv", PINJAMAN_HEADER, [loan_row(account, 1, disbursed, plafon)])
    import_file("pinjaman", tmp_path / "p.csv")
    return Loan.objects.get(account_number=account)


def test_a_new_bank_rate_changes_the_subsidy_from_its_date(tmp_path, admin_user):
    _one_loan(tmp_path)
    scheme = Scheme.objects.get(code="MAWAR-2019")
    january = pinjaman_kpi(regency_codes=["33.03"], year=2019, as_of=date(2019, 1, 31))
    assert january["kredit_mawar_subsidi_bunga_tahun"] == 22 * 400
    bank_rate_set(scheme=scheme, effective_from=date(2019, 1, 20), annual_rate_percent=Decimal("9"), actor=admin_user)
    january = pinjaman_kpi(regency_codes=["33.03"], year=2019, as_of=date(2019, 1, 31))
    assert january["kredit_mawar_subsidi_bunga_tahun"] == 10 * 400 + 12 * 300
    assert AuditEntry.objects.filter(action="pinjaman.suku_bunga").count() == 1


def test_repayment_entered_by_the_bank_and_overpayment_refused_whole(tmp_path, make_user):
    officer = make_user("bank1", role="bank", regions=["33.03"])
    loan = _one_loan(tmp_path, plafon="600.000")
    repayment_record(loan=loan, transaction_number="B1", paid_on=date(2019, 2, 10), amount=500_000, actor=officer)
    with pytest.raises(ValidationError) as caught:
        repayment_record(loan=loan, transaction_number="B2", paid_on=date(2019, 3, 10), amount=200_000, actor=officer)
    assert "melebihi sisa pinjaman Rp100.000" in str(caught.value)
    # an earlier-dated payment that would make an accepted one exceed the plafon is refused too
    with pytest.raises(ValidationError):
        repayment_record(loan=loan, transaction_number="B0", paid_on=date(2019, 1, 20), amount=150_000, actor=officer)
    with pytest.raises(ValidationError):
        repayment_record(loan=loan, transaction_number="B1", paid_on=date(2019, 3, 10), amount=1_000, actor=officer)
    repayment_record(loan=loan, transaction_number="B3", paid_on=date(2019, 3, 10), amount=100_000, actor=officer)
    loan.refresh_from_db()
    assert loan.status == "lunas"
    assert list(loan.repayments.values_list("transaction_number", flat=True)) == ["B1", "B3"]
    assert AuditEntry.objects.filter(action="pinjaman.bayar").count() == 2


def test_write_off_then_recovery(tmp_path, admin_user):
    loan = _one_loan(tmp_path)
    loan_write_off(loan=loan, written_off_on=date(2019, 6, 1), actor=admin_user)
    repayment_record(loan=loan, transaction_number="R1", paid_on=date(2019, 7, 1), amount=100_000, actor=admin_user)
    loan.refresh_from_db()
    assert loan.status == "hapus_buku"
    assert loan.repayments.get().status == RepaymentStatus.RECOVERY
    assert pinjaman_kpi(regency_codes=["33.03"], year=2019, as_of=date(2019, 7, 1))["kredit_mawar_baki_debet"] == 0
    with pytest.raises(ValidationError):
        loan_write_off(loan=loan, written_off_on=date(2018, 6, 1), actor=admin_user)
