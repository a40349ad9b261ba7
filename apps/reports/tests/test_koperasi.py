"""The cooperative part of the report: the koperasi domain's figures, split and drilled."""

from datetime import date

import pytest
from django.urls import reverse

from apps.reports.tests.factories import district_and_village, kpi_figures, make_koperasi, report_breakdowns

D = date(2020, 3, 9)
QUERY = {"wilayah": "33.03", "tahun": "2019", "per": "2020-03-09"}

# (founded, dissolved, RAT date, predikat for book year 2019, jenis, kecamatan index) -> status on D
CASES = [
    (date(2000, 1, 1), None, date(2019, 3, 1), "sehat", "KSP", 0, "sehat"),
    (date(2000, 1, 1), None, date(2019, 3, 1), "cukup_sehat", "KSU", 0, "sehat"),
    (date(2000, 1, 1), None, date(2018, 3, 1), "dalam_pengawasan", "KSP", 1, "tidak_sehat"),
    (date(2000, 1, 1), None, date(2017, 3, 9), "", "jasa", 1, "belum_dinilai"),  # RAT exactly D − 3 years
    (date(2000, 1, 1), None, date(2017, 3, 8), "", "jasa", 1, "tidak_aktif"),  # a day too old
    (date(2000, 1, 1), None, None, "sehat", "KSP", None, "tidak_aktif"),  # assessed but no RAT
    (date(2000, 1, 1), date(2018, 6, 1), None, "", "KSP", 0, "dibubarkan"),
    (date(2000, 1, 1), date(2020, 3, 9), None, "", "KSP", 0, "dibubarkan"),  # dissolved on D
    (date(2000, 1, 1), date(2020, 3, 10), date(2019, 3, 1), "", "KSP", 0, "belum_dinilai"),  # after D
    (date(2020, 3, 10), None, None, "", "KSP", 0, "belum_berdiri"),  # legal entity after D
]


@pytest.fixture
def koperasi_data(db):
    for founded, dissolved, rat, predikat, jenis, k, _status in CASES:
        make_koperasi(founded=founded, dissolved=dissolved, rat=rat, predikat=predikat, jenis=jenis, district_index=k)
    make_koperasi(regency="33.02", rat=date(2019, 3, 1))


def test_figures_and_breakdowns(koperasi_data):
    f = kpi_figures(region_code="33.03", year=2019, as_of=D)
    statuses = [c[-1] for c in CASES]
    assert f["koperasi_total"] == 7
    assert f["koperasi_aktif"] == 5
    assert f["koperasi_tidak_aktif"] == statuses.count("tidak_aktif") == 2
    assert (f["koperasi_sehat"], f["koperasi_tidak_sehat"], f["koperasi_belum_dinilai"]) == (2, 1, 2)
    assert f["koperasi_dibubarkan_per_tahun"] == {"2018": 1, "2020": 1}
    b = report_breakdowns(region_code="33.03", year=2019, as_of=D)
    k0, k1 = (district_and_village("33.03", i)[0] for i in (0, 1))
    by_area = {
        r["key"]: (r["total"], r["aktif"], r["sehat"], r["tidak_sehat"], r["belum_dinilai"])
        for r in b["koperasi_per_wilayah"]
    }
    assert by_area == {k0: (3, 3, 2, 0, 1), k1: (3, 2, 0, 1, 1), "-": (1, 0, 0, 0, 0)}
    by_jenis = {r["key"]: r["total"] for r in b["koperasi_per_jenis"]}
    assert by_jenis == {"KSP": 4, "KSU": 1, "jasa": 2}
    province = report_breakdowns(region_code="33", year=2019, as_of=D)
    assert {r["label"]: r["total"] for r in province["koperasi_per_wilayah"]} == {
        "Kabupaten Banyumas": 1,
        "Kabupaten Purbalingga": 7,
    }


def test_every_koperasi_number_opens_its_records(client, head, koperasi_data):
    client.force_login(head)
    response = client.get(reverse("reports:page"), QUERY)
    (section,) = [s for s in response.context["sections"] if s.key == "koperasi"]
    checked = 0
    for table in section.tables:
        for row in table.rows:
            for value, link in row.cells():
                assert link.startswith("/laporan/rincian/koperasi/"), (table.key, row.label)
                drill = client.get(link)
                assert drill.status_code == 200
                assert drill.context["page"].paginator.count == value, (table.key, row.label, link)
                checked += 1
    assert checked > 40
