"""KPI figures (docs/architecture.md): the three-year RAT window, dissolution dates, and the whole
path from the two import templates to `manage.py kpi_report --format json`."""

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from apps.koperasi.models import Assessment
from apps.koperasi.rules import add_months, rat_window, years_before
from apps.koperasi.selectors import (
    dissolution_candidates,
    koperasi_breakdown,
    koperasi_kpi,
    status_on,
)
from apps.koperasi.services import assessments_recompute
from apps.koperasi.tests.factories import (
    GOOD_FIGURES,
    KOPERASI_HEADER,
    LAPORAN_HEADER,
    ZERO_FIGURES,
    make_koperasi,
    make_laporan,
    write_csv,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "as_of,start",
    [
        (date(2020, 3, 9), date(2017, 3, 9)),
        (date(2020, 2, 29), date(2017, 2, 28)),  # 29 February back to a common year
        (date(2024, 2, 29), date(2021, 2, 28)),
        (date(2023, 2, 28), date(2020, 2, 28)),
        (date(2023, 3, 1), date(2020, 3, 1)),
        (date(2019, 12, 31), date(2016, 12, 31)),
    ],
)
def test_rat_window_is_three_calendar_years_back_inclusive(as_of, start):
    assert rat_window(as_of) == (start, as_of)
    assert years_before(as_of, 3) == start


@pytest.mark.parametrize(
    "d,months,expected",
    [
        (date(2019, 12, 31), 2, date(2020, 2, 29)),
        (date(2018, 12, 31), 2, date(2019, 2, 28)),
        (date(2019, 1, 31), 1, date(2019, 2, 28)),
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2019, 10, 31), 4, date(2020, 2, 29)),
        (date(2019, 3, 31), 1, date(2019, 4, 30)),
        (date(2019, 11, 30), 2, date(2020, 1, 30)),
        (date(2019, 5, 15), 4, date(2019, 9, 15)),
        (date(2019, 11, 15), 2, date(2020, 1, 15)),
        (date(2020, 2, 29), -12, date(2019, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(d, months, expected):
    assert add_months(d, months) == expected


# (as_of, RAT date, active?) around [D − 3 years, D]
WINDOW = [
    (date(2020, 3, 9), date(2017, 3, 9), True),
    (date(2020, 3, 9), date(2017, 3, 8), False),
    (date(2020, 3, 9), date(2020, 3, 9), True),
    (date(2020, 3, 9), date(2020, 3, 10), False),
    (date(2020, 2, 29), date(2017, 2, 28), True),
    (date(2020, 2, 29), date(2017, 2, 27), False),
    (date(2023, 3, 1), date(2020, 2, 29), False),
    (date(2023, 3, 1), date(2020, 3, 1), True),
    (date(2024, 2, 29), date(2021, 2, 28), True),
    (date(2024, 2, 29), date(2021, 2, 27), False),
]


@pytest.mark.parametrize("as_of,rat,active", WINDOW)
def test_active_means_an_accepted_rat_within_three_years(as_of, rat, active):
    k = make_koperasi(tanggal_badan_hukum=date(2000, 1, 1))
    make_laporan(k, rat.year - 1, rat)
    figures = koperasi_kpi(regency_codes=["33.03"], year=as_of.year - 1, as_of=as_of)
    assert (figures["koperasi_aktif"], figures["koperasi_tidak_aktif"]) == ((1, 0) if active else (0, 1))
    assert status_on(k, as_of) == ("aktif" if active else "tidak_aktif")


def test_a_submitted_or_returned_report_does_not_make_a_cooperative_active():
    k = make_koperasi()
    make_laporan(k, 2018, date(2019, 4, 1), status="diajukan")
    make_laporan(k, 2019, date(2020, 2, 1), status="dikembalikan")
    assert koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["koperasi_aktif"] == 0


@pytest.mark.parametrize(
    "founded,dissolved,counted",
    [
        (date(2020, 3, 9), None, True),
        (date(2020, 3, 10), None, False),
        (date(2000, 1, 1), date(2020, 3, 9), False),
        (date(2000, 1, 1), date(2020, 3, 10), True),
    ],
)
def test_registered_means_founded_by_d_and_not_dissolved_by_d(founded, dissolved, counted):
    make_koperasi(tanggal_badan_hukum=founded, tanggal_pembubaran=dissolved)
    assert koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["koperasi_total"] == int(counted)


def test_health_counts_among_active_ones_for_book_year_y():
    d = date(2020, 3, 9)
    healthy = make_koperasi()
    unhealthy = make_koperasi()
    unassessed = make_koperasi()
    inactive_healthy = make_koperasi()
    old_year_only = make_koperasi()
    reports = [
        make_laporan(healthy, 2019, date(2020, 2, 1), figures=GOOD_FIGURES, skor_manajemen=Decimal(12)),
        make_laporan(unhealthy, 2019, date(2020, 2, 1), figures=ZERO_FIGURES, skor_manajemen=Decimal(0)),
        make_laporan(unassessed, 2019, date(2020, 2, 1)),
        make_laporan(inactive_healthy, 2019, None, figures=GOOD_FIGURES, skor_manajemen=Decimal(12)),
        make_laporan(old_year_only, 2018, date(2019, 2, 1), figures=GOOD_FIGURES, skor_manajemen=Decimal(12)),
    ]
    assert assessments_recompute(laporan_list=reports, actor=None) == 4
    assert Assessment.objects.get(koperasi=unhealthy).total_tampil == "27.50"
    figures = koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=d)
    assert {k: v for k, v in figures.items() if k != "koperasi_dibubarkan_per_tahun"} == {
        "koperasi_total": 5,
        "koperasi_aktif": 4,
        "koperasi_tidak_aktif": 1,
        "koperasi_sehat": 1,
        "koperasi_tidak_sehat": 1,
        "koperasi_belum_dinilai": 2,
    }


def test_dissolved_per_year_counts_dates_up_to_d_with_string_keys():
    for dissolved in [date(2017, 12, 31), date(2018, 1, 1), date(2018, 12, 31), date(2020, 3, 9), date(2020, 3, 10)]:
        make_koperasi(tanggal_badan_hukum=date(2000, 1, 1), tanggal_pembubaran=dissolved)
    make_koperasi(regency="33.02", district=None, village=None, tanggal_pembubaran=date(2018, 5, 5))
    figures = koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))
    assert figures["koperasi_dibubarkan_per_tahun"] == {"2017": 1, "2018": 2, "2020": 1}


