"""Kredit Mawar in the leadership report: every breakdown adds up to the figure, the section's tables on the
page, PDF and XLSX, and every number drilling to the loans behind it (their count or their rupiah total)."""

import io
from datetime import date
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.pinjaman import report
from apps.pinjaman.tests.factories import import_file
from apps.pinjaman.tests.test_import_kpi import _dataset, _write_files

pytestmark = pytest.mark.django_db
QUERY = {"wilayah": "33.03", "tahun": "2019", "per": "2020-03-09"}


@pytest.fixture
def imported(tmp_path):
    loans, rejected, payments, write_offs = _dataset()
    files = _write_files(tmp_path, loans, rejected, payments, write_offs)
    for kind, path in zip(("pinjaman", "angsuran", "hapus_buku"), files, strict=True):
        import_file(kind, path)


@pytest.fixture
def pimpinan(make_user):
    return make_user("bupati", role="pimpinan", regions=["33.03"])


@pytest.mark.parametrize(
    "share,shown",
    [
        (None, "–"),
        (Fraction(0), "0,00%"),
        (Fraction(1, 3), "33,33%"),
        (Fraction(2, 3), "66,67%"),
        (Fraction(1, 8), "12,50%"),
        (Fraction(1, 20000), "0,01%"),  # half a hundredth rounds up
        (Fraction(1, 20001), "0,00%"),
        (Fraction(1), "100,00%"),
    ],
)
def test_npl_percent_half_up_to_two_decimals(share, shown):
    assert report._percent(share) == shown


@pytest.mark.parametrize("year,as_of", [(2019, date(2020, 3, 9)), (2020, date(2020, 12, 31))])
def test_breakdowns_add_up_and_records_match(imported, year, as_of):
    args = {"region": "33.03", "year": year, "as_of": as_of}
    figures = report.kpi(**args)
    for by in ("wilayah", "skema", "bulan"):
        rows = report.breakdown(**args, by=by)
        assert sum(r["pencairan"] for r in rows) == figures["kredit_mawar_pencairan_tahun"], by
        assert sum(r["subsidi"] for r in rows) == figures["kredit_mawar_subsidi_bunga_tahun"], by
        if by != "bulan":
            assert sum(r["baki_debet"] for r in rows) == figures["kredit_mawar_baki_debet"], by
    kol = report.breakdown(**args, by="kolektibilitas")
    assert {r["key"]: r["baki_debet"] for r in kol} == figures["kredit_mawar_kolektibilitas"]
    behind = report.records(**args, figure="pencairan").queryset
    assert sum(loan.plafon for loan in behind) == figures["kredit_mawar_pencairan_tahun"]
    assert report.records(**args, figure="debitur").queryset.count() == figures["kredit_mawar_debitur_tahun"]
    assert report.records(**args, figure="subsidi").total == figures["kredit_mawar_subsidi_bunga_tahun"]
    for k in "12345":
        found = report.records(**args, figure="kolektibilitas", kolektibilitas=k)
        row = next(r for r in kol if r["key"] == k)
        assert (found.queryset.count(), found.total) == (row["pinjaman"], row["baki_debet"])


