import csv
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.nik import nik_decrypt, nik_hash
from apps.imports.framework import run_import
from apps.umkm.models import Business, BusinessYear, Owner
from apps.umkm.tests.factories import UMKM_HEADER, umkm_csv, umkm_row

pytestmark = pytest.mark.django_db

JT = 1_000_000


def import_rows(tmp_path, rows, name="umkm.csv", **options):
    path = umkm_csv(tmp_path / name, rows)
    return run_import(kind="umkm", path=path, options=options)


def errors_of(result):
    with open(result.errors_path, encoding="utf-8-sig") as fh:
        return [(int(r["baris"]), r["kolom"], r["alasan"]) for r in csv.DictReader(fh)]


def snapshot():
    return (
        sorted(Owner.objects.values_list("nik_hash", "name", "gender", "phone")),
        sorted(Business.objects.values_list("owner__nik_hash", "name", "nib", "kbli", "sector", "village_id")),
        sorted(
            BusinessYear.objects.values_list(
                "business__name", "year", "modal_usaha", "omzet_tahunan", "tenaga_kerja", "kelas", "rule_set"
            )
        ),
    )


def test_a_valid_row_creates_owner_business_and_classified_year(tmp_path):
    result = import_rows(tmp_path, [umkm_row()])
    assert result.summary == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    owner = Owner.objects.get()
    assert (owner.name, owner.gender, owner.phone, owner.nik_masked) == (
        "Sri Rahayu",
        "P",
        "081234567890",
        "3303**********01",
    )
    assert owner.nik_hash == nik_hash("3303015204850001")
    assert nik_decrypt(owner.nik_ciphertext) == "3303015204850001"
    assert "3303015204850001" not in owner.nik_ciphertext
    business = Business.objects.get()
    assert (business.regency_id, business.district_id, business.village_id) == (
        "33.03",
        "33.03.01",
        "33.03.01.2001",
    )
    assert (business.name, business.name_normalized, business.kbli, business.founded_year) == (
        "Gula Semut Sri",
        "gula semut sri",
        "10721",
        2010,
    )
    year = BusinessYear.objects.get()
    assert (year.year, year.modal_usaha, year.omzet_tahunan, year.tenaga_kerja, year.kelas, year.rule_set) == (
        2019,
        20 * JT,
        150 * JT,
        3,
        "mikro",
        "UU-20-2008",
    )


INVALID = [
    ({"nik": "330301520485001"}, "nik", "NIK harus 16 digit angka"),
    ({"nik": "3399015204850001"}, "nik", "bukan kode kecamatan yang dikenal"),
    ({"nik": "3303013204850001"}, "nik", "tanggal lahir dalam NIK tidak valid"),
    ({"nik": "3303017204850001"}, "nik", "tanggal lahir dalam NIK tidak valid"),
    ({"nik": "3303015204850000"}, "nik", "nomor urut NIK tidak boleh 0000"),
    ({"nik": ""}, "nik", "NIK wajib diisi"),
    ({"nama_pemilik": ""}, "nama_pemilik", "nama pemilik wajib diisi"),
    ({"jenis_kelamin": "W"}, "jenis_kelamin", "jenis kelamin harus L atau P"),
    ({"nama_usaha": " "}, "nama_usaha", "nama usaha wajib diisi"),
    ({"nib": "12345"}, "nib", "NIB harus 13 digit angka"),
    ({"nib": "12345678901a3"}, "nib", "NIB harus 13 digit angka"),
    ({"kbli": "1072"}, "kbli", "KBLI harus 5 digit angka"),
    ({"kode_wilayah": "33.03.01.9999"}, "kode_wilayah", "bukan kode desa/kelurahan yang dikenal"),
    ({"kode_wilayah": "33.03.01"}, "kode_wilayah", "bukan kode desa/kelurahan yang dikenal"),
    ({"kode_wilayah": ""}, "kode_wilayah", "wajib diisi"),
    ({"modal_usaha": "-5000"}, "modal_usaha", "tidak boleh negatif"),
    ({"omzet_tahunan": "12,5 juta"}, "omzet_tahunan", "bukan nilai rupiah"),
    ({"omzet_tahunan": "1500.50"}, "omzet_tahunan", "harus bilangan bulat"),
    ({"omzet_tahunan": "", "modal_usaha": ""}, "omzet_tahunan", "isi modal usaha atau omzet tahunan"),
    ({"omzet_tahunan": "", "modal_usaha": "", "tahun_data": "2022"}, "modal_usaha", "minimal satu"),
    ({"tahun_data": "1999"}, "tahun_data", "tahun data tidak wajar"),
    ({"tahun_data": "2090"}, "tahun_data", "tahun data tidak wajar"),
    ({"tahun_data": "dua ribu"}, "tahun_data", "tahun data tidak wajar"),
    ({"tahun_berdiri": "2020", "tahun_data": "2019"}, "tahun_berdiri", "tahun berdiri tidak wajar"),
    ({"tahun_berdiri": "1850"}, "tahun_berdiri", "tahun berdiri tidak wajar"),
    ({"tenaga_kerja": "-1"}, "tenaga_kerja", "tidak boleh kurang dari 0"),
]