def test_kpi_query_count_does_not_grow_with_cooperatives(django_assert_num_queries):
    def add(n):
        for _ in range(n):
            k = make_koperasi()
            make_laporan(k, 2019, date(2020, 1, 5))

    add(2)
    with django_assert_num_queries(2):
        koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))
    add(5)
    with django_assert_num_queries(2):
        koperasi_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))


def test_dissolution_candidates_with_reasons():
    d = date(2020, 3, 9)
    no_rat = make_koperasi(nama="A Tanpa RAT", tanggal_badan_hukum=date(2010, 1, 1))
    make_laporan(no_rat, 2015, date(2016, 3, 1), figures={"volume_usaha": 10})
    make_laporan(no_rat, 2018, None, figures={"volume_usaha": 10})
    no_business = make_koperasi(nama="B Tanpa usaha", tanggal_badan_hukum=date(2010, 1, 1))
    make_laporan(no_business, 2018, date(2019, 3, 1), figures={"volume_usaha": 0})
    make_laporan(no_business, 2019, date(2020, 3, 1))  # volume_usaha missing
    both = make_koperasi(nama="C Keduanya", tanggal_badan_hukum=date(2010, 1, 1))
    one_year_business = make_koperasi(nama="D Usaha 2019", tanggal_badan_hukum=date(2010, 1, 1))
    make_laporan(one_year_business, 2019, date(2020, 3, 1), figures={"volume_usaha": 1})
    young = make_koperasi(nama="E Baru", tanggal_badan_hukum=date(2018, 6, 1))
    make_koperasi(nama="F Bubar", tanggal_badan_hukum=date(2010, 1, 1), tanggal_pembubaran=date(2019, 1, 1))
    result = {c.koperasi.nama: c.reasons for c in dissolution_candidates(regency_codes=["33.03"], as_of=d)}
    assert result == {
        "A Tanpa RAT": ["Tidak mengadakan RAT 3 tahun berturut-turut (RAT terakhir: 01-03-2016)"],
        "B Tanpa usaha": ["Tidak ada kegiatan usaha 2 tahun berturut-turut (tahun buku 2018 dan 2019)"],
        "C Keduanya": [
            "Tidak mengadakan RAT 3 tahun berturut-turut (RAT terakhir: belum pernah)",
            "Tidak ada kegiatan usaha 2 tahun berturut-turut (tahun buku 2018 dan 2019)",
        ],
    }
    assert young.pk and both.pk


