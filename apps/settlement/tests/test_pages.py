"""Pages, files and access: a seller sees only its own statements, an officer only its regency's."""

import io
from datetime import date

import pytest
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.core.uploads import simple_pdf
from apps.jobs.models import Job
from apps.jobs.services import job_run_pending
from apps.omzet.tests.factories import make_seller, make_variant
from apps.settlement.models import Payout, Statement
from apps.settlement.services import statement_close, statements_generate
from apps.settlement.tests.factories import rule, showroom_sale

pytestmark = pytest.mark.django_db

FEB = date(2026, 2, 1)


@pytest.fixture
def setup(make_user, operator):
    owner = make_user("penjual1", role="mitra_umkm")
    seller = make_seller(name="Nopia Mino", district="33.03.05", user=owner)
    variant = make_variant(seller=seller, sku="NM-1", name="Nopia Bawang", price=25_000)
    rule(percent_bp=1000, valid_from=date(2026, 1, 1))
    showroom_sale(variant, day=date(2026, 2, 10), quantity=4)
    statements_generate(regency_code="33.03", period=FEB, actor=operator)
    return {"owner": owner, "seller": seller, "statement": Statement.objects.get(seller=seller)}


def who(name, make_user, setup, operator, other_operator, buyer):
    return {
        "anonymous": None,
        "buyer": buyer,
        "other_seller": make_seller(name="Lain", user=make_user("penjual2", role="mitra_umkm")).members.get().user,
        "other_operator": other_operator,
        "owner": setup["owner"],
        "operator": operator,
    }[name]


@pytest.mark.parametrize(
    "name, detail, pdf",
    [
        ("anonymous", 302, 302),
        ("buyer", 404, 404),
        ("other_seller", 404, 404),
        ("other_operator", 404, 404),
        ("owner", 200, 200),
        ("operator", 200, 200),
    ],
)
def test_statement_read_access(client, make_user, setup, operator, other_operator, buyer, name, detail, pdf):
    user = who(name, make_user, setup, operator, other_operator, buyer)
    if user is not None:
        client.force_login(user)
    pk = setup["statement"].pk
    assert client.get(reverse("settlement:detail", args=[pk])).status_code == detail
    assert client.get(reverse("settlement:pdf", args=[pk])).status_code == pdf
    assert client.get(reverse("settlement:xlsx", args=[pk])).status_code == pdf


@pytest.mark.parametrize(
    "name, status", [("anonymous", 302), ("owner", 403), ("other_operator", 404), ("buyer", 403), ("operator", 302)]
)
def test_only_the_regencys_staff_record_a_payout_or_close(
    client, make_user, setup, operator, other_operator, buyer, name, status
):
    user = who(name, make_user, setup, operator, other_operator, buyer)
    if user is not None:
        client.force_login(user)
    pk = setup["statement"].pk
    response = client.post(
        reverse("settlement:payout", args=[pk]),
        {"date": "2026-02-28", "amount": "50.000", "reference": "TRF-9"},
    )
    assert response.status_code == status
    assert Payout.objects.count() == (1 if name == "operator" else 0)
    client.post(reverse("settlement:close", args=[pk]))
    assert Statement.objects.get(pk=pk).is_closed == (name == "operator")


def test_officer_list_is_scoped_to_its_regency(client, setup, operator, other_operator):
    client.force_login(other_operator)
    page = client.get(reverse("settlement:period"), {"bulan": "2026-02"})
    assert page.status_code == 200 and "Nopia Mino" not in page.content.decode()
    client.force_login(operator)
    page = client.get(reverse("settlement:period"), {"bulan": "2026-02"}).content.decode()
    assert "Nopia Mino" in page and "Rp90.000" in page  # 100.000 − 10% commission


def test_seller_back_office_shows_its_balance_and_statements(client, setup):
    client.force_login(setup["owner"])
    page = client.get(reverse("settlement:my_statements")).content.decode()
    assert "Rp90.000" in page and reverse("settlement:pdf", args=[setup["statement"].pk]) in page
    menu = client.get(reverse("core:home")).content.decode()  # the menu of every page
    assert reverse("settlement:my_statements") in menu


def test_payout_with_proof_then_the_pdf_and_xlsx_open_and_add_up(client, setup, operator):
    client.force_login(operator)
    pk = setup["statement"].pk
    proof = SimpleUploadedFile("bukti.pdf", simple_pdf("Bukti transfer"), content_type="application/pdf")
    response = client.post(
        reverse("settlement:payout", args=[pk]),
        {"date": "2026-02-28", "amount": "Rp40.000", "reference": "TRF-77", "proof": proof},
    )
    assert response.status_code == 302
    payout = Payout.objects.get()
    assert payout.amount == 40_000 and payout.proof
    client.post(
        reverse("settlement:adjustment", args=[pk]), {"date": "2026-02-20", "amount": "-15.000", "reason": "Biaya stan"}
    )
    proof_response = client.get(reverse("settlement:payout_proof", args=[payout.pk]))
    assert proof_response.status_code == 200 and proof_response["Content-Type"] == "application/pdf"
    assert b"".join(proof_response.streaming_content).startswith(b"%PDF")
    signals.request_finished.disconnect(close_old_connections)  # as the test client does: keep the test's db
    try:
        proof_response.close()  # the stored file
    finally:
        signals.request_finished.connect(close_old_connections)
    statement_close(statement=Statement.objects.get(pk=pk), actor=operator)

    client.force_login(setup["owner"])
    pdf = client.get(reverse("settlement:pdf", args=[pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Nopia Mino" in text and "Rp35.000" in text and "TRF-77" in text  # 90.000 − 15.000 − 40.000
    wb = load_workbook(io.BytesIO(client.get(reverse("settlement:xlsx", args=[pk])).content))
    values = {row[0]: row[1] for row in wb.active.iter_rows(values_only=True) if row and row[0]}
    assert values["Saldo akhir (Rp)"] == 35_000 and values["Penjualan bersih (Rp)"] == 90_000


def test_generate_job_runs_with_progress(client, make_user, operator):
    seller = make_seller(name="Sale Pisang", district="33.03.01")
    showroom_sale(make_variant(seller=seller, sku="SP-1", price=18_000), day=date(2026, 2, 3), quantity=1)
    client.force_login(operator)
    response = client.post(reverse("settlement:generate"), {"bulan": "2026-02", "wilayah": "33.03"})
    job = Job.objects.get(kind="settlement.generate")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job_run_pending()
    job.refresh_from_db()
    assert job.status == "done" and job.progress_done == job.progress_total == 1
    assert Statement.objects.filter(seller=seller, period=FEB).exists()
