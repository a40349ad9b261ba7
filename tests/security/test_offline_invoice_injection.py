"""L3: the OPD name and invoice number of an offline sale are printed as typed in the invoice PDF (no markup:
no links, no hidden text, no file reads, no 500) and cannot break out of the Content-Disposition header."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.omzet.offline import SaleItem, offline_sale_record
from apps.omzet.tests.factories import make_seller, make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def variant():
    return make_variant(seller=make_seller(district="33.03.05"), sku="BT-1", name="Batik Tulis", price=350000)


def _invoice(client, operator, variant, *, office: str, number: str):
    sale = offline_sale_record(
        regency_code="33.03",
        channel_code="opd",
        sale_date=date(2020, 2, 14),
        items=[SaleItem(variant, 1)],
        office_name=office,
        invoice_number=number,
        actor=operator,
    )
    client.force_login(operator)
    return client.get(reverse("omzet:offline_invoice", kwargs={"pk": sale.pk}))


@pytest.mark.parametrize(
    ("office", "printed"),
    [
        ("Dinas <b>Perindustrian", "Kepada: Dinas <b>Perindustrian"),
        ('<a href="javascript:alert(1)">Dinas</a>', 'Kepada: <a href="javascript:alert(1)">Dinas</a>'),
        ('<font color="white">Rahasia</font>', 'Kepada: <font color="white">Rahasia</font>'),
        ("Dinas </para> & \"Kominfo\" 'baru'", "Kepada: Dinas </para> & \"Kominfo\" 'baru'"),
        ('<img src="/etc/passwd"/>', 'Kepada: <img src="/etc/passwd"/>'),
        ("Dinas\r\nKominfo", "Kepada: Dinas Kominfo"),
    ],
)
def test_opd_name_is_printed_as_typed(client, operator, variant, office, printed):
    response = _invoice(client, operator, variant, office=office, number="TT/33.03/2020/0007")
    assert response.status_code == 200
    assert b"/URI" not in response.content  # no link annotation
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert printed in text.splitlines()


@pytest.mark.parametrize(
    ("number", "header", "printed"),
    [
        ("TT/33.03/2020/0001", 'inline; filename="faktur-TT-33.03-2020-0001.pdf"', "Nomor: TT/33.03/2020/0001"),
        (
            'SEC"; filename="evil.html',
            'inline; filename="faktur-SEC-filename-evil.html.pdf"',
            'Nomor: SEC"; filename="evil.html',
        ),
        ("A\r\nSet-Cookie: x=1", 'inline; filename="faktur-A-Set-Cookie-x-1.pdf"', "Nomor: A Set-Cookie: x=1"),
        ("<b>12</b>", 'inline; filename="faktur-b-12-b.pdf"', "Nomor: <b>12</b>"),
        ("\"'<>", 'inline; filename="faktur-penjualan-{pk}.pdf"', "Nomor: \"'<>"),
    ],
)
def test_invoice_number_in_header_and_pdf(client, operator, variant, number, header, printed):
    response = _invoice(client, operator, variant, office="Bappeda", number=number)
    assert response.status_code == 200
    from apps.omzet.models import OfflineSale

    assert response["Content-Disposition"] == header.format(pk=OfflineSale.objects.get().pk)
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert printed in text.splitlines()