def test_breakdown_by_district_adds_up_to_the_kpi():
    d = date(2020, 3, 9)
    a = make_koperasi(district="33.03.01", village="33.03.01.2001")
    b = make_koperasi(district="33.03.02", village=None)
    make_laporan(a, 2019, date(2020, 1, 1))
    make_laporan(b, 2015, date(2016, 1, 1))
    rows = koperasi_breakdown(regency_codes=["33.03"], year=2019, as_of=d, by="district")
    assert [(r.key, r.total, r.aktif, r.tidak_aktif, r.belum_dinilai) for r in rows] == [
        ("33.03.01", 1, 1, 0, 1),
        ("33.03.02", 1, 0, 1, 0),
    ]


def _row(nomor, nama, jenis, founded, kode="33.03.01.2001", dissolved=""):
    return {
        "nomor_badan_hukum": nomor,
        "nama": nama,
        "jenis": jenis,
        "tanggal_badan_hukum": founded,
        "kode_wilayah": kode,
        "alamat": "Jl. Uji",
        "tanggal_pembubaran": dissolved,
    }


def _report(nomor, tahun, rat, figures=None, skor=None):
    return {
        "nomor_badan_hukum": nomor,
        "tahun_buku": tahun,
        "tanggal_rat": rat,
        **(figures or {}),
        "skor_manajemen": skor,
    }


def test_end_to_end_import_then_kpi_report_json(tmp_path, capsys):
    koperasi_rows = [
        _row("BH-001", "KSP Sejahtera", "KSP", "2010-01-05"),  # active, healthy (76.58)
        _row("BH-002", "KSP Window Edge", "KSP", "05/06/2012"),  # RAT exactly D − 3 years: active, not assessed
        _row("BH-003", "KSP Just Outside", "ksp", "2012-06-05"),  # RAT one day before the window: inactive
        _row("BH-004", "KSU Lemah", "KSU", "2015-02-01", "33.03.02"),  # active, unhealthy (27.50)
        _row("BH-005", "Kop Konsumen", "konsumen", "2015-02-01", "33.03"),  # RAT on D; non-lending 75.42
        _row("BH-006", "Bubar 2018", "KSP", "2001-01-01", dissolved="2018-06-30"),
        _row("BH-007", "Bubar Pada D", "jasa", "2001-01-01", dissolved="2020-03-09"),
        _row("BH-008", "Bubar Sesudah D", "pemasaran", "2001-01-01", dissolved="2020-03-10"),  # counted, active
        _row("BH-009", "Berdiri Sesudah D", "KSP", "2020-03-10"),
        _row("BH-010", "KSP Banyumas", "KSP", "2001-01-01", "33.02.01.2001", dissolved="2018-02-02"),
        _row("BH-011", "Bubar 2017", "produsen", "2001-01-01", dissolved="2017-12-31"),
        _row("BH-012", "RAT Sesudah D", "jasa", "2001-01-01"),  # inactive on D
        _row("BH-013", "KSP Kurang Data", "KSP", "2001-01-01"),  # active, atmr missing: not assessed
        _row("BH-014", "Salah Jenis", "bank", "2001-01-01"),  # rejected
        _row("BH-015", "Salah Wilayah", "KSP", "2001-01-01", "33.03.99.9999"),  # rejected
    ]
    laporan_rows = [
        _report("BH-001", 2019, "2020-02-15", GOOD_FIGURES, "12"),
        _report("BH-002", 2016, "2017-03-09"),
        _report("BH-003", 2016, "2017-03-08"),
        _report("BH-003", 2018, "", GOOD_FIGURES, "12"),  # assessed for 2018 only
        _report("BH-004", 2018, "2019-04-01"),
        _report("BH-004", 2019, "", ZERO_FIGURES, "0"),
        _report("BH-005", 2019, "09-03-2020", GOOD_FIGURES, "12"),
        _report("BH-008", 2017, "2018-05-01"),
        _report("BH-010", 2019, "2020-01-01", GOOD_FIGURES, "15"),
        _report("BH-012", 2019, "2020-03-10"),
        _report("BH-013", 2019, "2020-01-10", {**GOOD_FIGURES, "atmr": None}, "10"),
        _report("BH-999", 2019, "2020-01-10"),  # unknown cooperative: rejected
        _report("BH-001", 2019, "2020-02-16"),  # duplicate year in the file: rejected
        _report("BH-002", 2019, "2020-01-01", {"total_aset": "-5"}),  # negative asset: rejected
    ]
    kop_file = write_csv(tmp_path / "koperasi.csv", KOPERASI_HEADER, koperasi_rows)
    lap_file = write_csv(tmp_path / "laporan.csv", LAPORAN_HEADER, laporan_rows)

    out = StringIO()
    call_command("import_data", "koperasi", str(kop_file), "--quiet-progress", stdout=out)
    assert out.getvalue().strip() == "rows: 15, created: 13, updated: 0, unchanged: 0, rejected: 2"
    out = StringIO()
    call_command("import_data", "laporan_koperasi", str(lap_file), "--quiet-progress", stdout=out)
    assert out.getvalue().strip() == "rows: 14, created: 11, updated: 0, unchanged: 0, rejected: 3"
    errors = (tmp_path / "laporan.galat.csv").read_text(encoding="utf-8-sig")
    assert "koperasi dengan nomor badan hukum BH-999 belum terdaftar" in errors
    assert "sudah ada di baris data ke-1 berkas ini" in errors
    assert "total_aset,tidak boleh negatif: -5" in errors

    expected = {
        "regency": "33.03",
        "year": 2019,
        "as_of": "2020-03-09",
        "koperasi_total": 8,
        "koperasi_aktif": 6,
        "koperasi_tidak_aktif": 2,
        "koperasi_sehat": 2,
        "koperasi_tidak_sehat": 1,
        "koperasi_belum_dinilai": 3,
        "koperasi_dibubarkan_per_tahun": {"2017": 1, "2018": 1, "2020": 1},
    }

    def report(region="33.03"):
        capsys.readouterr()
        call_command("kpi_report", "--regency", region, "--year", "2019", "--as-of", "2020-03-09", "--format", "json")
        data = json.loads(capsys.readouterr().out)
        return {k: data[k] for k in expected}

    assert report() == expected
    assert {a.koperasi.nomor_badan_hukum: a.total_tampil for a in Assessment.objects.filter(tahun_buku=2019)} == {
        "BH-001": "76.58",
        "BH-004": "27.50",
        "BH-005": "75.42",
        "BH-010": "79.58",
    }

    # Re-importing both files changes nothing.
    for kind, path, summary in [
        ("koperasi", kop_file, "rows: 15, created: 0, updated: 0, unchanged: 13, rejected: 2"),
        ("laporan_koperasi", lap_file, "rows: 14, created: 0, updated: 0, unchanged: 11, rejected: 3"),
    ]:
        out = StringIO()
        call_command("import_data", kind, str(path), "--quiet-progress", stdout=out)
        assert out.getvalue().strip() == summary
    assert report() == expected

    # The province sees Banyumas too: its cooperative was dissolved in 2018.
    province = report("33")
    assert province["koperasi_dibubarkan_per_tahun"] == {"2017": 1, "2018": 2, "2020": 1}
    assert province["koperasi_total"] == 8


