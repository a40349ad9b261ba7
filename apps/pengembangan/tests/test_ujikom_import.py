"""`import_data uji_kompetensi` (SPEC §11) and `kpi_report`'s `uji_kompetensi` key (SPEC §8).

The acceptance test counts from the file by hand, not through the selector under test."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.audit.models import AuditEntry
from apps.core.nik import nik_hash
from apps.koperasi.tests.factories import make_koperasi
from apps.pengembangan.models import Manager, Result
from apps.pengembangan.selectors.ujikom import ujikom_kpi
from apps.pengembangan.services import ujikom as svc
from apps.pengembangan.tests.factories import criteria_by_code, make_manager, make_session, nik

pytestmark = pytest.mark.django_db

HEADER = ["nomor_badan_hukum", "nik", "nama", "jabatan", "tanggal_uji", "hasil"]


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def run(path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("import_data", "uji_kompetensi", str(path), "--quiet-progress", *extra, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def cooperatives():
    return {
        "A": make_koperasi(nomor="BH-A", nama="KSP A"),
        "B": make_koperasi(nomor="BH-B", nama="Kop Produsen B", jenis="produsen"),
        "X": make_koperasi(nomor="BH-X", nama="KSP Banyumas", regency="33.02", district="33.02.01", village=None),
    }


# (nomor, nik serial, nama, jabatan, tanggal, hasil)
ROWS = [
    ("BH-A", 1, "Sri", "Ketua", "2019-03-10", "kompeten"),
    ("BH-A", 2, "Budi", "bendahara", "10/03/2019", "belum_kompeten"),
    ("BH-A", 2, "Budi", "bendahara", "2019-09-01", "kompeten"),  # retook: counted once as peserta, once kompeten
    ("BH-A", 3, "Ani", "manajer", "2018-12-31", "kompeten"),  # 2018: not in 2019
    ("BH-B", 1, "Sri", "pengawas", "2019-05-05", "belum kompeten"),  # same NIK, another cooperative: a second manager
    ("BH-B", 4, "Dedi", "sekretaris", "2020-01-02", "kompeten"),  # 2020
    ("BH-X", 5, "Eko", "ketua", "2019-04-04", "kompeten"),  # another regency
]
# Counted by hand for 33.03 in 2019: peserta = A/1, A/2, B/1 = 3; kompeten = A/1, A/2 = 2.
EXPECTED_2019 = {"peserta": 3, "kompeten": 2}


def _rows():
    return [[n, nik(s), nama, jab, tgl, hasil] for n, s, nama, jab, tgl, hasil in ROWS]


def test_import_then_kpi_report_acceptance(tmp_path, cooperatives, capsys):
    path = write(tmp_path / "uji.csv", _rows())
    assert run(path) == "rows: 7, created: 7, updated: 0, unchanged: 0, rejected: 0"
    capsys.readouterr()
    call_command("kpi_report", "--regency", "33.03", "--year", "2019", "--as-of", "2020-03-09", "--format", "json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["uji_kompetensi"] == EXPECTED_2019
    assert ujikom_kpi(regency_codes=["33.02"], year=2019, as_of=date(2020, 3, 9))["uji_kompetensi"] == {
        "peserta": 1,
        "kompeten": 1,
    }
    sri_a = Manager.objects.get(koperasi=cooperatives["A"], nik_hash=nik_hash(nik(1)))
    r = Result.objects.get(manager=sri_a)
    assert (r.kompeten, r.sumber, r.berlaku_sampai, r.jabatan) == (True, "impor", date(2022, 3, 9), "ketua")
    assert Manager.objects.count() == 6
    assert AuditEntry.objects.filter(action="ujikom_hasil.import").count() == 7
    # the same file again changes nothing; a changed outcome updates that row only
    assert run(path) == "rows: 7, created: 0, updated: 0, unchanged: 7, rejected: 0"
    rows = _rows()
    rows[1][5] = "kompeten"
    assert run(write(tmp_path / "uji2.csv", rows)) == "rows: 7, created: 0, updated: 1, unchanged: 6, rejected: 0"


def test_rejected_rows_have_row_column_and_reason(tmp_path, cooperatives):
    rows = [
        ["BH-A", nik(1), "Sri", "ketua", "2019-03-10", "kompeten"],
        ["BH-ZZ", nik(2), "Budi", "ketua", "2019-03-10", "kompeten"],
        ["BH-A", "33030112", "Ani", "ketua", "2019-03-10", "kompeten"],
        ["BH-A", nik(4), "", "lurah", "2019-02-30", "lulus"],
        ["BH-A", nik(1), "Sri", "ketua", "10-03-2019", "belum_kompeten"],
        ["BH-A", nik(6), "Ida", "ketua", "2099-01-01", "kompeten"],
    ]
    path = write(tmp_path / "uji.csv", rows)
    assert run(path) == "rows: 6, created: 1, updated: 0, unchanged: 0, rejected: 5"
    with (tmp_path / "uji.galat.csv").open(encoding="utf-8-sig") as fh:
        errors = [(r[0], r[1], r[2]) for r in list(csv.reader(fh))[1:]]
    assert errors[0][:2] == ("3", "nomor_badan_hukum") and "BH-ZZ tidak ada di registri" in errors[0][2]
    assert errors[1] == ("4", "nik", "NIK harus 16 digit angka")
    assert errors[2][:2] == ("5", "nama, jabatan, tanggal_uji, hasil")
    assert "jabatan tidak dikenal: lurah" in errors[2][2] and "hasil harus kompeten atau belum_kompeten" in errors[2][2]
    assert errors[3] == (
        "6",
        "tanggal_uji",
        "hasil uji pengelola ini pada tanggal ini sudah ada di baris data ke-1 berkas ini",
    )
    assert errors[4][:2] == ("7", "tanggal_uji") and "masa depan" in errors[4][2]


def test_session_result_is_not_overwritten(tmp_path, cooperatives, operator, make_user):
    asesor = make_user("asesor1", role="asesor")
    session = make_session(assessors=(asesor,), tanggal=date(2019, 3, 10))
    manager = make_manager(cooperatives["A"], nik_value=nik(1))
    p = svc.participant_register(session=session, manager=manager, actor=operator)
    svc.scores_save(
        participant=p,
        values={c.pk: "90" if c.maksimum == 100 else "9" for c in criteria_by_code(session.scheme).values()},
        actor=asesor,
    )
    svc.result_decide(participant=p, actor=asesor)
    path = write(tmp_path / "uji.csv", [["BH-A", nik(1), "Sri", "ketua", "2019-03-10", "belum_kompeten"]])
    assert run(path) == "rows: 1, created: 0, updated: 0, unchanged: 0, rejected: 1"
    assert Result.objects.get().kompeten is True


def test_scope_of_regency_option(tmp_path, cooperatives):
    path = write(tmp_path / "uji.csv", _rows())
    assert run(path, "--regency", "33.02") == "rows: 7, created: 1, updated: 0, unchanged: 0, rejected: 6"


def test_web_upload_is_scoped_to_the_uploaders_regions(cooperatives, other_operator, tmp_path):
    from apps.imports.framework import run_import

    path = write(tmp_path / "uji.csv", _rows())
    result = run_import(kind="uji_kompetensi", path=path, actor=other_operator)
    assert (result.run.created, result.run.rejected) == (1, 6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(list(range(len(ROWS)))))
def test_reimport_in_any_order_changes_nothing(tmp_path_factory, cooperatives, order):
    rows = _rows()
    path = write(tmp_path_factory.mktemp("u") / "uji.csv", [rows[i] for i in order])
    run(path)
    before = sorted(Result.objects.values_list("manager__nama", "tanggal_uji", "kompeten", "berlaku_sampai"))
    assert run(path).endswith("created: 0, updated: 0, unchanged: 7, rejected: 0")
    assert sorted(Result.objects.values_list("manager__nama", "tanggal_uji", "kompeten", "berlaku_sampai")) == before
    assert ujikom_kpi(regency_codes=["33.03"], year=2019, as_of=date(2020, 3, 9))["uji_kompetensi"] == EXPECTED_2019


def test_web_upload_page_offers_the_template(client, operator):
    client.force_login(operator)
    response = client.get("/impor/uji_kompetensi/unggah/")
    assert response.status_code == 200
    assert "Hasil uji kompetensi pengelola koperasi" in response.content.decode()
