"""Property: importing a report file a second time changes nothing (rows, assessments)."""

from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.koperasi.models import Assessment, LaporanTahunan
from apps.koperasi.tests.factories import GOOD_FIGURES, LAPORAN_HEADER, make_koperasi, write_csv

pytestmark = pytest.mark.django_db

figure = st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))
row = st.fixed_dictionaries(
    {
        "koperasi": st.integers(min_value=0, max_value=2),
        "tahun_buku": st.integers(min_value=2015, max_value=2020),
        "tanggal_rat": st.sampled_from(["", "2021-02-01", "2021-03-09"]),
        "skor_manajemen": st.sampled_from(["", "0", "7,5", "15"]),
        **dict.fromkeys(GOOD_FIGURES, figure),
    }
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=8))
def test_reimport_changes_nothing(tmp_path_factory, rows):
    LaporanTahunan.objects.all().delete()
    koperasi = [make_koperasi(nomor=f"P-{i}", jenis=("KSP", "KSU", "jasa")[i]) for i in range(3)]
    data = [{**r, "nomor_badan_hukum": koperasi[r.pop("koperasi")].nomor_badan_hukum} for r in map(dict, rows)]
    path = write_csv(tmp_path_factory.mktemp("p") / "l.csv", LAPORAN_HEADER, data)
    call_command("import_data", "laporan_koperasi", str(path), "--quiet-progress", stdout=StringIO())
    first = list(
        Assessment.objects.order_by("koperasi_id", "tahun_buku").values_list("koperasi_id", "tahun_buku", "total")
    )
    reports = LaporanTahunan.objects.count()
    out = StringIO()
    call_command("import_data", "laporan_koperasi", str(path), "--quiet-progress", stdout=out)
    summary = dict(part.split(": ") for part in out.getvalue().strip().split(", "))
    assert (summary["created"], summary["updated"], summary["unchanged"]) == ("0", "0", str(reports))
    assert (
        list(Assessment.objects.order_by("koperasi_id", "tahun_buku").values_list("koperasi_id", "tahun_buku", "total"))
        == first
    )
    for k in koperasi:
        k.delete()
