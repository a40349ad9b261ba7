"""The PDF and XLSX read back carry exactly the numbers of the JSON figures."""

import io
import os
import re
from datetime import UTC, datetime

import pypdf
import pytest
from openpyxl import load_workbook

from apps.reports import exports
from apps.reports.exports import COUNT_FORMAT, RUPIAH_FORMAT
from apps.reports.tests.factories import report_of

ARTICLE = {
    "regency": "33.03",
    "year": 2019,
    "as_of": "2020-03-09",
    "tukatuku_omzet_kumulatif": 129_000_000,
    "tukatuku_omzet_tahun": 80_500_000,
    "umkm_total": 96_592,
    "umkm_per_kelas": {"mikro": 90_010, "kecil": 6_001, "menengah": 489, "besar": 92},
    "naik_kelas": {"mikro_kecil": 23, "kecil_menengah": 4, "menengah_besar": 1},
    "koperasi_total": 239,
    "koperasi_aktif": 171,
    "koperasi_tidak_aktif": 68,
    "koperasi_sehat": 129,
    "koperasi_tidak_sehat": 42,
    "koperasi_belum_dinilai": 0,
    "koperasi_dibubarkan_per_tahun": {"2017": 3, "2018": 29},
}
BREAKDOWNS = {
    "omzet_per_kanal": [
        {"key": "bukalapak", "label": "Bukalapak", "kumulatif": 100_000_000, "tahun": 60_000_000},
        {"key": "web", "label": "Toko daring", "kumulatif": 29_000_000, "tahun": 20_500_000},
    ],
    "umkm_per_jenis_kelamin": [
        {"key": "L", "label": "Laki-laki", "jumlah": 50_000},
        {"key": "P", "label": "Perempuan", "jumlah": 46_592},
    ],
}
PRINTED = datetime(2020, 3, 10, 2, 30, tzinfo=UTC)  # 09:30 WIB


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_lines(data: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(data).splitlines()]


@pytest.mark.django_db
def test_pdf_header_footer_and_summary():
    data = exports.render(report_of(ARTICLE, BREAKDOWNS), "pdf", printed_at=PRINTED)
    text = pdf_text(data)
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "LAPORAN PIMPINAN" in text
    assert "Kabupaten Purbalingga, Provinsi Jawa Tengah" in text
    assert "Tahun 2019 · Posisi data 9 Maret 2020" in text
    assert "Dicetak 10 Maret 2020 09:30 WIB" in text
    for page in range(1, pages + 1):
        assert f"Halaman {page} dari {pages}" in text
    lines = pdf_lines(data)
    # The summary lists every SPEC §8 figure as a label followed by its formatted value.
    expected = [
        ("Omzet Tuka-Tuku kumulatif s.d. tanggal posisi", "Rp129.000.000"),
        ("Omzet Tuka-Tuku dalam tahun", "Rp80.500.000"),
        ("UMKM terdaftar", "96.592"),
        ("UMKM kelas mikro", "90.010"),
        ("UMKM kelas kecil", "6.001"),
        ("UMKM kelas menengah", "489"),
        ("UMKM kelas besar", "92"),
        ("Naik kelas Mikro → Kecil", "23"),
        ("Naik kelas Kecil → Menengah", "4"),
        ("Naik kelas Menengah → Besar", "1"),
        ("Koperasi terdaftar", "239"),
        ("Koperasi aktif", "171"),
        ("Koperasi tidak aktif", "68"),
        ("Koperasi aktif yang sehat", "129"),
        ("Koperasi aktif yang tidak sehat", "42"),
        ("Koperasi aktif yang belum dinilai", "0"),
        ("Koperasi dibubarkan tahun 2017", "3"),
        ("Koperasi dibubarkan tahun 2018", "29"),
    ]
    for label, value in expected:
        i = lines.index(label)
        assert lines[i + 1] == value, label


@pytest.mark.django_db
def test_pdf_breakdown_tables():
    lines = pdf_lines(exports.render(report_of(ARTICLE, BREAKDOWNS), "pdf", printed_at=PRINTED))
    i = lines.index("Bukalapak", lines.index("Dalam tahun"))
    assert lines[i : i + 9] == [
        "Bukalapak",
        "Rp100.000.000",
        "Rp60.000.000",
        "Toko daring",
        "Rp29.000.000",
        "Rp20.500.000",
        "Jumlah",
        "Rp129.000.000",
        "Rp80.500.000",
    ]


@pytest.mark.django_db
def test_pdf_province_title():
    text = pdf_text(exports.render(report_of({**ARTICLE, "regency": "33"}), "pdf", printed_at=PRINTED))
    assert "Provinsi Jawa Tengah" in text
    assert "Kabupaten Purbalingga" not in text


