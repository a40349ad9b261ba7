"""The flow with its actors: the owner applies on a phone, the operator recommends in a letter, the bank
decides and disburses, repayments, the borrower's page; access refused as 404 to everyone else."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.audit.models import AuditEntry
from apps.pinjaman.models import Application, Bank, BankOfficer, BorrowerNotice, Loan
from apps.pinjaman.selectors import repeat_loan_offer
from apps.pinjaman.services import repayment_record
from apps.pinjaman.tests.factories import bank_officer, nik_for, owner_with_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    user = make_user("sri", role="mitra_umkm")
    owner_with_shop(user)
    return user


def _apply(client, owner, amount="2.500.000", nik=None, village="33.03.01.2001", declare=True):
    client.force_login(owner)
    data = {
        "business": str(owner.seller_memberships.get().seller.business_id),
        "nik": nik or nik_for(501),
        "amount": amount,
        "purpose": "modal gula kelapa",
        "residence_village": village,
    }
    if declare:
        data["no_other_bank_loan"] = "on"
    return client.post(reverse("pinjaman:apply"), data)


def _pdf_text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_owner_applies_operator_recommends_bank_approves_and_disburses(client, owner, operator, make_user):
    assert client.get(reverse("pinjaman:apply")).status_code == 302  # login first
    client.force_login(owner)
    page = client.get(reverse("pinjaman:apply"))
    assert page.status_code == 200 and nik_for(501) not in page.content.decode()

    wrong = _apply(client, owner, nik=nik_for(502))
    assert "NIK tidak cocok" in wrong.content.decode()
    assert not Application.objects.exists()

    response = _apply(client, owner)
    application = Application.objects.get()
    assert response.url == reverse("pinjaman:application", args=[application.pk])
    assert application.status == "diajukan" and application.channel == "online"
    assert all(c["passed"] for c in application.checks), application.checks
    assert nik_for(501) not in client.get(response.url).content.decode()

    client.force_login(operator)
    form = client.get(reverse("pinjaman:recommend"))
    assert application.number in form.content.decode()
    client.post(reverse("pinjaman:recommend"), {"letter_date": "2026-11-30", "applications": [str(application.pk)]})
    application.refresh_from_db()
    assert application.status == "direkomendasikan"
    letter = client.get(reverse("pinjaman:batch_letter", args=[application.batch_id]))
    assert letter["Content-Type"] == "application/pdf"
    text = _pdf_text(letter.content)
    assert "Rekomendasi" in text and "Rp2.500.000" in text and "3303**********01" in text

    bank = bank_officer(make_user)
    client.force_login(bank)
    url = reverse("pinjaman:application", args=[application.pk])
    refused = client.post(
        url, {"d-slik_result": "bersih", "d-decision": "setuju", "d-approved_amount": "3.000.000", "putuskan": "1"}
    )
    assert "tidak melebihi Rp2.500.000" in refused.content.decode()
    client.post(
        url, {"d-slik_result": "bersih", "d-decision": "setuju", "d-approved_amount": "2.000.000", "putuskan": "1"}
    )
    application.refresh_from_db()
    assert (application.status, application.approved_amount) == ("disetujui", 2_000_000)
    response = client.post(url, {"c-account_number": "0012-MAWAR", "c-disbursed_on": "2026-11-30", "cairkan": "1"})
    loan = Loan.objects.get()
    assert response.url == reverse("pinjaman:loan", args=[loan.pk])
    assert (loan.plafon, loan.disbursed_on, loan.owner_id, loan.source) == (
        2_000_000,
        date(2026, 11, 30),
        application.owner_id,
        "permohonan",
    )
    assert [i.principal for i in loan.instalments.all()] == [166_000] * 11 + [174_000]
    assert loan.instalments.first().due_on == date(2026, 12, 30)

    page = client.get(reverse("pinjaman:loan", args=[loan.pk]))
    assert "Rp166.000" in page.content.decode()
    client.post(
        reverse("pinjaman:loan", args=[loan.pk]),
        {"aksi": "bayar", "p-transaction_number": "T1", "p-paid_on": "2026-11-30", "p-amount": "166.000"},
    )
    over = client.post(
        reverse("pinjaman:loan", args=[loan.pk]),
        {"aksi": "bayar", "p-transaction_number": "T2", "p-paid_on": "2026-11-30", "p-amount": "2.000.000"},
    )
    assert "melebihi sisa pinjaman" in over.content.decode()
    assert loan.repayments.count() == 1

    client.force_login(owner)
    mine = client.get(reverse("pinjaman:mine")).content.decode()
    assert "0012-MAWAR" in mine and "Rp174.000" in mine
    # submitted, recommended, approved, disbursed, the repayment (the refused one tells nobody)
    notices = list(BorrowerNotice.objects.filter(user=owner).order_by("pk").values_list("text", flat=True))
    assert len(notices) == 5
    assert notices[-1] == "Pembayaran Rp166.000 pada 30 November 2026 diterima. Sisa pinjaman 0012-MAWAR: Rp1.834.000."
    schedule = client.get(reverse("pinjaman:schedule_pdf", args=[loan.pk]))
    assert "Rp174.000" in _pdf_text(schedule.content)
    actions = set(AuditEntry.objects.filter(action__startswith="pinjaman.").values_list("action", flat=True))
    assert {
        "pinjaman.permohonan_ajukan",
        "pinjaman.permohonan_rekomendasi",
        "pinjaman.permohonan_putus",
        "pinjaman.cairkan",
        "pinjaman.bayar",
    } <= actions
    repayment_record(loan=loan, transaction_number="T3", paid_on=date(2026, 11, 30), amount=1_834_000, actor=operator)
    assert BorrowerNotice.objects.filter(user=owner).order_by("pk").last().text == (
        "Pembayaran Rp1.834.000 pada 30 November 2026 diterima. Pinjaman 0012-MAWAR sudah lunas. Terima kasih."
    )


def test_hard_checks_stop_an_application_with_their_reasons(client, owner):
    _apply(client, owner, amount="3.000.000", village="luar", declare=False)
    application = Application.objects.get()
    assert application.status == "tidak_layak"
    failed = {c["code"]: c["reason"] for c in application.checks if not c["passed"]}
    assert failed == {
        "domisili": "tempat tinggal di luar kabupaten skema",
        "batas_plafon": "Rp3.000.000 di luar batas Rp500.000–Rp2.500.000",
        "tanpa_pinjaman_bank": "pemohon punya pinjaman bank lain",
    }
    page = client.get(reverse("pinjaman:application", args=[application.pk])).content.decode()
    assert "tempat tinggal di luar kabupaten skema" in page


def test_operator_applies_for_a_business_found_by_nik(client, operator, make_user):
    owner_with_shop(make_user("budi", role="mitra_umkm"), serial=777)
    client.force_login(operator)
    url = reverse("pinjaman:operator_apply")
    found = client.post(url, {"cari": "1", "nik": nik_for(777)})
    assert "Keripik 777" in found.content.decode()
    business_id = Application._meta.get_field("business").related_model.objects.get(name="Keripik 777").pk
    client.post(
        url,
        {
            "ajukan": "1",
            "nik": nik_for(777),
            "business": str(business_id),
            "amount": "1.000.000",
            "purpose": "modal",
            "residence_village": "33.03.01.2001",
            "no_other_bank_loan": "on",
        },
    )
    application = Application.objects.get()
    assert (application.channel, application.applicant_user, application.submitted_by) == ("operator", None, operator)


@pytest.mark.parametrize("who", ["anonymous", "buyer", "other_operator", "other_bank", "bank_before_recommendation"])
def test_others_cannot_see_an_application_or_loan(client, owner, make_user, who, other_operator, buyer):
    _apply(client, owner)
    application = Application.objects.get()
    client.logout()
    if who == "buyer":
        client.force_login(buyer)
    elif who == "other_operator":
        client.force_login(other_operator)
    elif who == "other_bank":
        other = Bank.objects.create(
            code="bpr-lain",
            name="BPR Lain",
            regency_id="33.02",
            collectibility_table=Bank.objects.get().collectibility_table,
        )
        user = make_user("bank2", role="bank", regions=["33.02"])
        BankOfficer.objects.create(user=user, bank=other)
        client.force_login(user)
    elif who == "bank_before_recommendation":
        client.force_login(bank_officer(make_user))
    response = client.get(reverse("pinjaman:application", args=[application.pk]))
    assert response.status_code == (302 if who == "anonymous" else 404)
    response = client.post(
        reverse("pinjaman:application", args=[application.pk]),
        {"d-slik_result": "bersih", "d-decision": "setuju", "d-approved_amount": "1.000.000", "putuskan": "1"},
    )
    application.refresh_from_db()
    assert application.status == "diajukan"


def test_repeat_loan_offered_only_when_the_rule_allows(client, owner, operator, make_user, tmp_path):
    from apps.pinjaman.tests.factories import PINJAMAN_HEADER, import_file, loan_row, write_csv

    assert not repeat_loan_offer(owner, date(2026, 12, 1))  # no loan yet: a first loan, not a repeat
    write_csv(tmp_path / "p.csv", PINJAMAN_HEADER, [loan_row("OLD", 501, "2025-01-10", "1.200.000")])
    import_file("pinjaman", tmp_path / "p.csv")
    loan = Loan.objects.get()
    loan.application = None
    assert not repeat_loan_offer(owner, date(2026, 12, 1))  # not repaid
    for k in range(1, 12):
        repayment_record(
            loan=loan, transaction_number=f"T{k}", paid_on=date(2025, 1 + k, 10), amount=100_000, actor=operator
        )
    repayment_record(loan=loan, transaction_number="T12", paid_on=date(2026, 1, 20), amount=100_000, actor=operator)
    assert repeat_loan_offer(owner, date(2026, 12, 1))  # 10 days late at most: within the seeded 30
    client.force_login(owner)
    assert "Ajukan pinjaman ulang" in client.get(reverse("pinjaman:mine")).content.decode()


def test_borrower_told_of_repayments_write_off_and_recovery(owner, operator, tmp_path):
    from apps.pinjaman.services import loan_write_off
    from apps.pinjaman.tests.factories import PINJAMAN_HEADER, import_file, loan_row, write_csv

    write_csv(tmp_path / "p.csv", PINJAMAN_HEADER, [loan_row("W1", 501, "2025-01-10", "1.200.000")])
    import_file("pinjaman", tmp_path / "p.csv")
    loan = Loan.objects.get()
    business = owner.seller_memberships.get().seller.business
    Application.objects.create(
        number="KM-UJI-1", scheme=loan.scheme, business=business, owner=business.owner, regency_id="33.03",
        amount_requested=1_200_000, purpose="modal", channel="online", applicant_user=owner, submitted_by=owner,
        status="dicairkan", loan=loan,
    )  # fmt: skip
    loan.refresh_from_db()
    repayment_record(loan=loan, transaction_number="T1", paid_on=date(2025, 2, 10), amount=100_000, actor=operator)
    loan_write_off(loan=loan, written_off_on=date(2025, 12, 31), actor=operator)
    repayment_record(loan=loan, transaction_number="R1", paid_on=date(2026, 1, 5), amount=50_000, actor=operator)
    assert list(BorrowerNotice.objects.filter(user=owner, loan=loan).order_by("pk").values_list("text", flat=True)) == [
        "Pembayaran Rp100.000 pada 10 Februari 2025 diterima. Sisa pinjaman W1: Rp1.100.000.",
        "Pinjaman W1 dihapusbukukan oleh bank per 31 Desember 2025. Pembayaran berikutnya tetap dicatat.",
        "Pembayaran Rp50.000 pada 5 Januari 2026 diterima untuk pinjaman W1 yang sudah dihapusbukukan.",
    ]
