"""What a person downloads around an import: templates from the importers' own columns, the rejected rows
as XLSX and as a `;` CSV, the Indonesian summary on pages (the command line keeps SPEC §8's line), and a
human title on every job page."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from apps.imports.framework import importers, run_import
from apps.imports.models import ImportRun
from apps.imports.tests.test_framework import ROWS, write_csv
from apps.imports.workbook import column_doc, template_layouts
from apps.jobs.models import Job
from apps.jobs.registry import job_title, registered_kinds
from apps.jobs.services import job_run_pending

pytestmark = pytest.mark.django_db

REAL_IMPORTERS = sorted(k for k in importers() if not k.startswith("uji"))


@pytest.mark.parametrize(
    ("counts", "ringkasan", "summary"),
    [
        (
            (6, 3, 1, 0, 2),
            "baris: 6, baru: 3, diperbarui: 1, tidak berubah: 0, ditolak: 2",
            "rows: 6, created: 3, updated: 1, unchanged: 0, rejected: 2",
        ),
        (
            (45100, 4510, 0, 40590, 0),
            "baris: 45.100, baru: 4.510, diperbarui: 0, tidak berubah: 40.590, ditolak: 0",
            "rows: 45100, created: 4510, updated: 0, unchanged: 40590, rejected: 0",
        ),
    ],
)
def test_page_summary_is_indonesian_and_the_command_line_keeps_spec_line(counts, ringkasan, summary):
    rows, created, updated, unchanged, rejected = counts
    run = ImportRun(rows=rows, created=created, updated=updated, unchanged=unchanged, rejected=rejected)
    assert (run.ringkasan, run.summary) == (ringkasan, summary)
    with translation.override("en"):
        assert run.summary == summary  # never translated: scripts read it


def test_import_data_prints_the_spec_line(tmp_path):
    out = io.StringIO()
    call_command("import_data", "uji_alias", str(write_csv(tmp_path / "d.csv", ROWS)), "--quiet-progress", stdout=out)
    assert out.getvalue().strip() == "rows: 5, created: 3, updated: 0, unchanged: 0, rejected: 2"


@pytest.mark.parametrize("kind", REAL_IMPORTERS)
def test_template_has_the_importers_columns_an_example_row_and_notes(client, admin_user, kind):
    importer = importers()[kind]
    client.force_login(admin_user)
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="templat-{kind}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    layouts = template_layouts(importer)
    assert book.sheetnames == [title for title, _columns in layouts] + ["Keterangan"]
    for title, columns in layouts:
        header, example = (list(r) for r in book[title].iter_rows(min_row=1, max_row=2, values_only=True))
        assert header == list(columns)
        assert all(str(v or "").strip() for v in example), f"{kind}: an example value for every column"
    notes = list(book["Keterangan"].iter_rows(values_only=True))
    described = [row for row in notes[1:] if row and row[0]]
    assert len(described) >= sum(len(c) for _t, c in layouts)
    for row in described[: sum(len(c) for _t, c in layouts)]:
        assert all(str(cell or "").strip() for cell in row), f"{kind}: {row}"


@pytest.mark.parametrize(
    ("kind", "column", "meaning", "formats"),
    [
        ("umkm", "omzet_tahunan", "hasil penjualan setahun pada tahun data", "90.000"),
        ("umkm", "kode_wilayah", "desa/kelurahan tempat usaha", "33.03.01.2001"),
        ("umkm", "jenis_kelamin", "jenis kelamin pemilik", "L (laki-laki) atau P"),
        ("laporan_koperasi", "total_aset", "total aset", "Rp90.000"),
        ("laporan_koperasi", "tanggal_rat", "tanggal RAT", "09/03/2020"),
        ("angsuran", "tanggal_bayar", "Tanggal bayar", "2020-03-09"),
    ],
)
def test_notes_say_what_a_column_means_and_which_formats_it_takes(kind, column, meaning, formats):
    doc = column_doc(importers()[kind], column)
    assert meaning in str(doc.meaning) and formats in str(doc.formats)


def test_sales_template_has_one_sheet_per_marketplace():
    assert [t for t, _c in template_layouts(importers()["penjualan"])] == ["Shopee", "Tokopedia", "Bukalapak"]


def test_template_only_for_who_may_upload(client, make_user):
    client.force_login(make_user("penjual1", role="mitra_umkm"))
    assert client.get(reverse("imports:template", args=["umkm"])).status_code == 404
    assert client.get(reverse("imports:template", args=["produk_shopee"])).status_code == 200


def test_rejected_rows_as_xlsx_and_semicolon_csv_from_the_web(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("d.csv", "\n".join(",".join(r) for r in ROWS).encode())
    response = client.post(reverse("imports:upload", args=["uji_alias"]), {"file": upload})
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job_run_pending()
    job.refresh_from_db()
    run = ImportRun.objects.get(kind="uji_alias")
    assert job.result["summary"].startswith("baris: 5, baru: 3, diperbarui: 0, tidak berubah: 0, ditolak: 2")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "<h1>Impor Uji</h1>" in page and "rows:" not in page
    assert page.count("baris: 5, baru: 3") == 1  # once, not as the message and the summary

    book = load_workbook(io.BytesIO(client.get(reverse("imports:errors_xlsx", args=[run.pk])).content))
    assert list(book.active.iter_rows(values_only=True)) == [
        ("Baris", "Kolom", "Alasan", "ALIAS", "Kolom", "Lain"),
        (4, "alias", "wajib diisi", None, "z", None),
        (5, "kolom", "bukan nama kolom: 1bad", "c", "1bad", None),
    ]
    text = client.get(reverse("imports:errors", args=[run.pk])).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["baris", "kolom", "alasan", "ALIAS", "Kolom", "Lain"],
        ["4", "alias", "wajib diisi", "", "z"],
        ["5", "kolom", "bukan nama kolom: 1bad", "c", "1bad"],
    ]
    index = client.get(reverse("imports:index")).content.decode()
    assert "baris: 5, baru: 3" in index and "rows: 5" not in index
    assert reverse("imports:template", args=["umkm"]) in index


def test_command_line_rejected_rows_stay_comma_separated(tmp_path):
    result = run_import(kind="uji_alias", path=write_csv(tmp_path / "d.csv", ROWS))
    assert result.errors_path.read_text(encoding="utf-8-sig").splitlines()[0] == "baris,kolom,alasan,ALIAS,Kolom,Lain"


@pytest.mark.parametrize(
    ("kind", "params", "title"),
    [
        ("import", {"kind": "umkm"}, "Impor Registri UMKM"),
        ("import", {"kind": "koperasi"}, "Impor Registri koperasi"),
        ("reports.export", {"format": "pdf"}, "Ekspor laporan PDF"),
        ("reports.export", {"format": "xlsx"}, "Ekspor laporan XLSX"),
        ("reports.prepare", {}, "Menyiapkan laporan pimpinan"),
        ("orders_expire", {}, "Pembatalan pembayaran kedaluwarsa"),
        ("pinjaman.segments", {"scheme_ids": [1]}, "Hitung ulang subsidi bunga Kredit Mawar"),
        ("reports.export", {}, "Tugas latar"),  # params of an older version: a plain title, not a 500
    ],
)
def test_job_titles(kind, params, title):
    assert job_title(kind, params) == title


def test_every_job_kind_has_a_human_title():
    untitled = [kind for kind in registered_kinds() if not kind.startswith("test.") and job_title(kind, {}) == ""]
    assert untitled == []
    titled = {kind: job_title(kind, {"kind": "umkm", "format": "pdf"}) for kind in registered_kinds()}
    assert all(t != "Tugas latar" for k, t in titled.items() if not k.startswith("test.")), titled
