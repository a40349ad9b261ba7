"""Import template `peserta_program` (SPEC §10) and the `program` key of kpi_report (SPEC §8)."""

import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.audit.models import AuditEntry
from apps.imports.framework import run_import
from apps.program.models import Participant, Programme
from apps.umkm.tests.factories import business_make, make_nik, owner_make

pytestmark = pytest.mark.django_db

HEADER = [
    "kode_kegiatan",
    "jenis",
    "nama_kegiatan",
    "tanggal_mulai",
    "tanggal_selesai",
    "nik",
    "nama_pemilik",
    "nib",
    "nama_usaha",
    "kode_wilayah",
    "status",
]
V = "33.03.01.2001"


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def errors_of(result):
    with open(result.errors_path, encoding="utf-8-sig") as fh:
        return [(int(r["baris"]), r["kolom"], r["alasan"]) for r in csv.DictReader(fh)]


def kpi(regency="33.03", year=2019, as_of="2020-03-09"):
    """The `program` key as `kpi_report --format json` prints it (the stable contract of SPEC §8)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "kpi.json"
        call_command("kpi_report", "--regency", regency, "--year", str(year), "--as-of", as_of, "--output", str(target))
        return json.loads(target.read_text(encoding="utf-8"))["program"]


@pytest.fixture
def registry():
    """Four businesses: two with NIB, two identified by owner NIK and name (one owner has two)."""
    sri = owner_make(nik=make_nik(1, female=True), name="Sri Rahayu", gender="P")
    budi = owner_make(nik=make_nik(2), name="Budi", gender="L")
    return {
        "a": business_make(name="Batik Sekar", nib="1000000000001", owner=sri),
        "b": business_make(name="Gula Semut", nib="1000000000002", owner=budi),
        "c": business_make(name="bu sri", owner=sri),  # registry holds the normalised form of `Bu. Sri`
        "d": business_make(name="keripik tempe", owner=budi, village="33.02.01.2001"),
        "sri": make_nik(1, female=True),
        "budi": make_nik(2),
    }


def test_rows_table_and_kpi(tmp_path, registry):
    sri, budi = registry["sri"], registry["budi"]
    rows = [
        # training P1 (2019): a attends, c passes (identified by NIK + `Bu. Sri`), b wait-listed
        [
            "P1",
            "pelatihan",
            "Pelatihan Batik",
            "2019-03-01",
            "2019-03-03",
            "",
            "Sri",
            "1000000000001",
            "Batik Sekar",
            V,
            "hadir",
        ],
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-01", "2019-03-03", sri, "Sri", "", "Bu. Sri", V, "lulus"],
        [
            "P1",
            "Pelatihan",
            " pelatihan  batik ",
            "01/03/2019",
            "03/03/2019",
            budi,
            "Budi",
            "1000000000002",
            "",
            V,
            "Daftar Tunggu",
        ],
        # training P2 (2019): a passes here too: once per kind and year
        ["P2", "pelatihan", "Digital Marketing", "2019-11-20", "2019-11-21", "", "", "1000000000001", "", V, "lulus"],
        # the same participant again later in the file: the later row wins (b: daftar_tunggu -> hadir)
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-01", "2019-03-03", "", "", "1000000000002", "", V, "hadir"],
        # contradictions: title, dates, kind
        ["P1", "pelatihan", "Pelatihan Tenun", "2019-03-01", "2019-03-03", "", "", "1000000000001", "", V, "lulus"],
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-02", "2019-03-03", "", "", "1000000000001", "", V, "lulus"],
        ["P1", "festival", "Pelatihan Batik", "2019-03-01", "2019-03-03", "", "", "1000000000001", "", V, "hadir"],
        # a status that the kind does not have
        ["K1", "bantuan_kemasan", "Kemasan 2019", "2019-05-01", "2019-08-01", "", "", "1000000000001", "", V, "hadir"],
        # packaging: b delivered, a accepted only, d (another regency's business) delivered
        [
            "K1",
            "bantuan_kemasan",
            "Kemasan 2019",
            "2019-05-01",
            "2019-08-01",
            "",
            "",
            "1000000000002",
            "",
            V,
            "diserahkan",
        ],
        [
            "K1",
            "bantuan_kemasan",
            "Kemasan 2019",
            "2019-05-01",
            "2019-08-01",
            "",
            "",
            "1000000000001",
            "",
            V,
            "diterima",
        ],
        [
            "K1",
            "bantuan_kemasan",
            "Kemasan 2019",
            "2019-05-01",
            "2019-08-01",
            budi,
            "",
            "",
            "Keripik Tempe",
            "",
            "diserahkan",
        ],
        # a business not in the registry, by NIB and by NIK + name
        ["F1", "festival", "Festival Jajanan", "2019-12-30", "2020-01-02", "", "", "9999999999999", "", V, "hadir"],
        ["F1", "festival", "Festival Jajanan", "2019-12-30", "2020-01-02", sri, "", "", "Toko Lain", V, "hadir"],
        # festival F1 starts in 2019: counts for 2019 though it ends in 2020; F2 starts in 2020
        ["F1", "festival", "Festival Jajanan", "2019-12-30", "2020-01-02", "", "", "1000000000001", "", V, "hadir"],
        ["F1", "festival", "Festival Jajanan", "2019-12-30", "2020-01-02", "", "", "1000000000002", "", V, "batal"],
        ["F2", "festival", "Festival 2020", "2020-01-10", "2020-01-12", "", "", "1000000000002", "", V, "hadir"],
        # an activity whose every participant cancelled still counts
        ["P3", "pelatihan", "Pelatihan Kopi", "2019-07-01", "2019-07-01", "", "", "1000000000002", "", V, "batal"],
        # end before start, bad date, unknown kind
        ["P4", "pelatihan", "Pelatihan X", "2019-07-02", "2019-07-01", "", "", "1000000000002", "", V, "hadir"],
        ["P5", "pelatihan", "Pelatihan Y", "31/02/2019", "2019-07-01", "", "", "1000000000002", "", V, "hadir"],
        ["P6", "lokakarya", "Pelatihan Z", "2019-07-01", "2019-07-01", "", "", "1000000000002", "", V, "hadir"],
    ]
    path = write(tmp_path / "peserta.csv", rows)
    result = run_import(kind="peserta_program", path=path, options={"regency": "33.03"})
    # row 4 is superseded by row 6 (same participant, same batch): counted unchanged, never written
    assert result.summary == "rows: 21, created: 11, updated: 0, unchanged: 1, rejected: 9"
    rejected = errors_of(result)
    assert [(n, col) for n, col, _reason in rejected] == [
        (7, "nama_kegiatan"),
        (8, "tanggal_mulai"),
        (9, "jenis"),
        (10, "status"),
        (14, "nib"),
        (15, "nik"),
        (20, "tanggal_selesai"),
        (21, "tanggal_mulai"),
        (22, "jenis"),
    ]
    reasons = {n: reason for n, _col, reason in rejected}
    assert reasons[7] == "kegiatan P1 bernama Pelatihan Batik, bukan Pelatihan Tenun"
    assert reasons[8] == "kegiatan P1 mulai 2019-03-01, bukan 2019-03-02"
    assert reasons[14] == "usaha dengan NIB 9999999999999 tidak ada di registri UMKM"
    assert reasons[15] == "usaha Toko Lain dengan NIK pemilik tersebut tidak ada di registri UMKM"
    assert reasons[10].startswith("status hadir tidak berlaku untuk Bantuan kemasan")

    assert Programme.objects.filter(regency_id="33.03").count() == 6  # P1 P2 K1 F1 F2 P3
    assert Participant.objects.get(programme__code="P1", business=registry["b"]).status == "hadir"
    assert kpi() == {
        "pelatihan": {"kegiatan": 3, "peserta": 3, "lulus": 2},
        "bantuan_kemasan": {"kegiatan": 1, "penerima": 2},
        "festival": {"kegiatan": 1, "peserta": 1},
    }
    assert kpi(year=2020, as_of="2020-12-31")["festival"] == {"kegiatan": 1, "peserta": 1}
    assert kpi(regency="33.02")["pelatihan"]["kegiatan"] == 0

    # re-import: nothing changes; every created participant has its audit entry
    audits = AuditEntry.objects.filter(action="program.peserta_impor").count()
    assert audits == 11
    again = run_import(kind="peserta_program", path=path, options={"regency": "33.03"})
    assert again.summary == "rows: 21, created: 0, updated: 0, unchanged: 12, rejected: 9"
    assert AuditEntry.objects.filter(action="program.peserta_impor").count() == audits


def test_regency_defaults_to_the_participants_village(tmp_path, registry):
    rows = [
        [
            "B1",
            "pelatihan",
            "Pelatihan Banyumas",
            "2019-04-01",
            "2019-04-02",
            "",
            "",
            "1000000000002",
            "",
            "3302012001",
            "hadir",
        ],
        [
            "P1",
            "pelatihan",
            "Pelatihan Purbalingga",
            "2019-04-01",
            "2019-04-02",
            "",
            "",
            "1000000000002",
            "",
            "",
            "lulus",
        ],
    ]
    result = run_import(kind="peserta_program", path=write(tmp_path / "p.csv", rows), options={})
    assert result.summary == "rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0"
    assert dict(Programme.objects.values_list("code", "regency_id")) == {"B1": "33.02", "P1": "33.03"}
    assert kpi(regency="33.02")["pelatihan"] == {"kegiatan": 1, "peserta": 1, "lulus": 0}
    assert kpi(regency="33.03")["pelatihan"] == {"kegiatan": 1, "peserta": 1, "lulus": 1}
    assert kpi(regency="33")["pelatihan"] == {"kegiatan": 2, "peserta": 1, "lulus": 1}


def test_a_second_file_contradicting_a_stored_activity_is_rejected(tmp_path, registry):
    first = [
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-01", "2019-03-03", "", "", "1000000000001", "", V, "hadir"]
    ]
    run_import(kind="peserta_program", path=write(tmp_path / "a.csv", first), options={"regency": "33.03"})
    second = [
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-01", "2019-03-04", "", "", "1000000000002", "", V, "hadir"],
        ["P1", "pelatihan", "PELATIHAN BATIK", "2019-03-01", "2019-03-03", "", "", "1000000000001", "", V, "lulus"],
    ]
    result = run_import(kind="peserta_program", path=write(tmp_path / "b.csv", second), options={"regency": "33.03"})
    assert result.summary == "rows: 2, created: 0, updated: 1, unchanged: 0, rejected: 1"
    assert errors_of(result)[0][:2] == (2, "tanggal_selesai")
    assert kpi()["pelatihan"] == {"kegiatan": 1, "peserta": 1, "lulus": 1}


def test_command_line_summary_and_error_file(tmp_path, registry):
    rows = [
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-01", "2019-03-03", "", "", "1000000000001", "", V, "hadir"],
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-01", "2019-03-03", "", "", "1234", "", V, "hadir"],
    ]
    path = write(tmp_path / "peserta.csv", rows)
    out = io.StringIO()
    call_command("import_data", "peserta_program", str(path), "--regency", "33.03", "--quiet-progress", stdout=out)
    assert out.getvalue().strip() == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    with open(tmp_path / "peserta.galat.csv", encoding="utf-8-sig") as fh:
        (error,) = list(csv.DictReader(fh))
    assert (error["baris"], error["kolom"], error["alasan"]) == ("3", "nib", "NIB harus 13 digit angka")


def test_activities_count_by_start_date_up_to_the_as_of_date(tmp_path, registry):
    rows = [
        ["P1", "pelatihan", "Awal", "2020-03-09", "2020-03-10", "", "", "1000000000001", "", V, "hadir"],
        ["P2", "pelatihan", "Nanti", "2020-03-10", "2020-03-10", "", "", "1000000000002", "", V, "hadir"],
    ]
    run_import(kind="peserta_program", path=write(tmp_path / "p.csv", rows), options={"regency": "33.03"})
    assert kpi(year=2020, as_of="2020-03-09")["pelatihan"] == {"kegiatan": 1, "peserta": 1, "lulus": 0}
    assert Programme.objects.get(code="P1").year == 2020
    assert Programme.objects.get(code="P1").start_date == date(2020, 3, 9)


def test_web_upload_by_an_operator_is_scoped_to_their_regency(client, operator, registry, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from apps.imports.models import ImportRun
    from apps.jobs.services import job_run_pending

    settings.MEDIA_ROOT = tmp_path
    rows = [
        ["P1", "pelatihan", "Pelatihan Batik", "2019-03-01", "2019-03-03", "", "", "1000000000001", "", V, "lulus"],
        ["B1", "pelatihan", "Pelatihan Banyumas", "2019-03-01", "2019-03-03", "", "", "1000000000002", "", "", "hadir"],
    ]
    path = write(tmp_path / "peserta.csv", rows)
    client.force_login(operator)
    assert client.get(reverse("imports:upload", args=["peserta_program"])).status_code == 200
    response = client.post(
        reverse("imports:upload", args=["peserta_program"]),
        {"file": SimpleUploadedFile("peserta.csv", path.read_bytes()), "regency": "33.03"},
    )
    assert response.status_code == 302
    job_run_pending()
    run = ImportRun.objects.get(kind="peserta_program")
    assert run.summary == "rows: 2, created: 2, updated: 0, unchanged: 0, rejected: 0"
    assert set(Programme.objects.values_list("regency_id", flat=True)) == {"33.03"}
    assert kpi()["pelatihan"] == {"kegiatan": 2, "peserta": 2, "lulus": 1}
