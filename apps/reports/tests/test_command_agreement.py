"""Issue #7's final check, our half: `kpi_report` as JSON, PDF and XLSX carry the same numbers."""

import io
import json

import pypdf
import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from apps.core.formatting import number_id, rupiah
from apps.reports.exports import summary_rows
from apps.reports.tests.factories import make_business, make_seller, record_sale, report_of
from apps.reports.tests.test_breakdowns import RETURNS, SALES

ARGS = ["--regency", "33.03", "--year", "2019", "--as-of", "2020-03-09"]


@pytest.fixture
def data_set(db):
    from apps.omzet.services import omzet_record_return

    sellers = {
        "A": make_seller(make_business(sector="Kuliner", years={2018: "mikro", 2019: "kecil"})),
        "B": make_seller(make_business(sector="Kerajinan", district_index=1, years={2018: "kecil", 2019: "menengah"})),
        None: None,
    }
    for i in range(5):
        make_business(years={2018: "mikro", 2019: "mikro"}, gender="L" if i % 2 else "P")
    make_business(years={2019: "mikro"}, status="tutup")
    for key, channel, seller, when, amount in SALES:
        record_sale(key=key, channel=channel, amount=amount, when=when, seller=sellers[seller])
    for key, original, when, amount in RETURNS:
        omzet_record_return(
            source_key=key, original_source_key=original, quantity=1, amount=amount, counted_at=when, actor=None
        )
    _koperasi(sellers)


def _koperasi(_sellers) -> None:
    """Cooperatives through the koperasi domain's models, once that app is installed."""
    from django.apps import apps

    if not apps.is_installed("apps.koperasi"):
        return
    from datetime import date

    from apps.koperasi.models import Koperasi, LaporanTahunan

    for i, (founded, dissolved, rat) in enumerate(
        [
            (date(2000, 1, 1), None, date(2019, 3, 1)),  # active
            (date(2000, 1, 1), None, date(2016, 3, 8)),  # RAT just outside 3 years: inactive
            (date(2000, 1, 1), date(2018, 6, 1), None),  # dissolved 2018
            (date(2000, 1, 1), None, date(2017, 3, 9)),  # RAT exactly D − 3 years: active
        ]
    ):
        k = Koperasi.objects.create(
            nomor_badan_hukum=f"BH-{i}",
            nama=f"Koperasi {i}",
            jenis="KSP",
            tanggal_badan_hukum=founded,
            regency_id="33.03",
            tanggal_pembubaran=dissolved,
        )
        if rat:
            LaporanTahunan.objects.create(koperasi=k, tahun_buku=rat.year - 1, tanggal_rat=rat)


def test_json_pdf_xlsx_agree(data_set, tmp_path, capsys):
    call_command("kpi_report", *ARGS, "--format", "json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["tukatuku_omzet_kumulatif"] == 4_150_000
    assert figures["tukatuku_omzet_tahun"] == 2_400_000
    pdf_path, xlsx_path = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    call_command("kpi_report", *ARGS, "--format", "pdf", "--output", str(pdf_path))
    call_command("kpi_report", *ARGS, "--format", "xlsx", "--output", str(xlsx_path))

    lines = [
        line.strip()
        for page in pypdf.PdfReader(io.BytesIO(pdf_path.read_bytes())).pages
        for line in page.extract_text().splitlines()
    ]
    sheet = load_workbook(xlsx_path)["Ringkasan"]
    xlsx = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}

    expected = summary_rows(report_of(figures))
    # Every SPEC §8 number of the JSON is in the summary of both files, as a number in the XLSX and
    # formatted Rp1.234.567 / 96.592 in the PDF.
    assert len(expected) >= 16
    for label, value, money in expected:
        assert xlsx[label] == value, label
        assert isinstance(xlsx[label], int), label
        assert lines[lines.index(label) + 1] == (rupiah(value) if money else number_id(value)), label
    assert xlsx["Tahun"] == 2019