@pytest.mark.parametrize(("changes", "column", "reason"), INVALID, ids=[str(c[0]) for c in INVALID])
def test_invalid_rows_are_reported_with_row_column_and_reason_and_valid_rows_kept(tmp_path, changes, column, reason):
    other = umkm_row(nik="3303014404900002", nama_usaha="Nopia Bu Ani")
    result = import_rows(tmp_path, [other, umkm_row(**changes)])
    assert result.summary == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    [(row, columns, reasons)] = errors_of(result)
    assert row == 3
    assert column in columns.split(", ")
    assert reason in reasons
    assert list(Business.objects.values_list("name", flat=True)) == ["Nopia Bu Ani"]


def test_error_file_keeps_the_original_cells(tmp_path):
    result = import_rows(tmp_path, [umkm_row(nib="123")])
    with open(result.errors_path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["baris", "kolom", "alasan", *UMKM_HEADER]
    assert rows[1][:3] == ["2", "nib", "NIB harus 13 digit angka"]
    assert rows[1][3:] == [umkm_row(nib="123")[c] for c in UMKM_HEADER]


def test_several_errors_in_one_row_are_all_reported(tmp_path):
    result = import_rows(tmp_path, [umkm_row(nib="1", kbli="2", jenis_kelamin="X")])
    [(_row, columns, _reasons)] = errors_of(result)
    assert columns == "jenis_kelamin, nib, kbli"


def test_money_in_indonesian_formats(tmp_path):
    import_rows(tmp_path, [umkm_row(modal_usaha="Rp50.000.001", omzet_tahunan="300.000.001")])
    assert BusinessYear.objects.values_list("modal_usaha", "omzet_tahunan", "kelas").get() == (
        50 * JT + 1,
        300 * JT + 1,
        "kecil",
    )


@pytest.mark.parametrize(
    ("year", "modal", "omzet", "kelas", "rule"),
    [
        ("2019", "50000000", "300000000", "mikro", "UU-20-2008"),
        ("2019", "50000001", "300000000", "mikro", "UU-20-2008"),
        ("2019", "50000001", "300000001", "kecil", "UU-20-2008"),
        ("2020", "500000001", "2500000001", "menengah", "UU-20-2008"),
        ("2021", "5000000000", "2000000000", "mikro", "PP-7-2021"),
        ("2021", "5000000000", "", "kecil", "PP-7-2021"),
        ("2021", "", "15000000001", "menengah", "PP-7-2021"),
    ],
)
def test_class_by_the_law_of_the_data_year(tmp_path, year, modal, omzet, kelas, rule):
    import_rows(tmp_path, [umkm_row(tahun_data=year, modal_usaha=modal, omzet_tahunan=omzet)])
    assert BusinessYear.objects.values_list("kelas", "rule_set").get() == (kelas, rule)


@pytest.mark.parametrize("year", ["2019", "2021"])
def test_a_row_needs_one_of_the_two_figures_in_every_law(tmp_path, year):
    result = import_rows(tmp_path, [umkm_row(tahun_data=year, modal_usaha="", omzet_tahunan="")])
    assert errors_of(result)[0][1:] == (
        "modal_usaha, omzet_tahunan",
        "isi modal usaha atau omzet tahunan (minimal satu)",
    )


def test_reimport_changes_nothing_and_an_edited_year_updates(tmp_path):
    rows = [
        umkm_row(),
        umkm_row(tahun_data="2018", omzet_tahunan="90000000"),
        umkm_row(nik="3303014404900002", nama_usaha="Nopia Bu Ani", nib="9120000000001"),
    ]
    first = import_rows(tmp_path, rows)
    assert first.summary == "rows: 3, created: 3, updated: 0, unchanged: 0, rejected: 0"
    before = snapshot()
    again = import_rows(tmp_path, rows, name="lagi.csv")
    assert again.summary == "rows: 3, created: 0, updated: 0, unchanged: 3, rejected: 0"
    assert snapshot() == before

    rows[0] = umkm_row(omzet_tahunan="400000000", modal_usaha="60000000")
    edited = import_rows(tmp_path, rows, name="ubah.csv")
    assert edited.summary == "rows: 3, created: 0, updated: 1, unchanged: 2, rejected: 0"
    assert BusinessYear.objects.filter(year=2019, business__name="Gula Semut Sri").values_list(
        "omzet_tahunan", "kelas"
    ).get() == (400 * JT, "kecil")
    assert Business.objects.count() == 2


def test_duplicate_rows_in_one_file_count_once(tmp_path):
    result = import_rows(tmp_path, [umkm_row(), umkm_row(), umkm_row(nama_usaha="gula  semut SRI.")])
    assert result.summary == "rows: 3, created: 1, updated: 0, unchanged: 2, rejected: 0"
    assert (Owner.objects.count(), Business.objects.count(), BusinessYear.objects.count()) == (1, 1, 1)
    assert Business.objects.get().name == "gula semut SRI."


def test_duplicates_across_batches_count_once(tmp_path, monkeypatch):
    from apps.umkm.importers import UmkmImporter

    monkeypatch.setattr(UmkmImporter, "batch_size", 2)
    rows = [umkm_row(), umkm_row(nik="3303014404900002", nama_usaha="Nopia"), umkm_row(), umkm_row()]
    result = import_rows(tmp_path, rows)
    assert result.summary == "rows: 4, created: 2, updated: 0, unchanged: 2, rejected: 0"


def test_conflicting_rows_across_batches_end_as_the_last_one_on_every_import(tmp_path, monkeypatch):
    from apps.umkm.importers import UmkmImporter

    monkeypatch.setattr(UmkmImporter, "batch_size", 1)
    rows = [umkm_row(omzet_tahunan="100000000"), umkm_row(omzet_tahunan="900000000", modal_usaha="90000000")]
    first = import_rows(tmp_path, rows)
    # the first row is superseded by the last over the whole file: never written, counted unchanged
    assert first.summary == "rows: 2, created: 1, updated: 0, unchanged: 1, rejected: 0"
    again = import_rows(tmp_path, rows, name="lagi.csv")
    assert again.summary == "rows: 2, created: 0, updated: 0, unchanged: 2, rejected: 0"
    assert BusinessYear.objects.values_list("omzet_tahunan", "kelas").get() == (900 * JT, "kecil")


def test_identity_by_nib_else_nik_and_normalised_name(tmp_path):
    import_rows(
        tmp_path,
        [
            # the same NIB is the same business, whoever the owner and whatever the name
            umkm_row(nib="9120000000001", nama_usaha="Knalpot Jaya", tahun_data="2018"),
            umkm_row(nib="9120000000001", nama_usaha="Knalpot Jaya Abadi", nik="3303011204800003"),
            # no NIB: the owner's NIK and the normalised name
            umkm_row(nama_usaha="UD. Sri Rejeki", tahun_data="2018"),
            umkm_row(nama_usaha="ud sri  rejeki"),
            # another owner with the same business name is another business
            umkm_row(nama_usaha="UD Sri Rejeki", nik="3303011204800003", jenis_kelamin="L"),
        ],
    )
    assert sorted(Business.objects.values_list("name", "nib", "years__year")) == [
        ("Knalpot Jaya Abadi", "9120000000001", 2018),
        ("Knalpot Jaya Abadi", "9120000000001", 2019),
        ("UD Sri Rejeki", "", 2019),
        ("ud sri rejeki", "", 2018),
        ("ud sri rejeki", "", 2019),
    ]


def test_regency_option_rejects_other_regencies_rows(tmp_path):
    result = import_rows(
        tmp_path,
        [umkm_row(), umkm_row(kode_wilayah="33.02.01.2001", nama_usaha="Getuk Banyumas")],
        regency="33.03",
    )
    assert result.summary == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    assert errors_of(result) == [
        (3, "kode_wilayah", "desa/kelurahan 33.02.01.2001 di luar kabupaten/kota 33.03 yang sedang diimpor")
    ]


def test_header_case_insensitive_extra_columns_warned_and_village_without_dots(tmp_path):
    path = tmp_path / "judul.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([c.upper() for c in UMKM_HEADER] + ["Catatan"])
        w.writerow([umkm_row(kode_wilayah="3303012001")[c] for c in UMKM_HEADER] + ["x"])
    result = run_import(kind="umkm", path=path)
    assert result.summary == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    assert result.warnings == ["Kolom tambahan diabaikan: Catatan"]
    assert Business.objects.get().village_id == "33.03.01.2001"


def test_xlsx_is_imported_like_csv(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(UMKM_HEADER)
    row = umkm_row()
    ws.append(
        [int(row[c]) if c in ("modal_usaha", "omzet_tahunan", "tahun_data", "nik") else row[c] for c in UMKM_HEADER]
    )
    wb.save(tmp_path / "umkm.xlsx")
    result = run_import(kind="umkm", path=tmp_path / "umkm.xlsx")
    assert result.summary == "rows: 1, created: 1, updated: 0, unchanged: 0, rejected: 0"
    assert Owner.objects.get().nik_hash == nik_hash("3303015204850001")


def test_queries_per_batch_do_not_grow_with_rows(tmp_path):
    def queries_for(n, offset):
        rows = [
            umkm_row(
                nik=f"330301520485{offset + i:04d}",
                nama_usaha=f"Usaha {i}",
                nib=f"91200000{offset + i:05d}" if i % 2 else "",
            )
            for i in range(n)
        ]
        path = umkm_csv(tmp_path / f"q{n}.csv", rows)
        with CaptureQueriesContext(connection) as ctx:
            run_import(kind="umkm", path=path)
        return len(ctx.captured_queries)

    assert queries_for(3, 100) == queries_for(40, 200)


def test_command_prints_the_summary_and_writes_rejected_rows_beside_the_file(tmp_path, capsys):
    path = umkm_csv(tmp_path / "data.csv", [umkm_row(), umkm_row(nib="1")])
    call_command("import_data", "umkm", str(path), "--quiet-progress")
    out = capsys.readouterr()
    assert out.out.strip() == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    assert (tmp_path / "data.galat.csv").exists()


# Businesses of the property tests: (owner serial, name as written, NIB, first year with that NIB). An NIB
# belongs to one business; some businesses gain theirs in a later year; names are spelt several ways.
BUSINESSES = [
    (1, "Nopia", "", 0),
    (1, "Sale Pisang", "9120000000007", 2017),
    (2, "Nopia", "9120000000008", 2020),  # gains its NIB in 2020
    (2, "Batik Tulis", "", 0),
    (3, "Bu. Sri", "9120000000009", 2022),  # gains its NIB in 2022
    (4, "Batik Tulis", "9120000000010", 2017),
]
SPELLINGS = {"Nopia": ["Nopia", "NOPIA", "nopia."], "Bu. Sri": ["Bu. Sri", "BU SRI", "bu  sri"]}
VILLAGES = ["33.03.01.2001", "33.03.02.2001", "33.02.01.2001"]

record_strategy = st.fixed_dictionaries(
    {
        "business": st.integers(min_value=0, max_value=len(BUSINESSES) - 1),
        "spelling": st.integers(min_value=0, max_value=2),
        "year": st.integers(min_value=2018, max_value=2023),
        "village": st.sampled_from(VILLAGES),
        "modal": st.one_of(st.none(), st.integers(min_value=0, max_value=20_000_000_000)),
        "omzet": st.integers(min_value=0, max_value=60_000_000_000),
    }
)


def property_rows(records):
    rows = []
    for r in records:
        serial, name, nib, since = BUSINESSES[r["business"]]
        spellings = SPELLINGS.get(name, [name])
        rows.append(
            umkm_row(
                nik=f"330301120480{serial:04d}",
                jenis_kelamin="L",
                nama_usaha=spellings[r["spelling"] % len(spellings)],
                # the third spelling leaves out an NIB the business has (a file without that column filled)
                nib=nib if nib and r["year"] >= since and r["spelling"] != 2 else "",
                kode_wilayah=r["village"],
                tahun_data=r["year"],
                modal_usaha="" if r["modal"] is None else r["modal"],
                omzet_tahunan=r["omzet"],
            )
        )
    return rows


def registry_state():
    """The registry without ids or timestamps: what any order of batching must end with."""
    return (
        sorted(Owner.objects.values_list("nik_hash", "name", "gender", "phone")),
        sorted(
            Business.objects.values_list(
                "owner__nik_hash", "name_normalized", "nib", "village_id", "regency_id", "name"
            )
        ),
        sorted(
            BusinessYear.objects.values_list(
                "business__owner__nik_hash",
                "business__name_normalized",
                "year",
                "village_id",
                "regency_id",
                "modal_usaha",
                "omzet_tahunan",
                "kelas",
                "rule_set",
            )
        ),
    )


def registry_clear():
    from apps.imports.models import ImportRun

    BusinessYear.objects.all().delete()
    Business.objects.all().delete()
    Owner.objects.all().delete()
    ImportRun.objects.all().delete()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(record_strategy, min_size=1, max_size=14),
    order=st.randoms(use_true_random=False),
    batch_sizes=st.tuples(st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=6)),
)
def test_property_any_order_and_batching_reimport_changes_nothing(records, order, batch_sizes):
    """Duplicates for one business and year (spelt differently, with or without the NIB it gains later,
    with other figures) are resolved over the whole file, the last row winning: the registry after an
    import does not depend on the batch size, and a second import of the file reports nothing created or
    updated, whatever order the rows are in."""
    from apps.umkm.importers import UmkmImporter

    rows = property_rows(records)
    order.shuffle(rows)
    states = []
    with tempfile.TemporaryDirectory() as folder:
        path = umkm_csv(Path(folder) / "p.csv", rows)
        original = UmkmImporter.batch_size
        try:
            for size in batch_sizes:
                registry_clear()
                UmkmImporter.batch_size = size
                first = run_import(kind="umkm", path=path)
                assert first.run.rejected == 0
                assert first.run.created + first.run.updated + first.run.unchanged == len(rows)
                states.append(registry_state())
                again = run_import(kind="umkm", path=path)
                assert (again.run.created, again.run.updated, again.run.unchanged) == (0, 0, len(rows))
                assert registry_state() == states[-1]
        finally:
            UmkmImporter.batch_size = original
    assert states[0] == states[1]
    # one business per (owner, normalised name): a business that gains its NIB stays one business
    assert Business.objects.count() == len({(BUSINESSES[r["business"]][0], r["business"]) for r in records})


