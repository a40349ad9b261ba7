"""A small file in the SPEC template, imported with the real command, read back through kpi_report."""

import json

import pytest
from django.core.management import call_command

from apps.umkm.tests.factories import umkm_csv, umkm_row

pytestmark = pytest.mark.django_db

JT = 1_000_000


def business(n, *, village="33.03.01.2001", nib="", years, female=False):
    """Rows of one business: {year: (modal, omzet)}; NIK serial n."""
    nik = f"330301{12 + (40 if female else 0):02d}0480{n:04d}"
    return [
        umkm_row(
            nik=nik,
            jenis_kelamin="P" if female else "L",
            nama_usaha=f"Usaha {n}",
            nib=nib,
            kode_wilayah=village,
            tahun_data=year,
            modal_usaha=modal,
            omzet_tahunan=omzet,
        )
        for year, (modal, omzet) in years.items()
    ]


def build_rows():
    rows = []
    # boundaries under UU 20/2008 (≤ ceilings are inclusive; the lower class of the two criteria wins)
    rows += business(1, years={2018: (50 * JT, 300 * JT), 2019: (50 * JT + 1, 300 * JT + 1)})  # mikro -> kecil
    rows += business(2, years={2018: (50 * JT + 1, 300 * JT), 2019: (50 * JT, 300 * JT + 1)})  # mikro, mikro
    rows += business(3, nib="9120000000003", years={2018: (500 * JT, 2_500 * JT), 2019: (500 * JT + 1, 2_500 * JT + 1)})
    rows += business(4, years={2018: (10_000 * JT, 50_000 * JT), 2019: (10_000 * JT + 1, 50_000 * JT + 1)})
    rows += business(5, village="33.03.05.1001", years={2018: (10 * JT, 100 * JT), 2019: (600 * JT, 3_000 * JT)})
    rows += business(
        6, village="33.03.05.1001", female=True, years={2018: (400 * JT, 2_000 * JT), 2019: (40 * JT, 2_000 * JT)}
    )
    rows += business(7, female=True, years={2019: (60 * JT, 400 * JT)})  # kecil, new in 2019
    rows += business(8, years={2018: (60 * JT, 400 * JT)})  # kecil, only 2018
    rows += business(9, years={2020: (60 * JT, 400 * JT)})  # after the report year
    # duplicates: the same rows again, and the same business written differently
    rows += business(1, years={2018: (50 * JT, 300 * JT)})
    rows.append(umkm_row(**{**business(2, years={2019: (50 * JT, 300 * JT + 1)})[0], "nama_usaha": "USAHA  2."}))
    # another regency's businesses (rejected with --regency 33.03)
    rows += business(10, village="33.02.01.2001", years={2018: (10 * JT, 100 * JT), 2019: (100 * JT, 500 * JT)})
    # invalid rows
    rows.append(umkm_row(nik="3303011304801234", nama_usaha="NIB salah", nib="12345"))
    rows.append(umkm_row(nik="3303011304809999", nama_usaha="Omzet negatif", omzet_tahunan="-1"))
    rows.append(umkm_row(nik="3303019904801234", nama_usaha="Tanggal lahir salah"))
    rows.append(umkm_row(nik="3303011304801235", nama_usaha="Desa tak dikenal", kode_wilayah="33.03.01.2999"))
    return rows


def test_import_then_kpi_report_json(tmp_path, capsys):
    path = umkm_csv(tmp_path / "umkm.csv", build_rows())
    call_command("import_data", "umkm", str(path), "--regency", "33.03", "--quiet-progress")
    assert capsys.readouterr().out.strip() == "rows: 23, created: 15, updated: 0, unchanged: 2, rejected: 6"

    call_command("kpi_report", "--regency", "33.03", "--year", "2019", "--as-of", "2020-03-09", "--format", "json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["umkm_total"] == 8
    assert figures["umkm_per_kelas"] == {"mikro": 2, "kecil": 3, "menengah": 2, "besar": 1}
    assert figures["naik_kelas"] == {"mikro_kecil": 1, "kecil_menengah": 1, "menengah_besar": 1, "mikro_menengah": 1}

    call_command("kpi_report", "--regency", "33.03", "--year", "2018", "--as-of", "2019-03-09", "--format", "json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["umkm_total"] == 7
    assert figures["umkm_per_kelas"] == {"mikro": 3, "kecil": 3, "menengah": 1, "besar": 0}
    assert figures["naik_kelas"] == {"mikro_kecil": 0, "kecil_menengah": 0, "menengah_besar": 0}

    # the same file again changes nothing
    call_command("import_data", "umkm", str(path), "--regency", "33.03", "--quiet-progress")
    assert capsys.readouterr().out.strip() == "rows: 23, created: 0, updated: 0, unchanged: 17, rejected: 6"