def test_section_on_the_page_every_number_drills_to_its_records(client, pimpinan, imported):
    client.force_login(pimpinan)
    response = client.get(reverse("reports:page"), QUERY)
    figures = response.context["figures"]
    section = next(s for s in response.context["sections"] if s.key == "pinjaman")
    assert section.title == "Kredit Mawar"
    tables = {t.key: t for t in section.tables}
    assert list(tables) == [
        "kredit_mawar",
        "kredit_mawar_nilai",
        "kredit_mawar_kolektibilitas",
        "kredit_mawar_per_wilayah",
        "kredit_mawar_per_skema",
        "kredit_mawar_per_bulan",
    ]
    # 12 loans of MAWAR-2019 in 2019 to 11 debtors (L07 and L17 are one person), Rp19.050.000 (the plafon)
    assert [(r.label, r.values) for r in tables["kredit_mawar"].rows] == [
        ("Debitur dengan pencairan dalam tahun", (11,)),
        ("Pinjaman dicairkan dalam tahun", (12,)),
        ("Pinjaman beredar pada tanggal posisi", (figures_outstanding := tables["kredit_mawar"].rows[2].values[0],)),
    ]
    bad = sum(figures["kredit_mawar_kolektibilitas"][k] for k in "345")
    nilai = [(r.label, r.values) for r in tables["kredit_mawar_nilai"].rows]
    assert nilai[0] == ("Pencairan dalam tahun", (19_050_000,))
    assert nilai[1] == ("Baki debet pada tanggal posisi", (figures["kredit_mawar_baki_debet"],))
    npl = report._percent(Fraction(bad, figures["kredit_mawar_baki_debet"]))
    assert nilai[2] == (f"Baki debet bermasalah (kolektibilitas 3–5), NPL {npl}", (bad,))
    assert nilai[3] == (
        "Subsidi bunga hari-hari tahun s.d. tanggal posisi",
        (figures["kredit_mawar_subsidi_bunga_tahun"],),
    )
    kol = tables["kredit_mawar_kolektibilitas"]
    assert [r.label for r in kol.rows] == [
        "1 Lancar",
        "2 Dalam Perhatian Khusus",
        "3 Kurang Lancar",
        "4 Diragukan",
        "5 Macet",
        "Jumlah",
    ]
    assert [r.values[0] for r in kol.rows[:5]] == [figures["kredit_mawar_kolektibilitas"][k] for k in "12345"]
    assert figures_outstanding > 0
    per_skema = [(r.label, r.values[0]) for r in tables["kredit_mawar_per_skema"].rows]
    assert per_skema[0] == ("MAWAR-2019", 19_050_000) and per_skema[-1] == ("Jumlah", 19_050_000)
    assert [r.label for r in tables["kredit_mawar_per_wilayah"].rows] == ["Kemangkon", "Jumlah"]
    checked = 0
    for table in section.tables:
        for row in table.rows:
            for value, link in row.cells():
                assert link.startswith("/laporan/rincian/"), (table.key, row.label)
                drill = client.get(link)
                assert drill.status_code == 200, link
                shown = drill.context["total"] if table.money else drill.context["page"].paginator.count
                assert shown == value, (table.key, row.label, link)
                checked += 1
    assert checked == 3 + 4 + 6 + 3 * 2 + 3 * 3 + 2 * len(tables["kredit_mawar_per_bulan"].rows)


def test_drill_pages_show_the_loans_figures(client, pimpinan, imported):
    client.force_login(pimpinan)
    page = client.get(reverse("reports:drill", args=["kolektibilitas"]), {**QUERY, "kolektibilitas": "5"})
    html = page.content.decode()
    assert "Pinjaman Kredit Mawar yang beredar" in html and "5 Macet" in html
    assert page.context["drill"].columns[-3:] == ["Baki debet", "Hari tunggakan", "Kolektibilitas"]
    subsidi = client.get(reverse("reports:drill", args=["subsidi"]), {**QUERY, "bulan": "13"})
    assert subsidi.status_code == 404


def test_summary_xlsx_pdf(client, pimpinan, imported):
    client.force_login(pimpinan)
    wb = load_workbook(io.BytesIO(client.get(reverse("reports:export"), {**QUERY, "format": "xlsx"}).content))
    cells = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"Kredit Mawar: pencairan dalam tahun", "Kredit Mawar per skema", "Kredit Mawar"} <= cells
    assert 19_050_000 in cells and 11 in cells
    pdf = client.get(reverse("reports:export"), {**QUERY, "format": "pdf"}).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kredit Mawar tahun 2019, posisi 9 Maret 2020" in text
    assert "Rp19.050.000" in text and "Baki debet per kolektibilitas pada tanggal posisi" in text


def test_province_section_splits_by_regency(imported):
    rows = report.breakdown("33", 2019, date(2020, 3, 9), "wilayah")
    assert [(r["key"], r["label"], r["pencairan"]) for r in rows] == [("33.03", "Kabupaten Purbalingga", 19_050_000)]


def test_section_in_english(client, pimpinan, imported):
    client.force_login(pimpinan)
    html = client.get(reverse("reports:page"), QUERY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kredit Mawar loans by scheme" in html and "Outstanding (baki debet) by collectibility on the date" in html