def test_an_interrupted_import_keeps_whole_batches_and_resumes(tmp_path, monkeypatch):
    from apps.umkm.importers import UmkmImporter

    monkeypatch.setattr(UmkmImporter, "batch_size", 2)
    rows = [umkm_row(nik=f"330301120480{i:04d}", jenis_kelamin="L", nama_usaha=f"Usaha {i}") for i in range(1, 6)]
    path = umkm_csv(tmp_path / "putus.csv", rows)
    original = UmkmImporter.write_batch
    calls = {"n": 0}

    def crashing(self, batch):
        calls["n"] += 1
        if calls["n"] == 2:
            original(self, batch)  # written, then the process dies before the batch commits
            raise RuntimeError("listrik padam")
        return original(self, batch)

    monkeypatch.setattr(UmkmImporter, "write_batch", crashing)
    with pytest.raises(RuntimeError):
        run_import(kind="umkm", path=path)
    assert sorted(Business.objects.values_list("name", flat=True)) == ["Usaha 1", "Usaha 2"]

    monkeypatch.setattr(UmkmImporter, "write_batch", original)
    resumed = run_import(kind="umkm", path=path)
    assert resumed.resumed_from == 3
    assert sorted(Business.objects.values_list("name", flat=True)) == [f"Usaha {i}" for i in range(1, 6)]
    assert resumed.summary == "rows: 5, created: 5, updated: 0, unchanged: 0, rejected: 0"