def xlsx_values(data: bytes) -> dict[str, dict[str, list]]:
    """sheet -> label -> the row's other cells (values, and their number formats under '#fmt')."""
    wb = load_workbook(io.BytesIO(data))
    out: dict[str, dict[str, list]] = {}
    for ws in wb.worksheets:
        rows: dict[str, list] = {}
        for row in ws.iter_rows():
            if row[0].value is None:
                continue
            label = str(row[0].value)
            cells = [c for c in row[1:] if c.value is not None]
            rows.setdefault(label, [c.value for c in cells])
            rows.setdefault(label + "#fmt", [c.number_format for c in cells])
        out[ws.title] = rows
    return out


@pytest.mark.django_db
def test_xlsx_one_sheet_per_section_with_real_numbers():
    data = exports.render(report_of(ARTICLE, BREAKDOWNS), "xlsx", printed_at=PRINTED)
    sheets = xlsx_values(data)
    assert list(sheets) == ["Ringkasan", "Omzet Tuka-Tuku", "UMKM", "Koperasi"]
    s = sheets["Ringkasan"]
    assert s["Omzet Tuka-Tuku kumulatif s.d. tanggal posisi"] == [129_000_000]
    assert s["Omzet Tuka-Tuku kumulatif s.d. tanggal posisi#fmt"] == [RUPIAH_FORMAT]
    assert s["UMKM terdaftar"] == [96_592]
    assert s["UMKM terdaftar#fmt"] == [COUNT_FORMAT]
    assert s["Naik kelas Mikro → Kecil"] == [23]
    assert s["Koperasi dibubarkan tahun 2018"] == [29]
    assert s["Tahun"] == [2019]
    omzet = sheets["Omzet Tuka-Tuku"]
    assert omzet["Bukalapak"] == [100_000_000, 60_000_000]
    assert omzet["Bukalapak#fmt"] == [RUPIAH_FORMAT, RUPIAH_FORMAT]
    umkm = sheets["UMKM"]
    assert umkm["Mikro"] == [90_010]
    assert umkm["Jumlah UMKM terdaftar"] == [96_592]
    assert umkm["Perempuan"] == [46_592]
    assert umkm["Mikro → Kecil"] == [23]
    kop = sheets["Koperasi"]
    assert kop["Aktif"] == [171]
    assert kop["Tidak aktif"] == [68]
    assert kop["Sehat"] == [129]
    assert kop["Tidak sehat"] == [42]
    assert kop["2018"] == [29]
    assert all(isinstance(v, int) for v in umkm["Mikro"] + kop["Aktif"] + omzet["Bukalapak"])


def test_unknown_format_refused():
    with pytest.raises(ValueError):
        exports.render(report_of(ARTICLE), "docx")


def test_font_fallback(monkeypatch, settings):
    exports.pdf_fonts.cache_clear()
    monkeypatch.setattr(os.path, "isdir", lambda d: False)
    try:
        assert exports.pdf_fonts() == ("Helvetica", "Helvetica-Bold")
        assert exports._text("Mikro → Kecil") == "Mikro -> Kecil"
    finally:
        exports.pdf_fonts.cache_clear()
    assert re.match(r"DejaVuSans|Helvetica", exports.pdf_fonts()[0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signatories, signed",
    [
        (
            {"33.03": {"name": "Dra. Sri Lestari", "nip": "19680101 199003 2 004", "title": "Kepala Dinas"}},
            ["Kepala Dinas", "Dra. Sri Lestari", "NIP. 19680101 199003 2 004"],
        ),
        (
            {"33.02": {"name": "Orang Lain", "nip": "1"}},
            ["Kepala Dinas Koperasi dan UKM", "________________________", "NIP."],
        ),
    ],
)
def test_pdf_letterhead_and_signatory_come_from_settings(settings, signatories, signed):
    settings.REPORT_SIGNATORIES = signatories
    settings.REPORT_ADDRESS = "Jl. Jenderal Sudirman No. 1 Purbalingga"
    lines = pdf_lines(exports.render(report_of(ARTICLE), "pdf", printed_at=PRINTED))
    top = lines[: lines.index("LAPORAN PIMPINAN")]
    assert {"PEMERINTAH KABUPATEN PURBALINGGA", "DINAS KOPERASI DAN USAHA KECIL MENENGAH", "LOGO"} <= set(top)
    assert "Jl. Jenderal Sudirman No. 1 Purbalingga" in top
    end = lines[lines.index("Purbalingga, 10 Maret 2020") :]
    assert end[1 : 1 + len(signed)] == signed
    assert "Orang Lain" not in lines