def test_reimport_with_changed_figures_recomputes_the_assessment(tmp_path):
    k = make_koperasi(nomor="BH-100")
    path = write_csv(tmp_path / "a.csv", LAPORAN_HEADER, [_report("BH-100", 2019, "2020-01-01", GOOD_FIGURES, "12")])
    call_command("import_data", "laporan_koperasi", str(path), "--quiet-progress", stdout=StringIO())
    assert Assessment.objects.get(koperasi=k, tahun_buku=2019).total_tampil == "76.58"
    path = write_csv(tmp_path / "b.csv", LAPORAN_HEADER, [_report("BH-100", 2019, "2020-01-01", GOOD_FIGURES, "15")])
    out = StringIO()
    call_command("import_data", "laporan_koperasi", str(path), "--quiet-progress", stdout=out)
    assert out.getvalue().strip() == "rows: 1, created: 0, updated: 1, unchanged: 0, rejected: 0"
    a = Assessment.objects.get(koperasi=k, tahun_buku=2019)
    assert (a.total_tampil, a.predikat, a.versi) == ("79.58", "cukup_sehat", "perdep-06-2016")
    # figures removed: the stale assessment goes
    path = write_csv(tmp_path / "c.csv", LAPORAN_HEADER, [_report("BH-100", 2019, "2020-01-01", {}, "15")])
    call_command("import_data", "laporan_koperasi", str(path), "--quiet-progress", stdout=StringIO())
    assert not Assessment.objects.filter(koperasi=k, tahun_buku=2019).exists()


