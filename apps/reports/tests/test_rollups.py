"""UMKM roll-ups for province reports: always the sums of the umkm selector's per-regency results, and
still right after every import and edit."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.reports.breakdowns import report_breakdowns, umkm_breakdowns
from apps.reports.models import UmkmRollup
from apps.reports.selectors import kpi_figures
from apps.reports.tests.factories import make_business
from apps.umkm.selectors import umkm_kpi
from apps.umkm.tests.factories import umkm_csv, umkm_row

pytestmark = pytest.mark.django_db
D = date(2020, 3, 9)
JT = 1_000_000

# (regency, years recorded, status, sector, gender)
CASES = [
    ("33.03", {2018: "mikro", 2019: "kecil"}, "aktif", "Kuliner", "P"),
    ("33.03", {2018: "mikro", 2019: "mikro"}, "aktif", "Kerajinan", "L"),
    ("33.03", {2019: "menengah"}, "tutup", "Kuliner", "P"),
    ("33.02", {2018: "kecil", 2019: "menengah"}, "aktif", "Kuliner", "L"),
    ("33.02", {2017: "mikro"}, "aktif", "Fesyen", "P"),
    ("33.74", {2018: "mikro", 2019: "besar"}, "aktif", "Jasa", "P"),
    ("33.74", {2020: "mikro"}, "aktif", "Jasa", "P"),
]


def province_codes() -> list[str]:
    from apps.regions.selectors import regency_codes_under

    return sorted(regency_codes_under({"33"}))


@pytest.fixture
def registry(db):
    for regency, years, status, sector, gender in CASES:
        make_business(regency=regency, years=years, status=status, sector=sector, gender=gender)


def live_province() -> dict:
    return umkm_kpi(regency_codes=province_codes(), year=2019, as_of=D)


def test_province_figures_are_the_selector_over_the_province(registry):
    f = kpi_figures(region_code="33", year=2019, as_of=D)
    live = live_province()
    assert {k: f[k] for k in live} == live
    assert f["umkm_total"] == 5
    assert f["umkm_per_kelas"] == {"mikro": 2, "kecil": 1, "menengah": 1, "besar": 1}
    assert f["naik_kelas"]["mikro_kecil"] == 1
    assert f["naik_kelas"]["kecil_menengah"] == 1
    assert f["naik_kelas"]["mikro_besar"] == 1
    assert UmkmRollup.objects.filter(year=2019).count() == len(province_codes()) == 35


def test_province_breakdowns_add_up(registry):
    b = report_breakdowns(region_code="33", year=2019, as_of=D)
    live = umkm_breakdowns(region_code="33", regency_codes=province_codes(), year=2019)
    assert b["umkm_per_sektor"] == live["umkm_per_sektor"]
    assert b["umkm_per_jenis_kelamin"] == live["umkm_per_jenis_kelamin"]
    assert {r["label"]: r["jumlah"] for r in b["umkm_per_wilayah"]} == {
        "Kabupaten Banyumas": 2,
        "Kabupaten Purbalingga": 2,
        "Kota Semarang": 1,
    }


def test_rollups_follow_an_import(registry, tmp_path, capsys):
    before = kpi_figures(region_code="33", year=2019, as_of=D)
    path = tmp_path / "umkm.csv"
    umkm_csv(
        path,
        [
            umkm_row(
                nik="3303015204850001",
                nama_usaha="Baru 1",
                tahun_data="2018",
                modal_usaha=str(10 * JT),
                omzet_tahunan=str(100 * JT),
            ),
            umkm_row(
                nik="3303015204850001",
                nama_usaha="Baru 1",
                tahun_data="2019",
                modal_usaha=str(60 * JT),
                omzet_tahunan=str(400 * JT),
            ),
            umkm_row(nik="3303015204850002", nama_usaha="Baru 2", tahun_data="2019"),
        ],
    )
    call_command("import_data", "umkm", str(path), "--quiet-progress")
    assert "created: " in capsys.readouterr().out
    after = kpi_figures(region_code="33", year=2019, as_of=D)
    assert after["umkm_total"] == before["umkm_total"] + 2
    assert after["naik_kelas"]["mikro_kecil"] == before["naik_kelas"]["mikro_kecil"] + 1
    live = live_province()
    assert {k: after[k] for k in live} == live


def test_rollups_follow_an_edit_and_a_new_record(registry):
    from apps.umkm.models import Business, BusinessYear

    kpi_figures(region_code="33", year=2019, as_of=D)
    b = Business.objects.filter(regency_id="33.02", sector="Fesyen").get()
    # A new yearly record (a new id moves the stamp) ...
    BusinessYear.objects.create(business=b, year=2019, kelas="kecil", kelas_rank=1, rule_set="UU 20/2008")
    assert kpi_figures(region_code="33", year=2019, as_of=D)["umkm_per_kelas"]["kecil"] == 2
    # ... and an audited edit of an existing business (closing it).
    from apps.audit.services import audit_log

    Business.objects.filter(pk=b.pk).update(status="tutup")
    audit_log(actor=None, action="umkm.business_close", obj=b, changes={"status": ["aktif", "tutup"]})
    f = kpi_figures(region_code="33", year=2019, as_of=D)
    live = live_province()
    assert f["umkm_per_kelas"]["kecil"] == 1
    assert {k: f[k] for k in live} == live


def test_province_page_queries_do_not_grow(client, admin_user, registry, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    query = {"wilayah": "33", "tahun": "2019", "per": "2020-03-09"}
    client.get(reverse("reports:page"), query)  # computes the roll-ups
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("reports:page"), query)
    count = len(first.captured_queries)
    for i in range(4):
        make_business(regency="33.03", years={2019: "mikro"}, sector=f"S{i}")
    client.get(reverse("reports:page"), query)  # the stamp moved: 33.03 is recomputed once
    with django_assert_num_queries(count):
        response = client.get(reverse("reports:page"), query)
    assert response.context["figures"]["umkm_total"] == 9


def test_refresh_command(registry, capsys):
    call_command("report_rollups", "--region", "33", "--year", "2019")
    assert capsys.readouterr().out.strip().endswith("ringkasan dihitung: 35")
    row = UmkmRollup.objects.get(regency_id="33.03", year=2019)
    assert row.figures == umkm_kpi(regency_codes=["33.03"], year=2019, as_of=D)