@pytest.mark.parametrize(
    "jenis,kode,expected",
    [
        ("Simpan Pinjam", "3303012001", ("KSP", "33.03", "33.03.01", "33.03.01.2001")),
        ("Koperasi Konsumen", "330301", ("konsumen", "33.03", "33.03.01", None)),
        ("KSU", "3303", ("KSU", "33.03", None, None)),
        (" serba  usaha ", "33.03.01.2001", ("KSU", "33.03", "33.03.01", "33.03.01.2001")),
    ],
)
def test_koperasi_import_accepts_common_spellings(tmp_path, jenis, kode, expected):
    from apps.koperasi.models import Koperasi

    path = write_csv(tmp_path / "k.csv", KOPERASI_HEADER, [_row("BH-1", "Kop", jenis, "2010-01-01", kode)])
    call_command("import_data", "koperasi", str(path), "--quiet-progress", stdout=StringIO())
    k = Koperasi.objects.get()
    assert (k.jenis, k.regency_id, k.district_id, k.village_id) == expected


@pytest.mark.parametrize(
    "column,value,message",
    [
        ("tanggal_badan_hukum", "31/02/2010", "tanggal tidak dikenali"),
        ("tanggal_badan_hukum", "", "tanggal_badan_hukum wajib diisi"),
        ("kode_wilayah", "33.03.99", "kode wilayah tidak dikenal: 33.03.99"),
        ("tanggal_pembubaran", "2009-12-31", "tanggal pembubaran tidak boleh sebelum tanggal badan hukum"),
        ("nama", "", "nama koperasi wajib diisi"),
        ("jenis", "bank", "jenis koperasi tidak dikenal: bank"),
    ],
)
def test_koperasi_import_rejects_with_row_column_and_reason(tmp_path, column, value, message):
    row = _row("BH-1", "Kop", "KSP", "2010-01-01")
    row[column] = value
    path = write_csv(tmp_path / "k.csv", KOPERASI_HEADER, [row])
    out = StringIO()
    call_command("import_data", "koperasi", str(path), "--quiet-progress", stdout=out)
    assert out.getvalue().strip() == "rows: 1, created: 0, updated: 0, unchanged: 0, rejected: 1"
    errors = (tmp_path / "k.galat.csv").read_text(encoding="utf-8-sig").splitlines()
    assert errors[1].startswith(f"2,{column},")
    assert message in errors[1]


@pytest.mark.parametrize(
    "column,value,message",
    [
        ("tahun_buku", "20x9", "tahun buku harus bilangan bulat"),
        ("tanggal_rat", "2018-12-31", "tanggal RAT 2018-12-31 sebelum awal tahun buku 2019"),
        ("skor_manajemen", "16", "skor manajemen harus angka 0–15"),
        ("jumlah_anggota", "-3", "tidak boleh kurang dari 0"),
        ("kas_bank", "12,5", "nilai rupiah harus bilangan bulat"),
    ],
)
def test_laporan_import_rejects_with_row_column_and_reason(tmp_path, column, value, message):
    make_koperasi(nomor="BH-1")
    row = _report("BH-1", 2019, "2020-01-10", GOOD_FIGURES, "12")
    row[column] = value
    path = write_csv(tmp_path / "l.csv", LAPORAN_HEADER, [row])
    call_command("import_data", "laporan_koperasi", str(path), "--quiet-progress", stdout=StringIO())
    errors = (tmp_path / "l.galat.csv").read_text(encoding="utf-8-sig").splitlines()
    assert errors[1].startswith(f"2,{column},")
    assert message in errors[1]


def test_xlsx_files_import_like_csv(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(KOPERASI_HEADER)
    ws.append(["BH-X1", "KSP Excel", "KSP", date(2010, 5, 1), "33.03.01.2001", "Jl. A", None])
    ws.append(["BH-X2", "KSP Banyumas", "KSP", date(2010, 5, 1), "33.02.01.2001", "Jl. B", date(2018, 3, 3)])
    wb.save(tmp_path / "k.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.append(LAPORAN_HEADER)
    values = {**GOOD_FIGURES, "jumlah_anggota": 120, "skor_manajemen": 12.0}
    ws.append(["BH-X1", 2019, date(2020, 2, 15), *[values.get(c) for c in LAPORAN_HEADER[3:]]])
    wb.save(tmp_path / "l.xlsx")

    out = StringIO()
    call_command(
        "import_data", "koperasi", str(tmp_path / "k.xlsx"), "--regency", "33.03", "--quiet-progress", stdout=out
    )
    assert out.getvalue().strip() == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    out = StringIO()
    call_command("import_data", "laporan_koperasi", str(tmp_path / "l.xlsx"), "--quiet-progress", stdout=out)
    assert out.getvalue().strip() == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    a = Assessment.objects.get()
    assert (a.koperasi.nomor_badan_hukum, a.total_tampil, a.predikat_label) == ("BH-X1", "76.58", "Cukup Sehat")
