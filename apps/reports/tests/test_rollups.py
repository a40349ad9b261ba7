"""UMKM roll-ups for province reports: always the sums of the umkm selector's per-regency results, and
still right after every import and edit."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.reports.tests.factories import kpi_figures, make_business, report_breakdowns
from apps.umkm.models import UmkmRollup
from apps.umkm.rollups import breakdown_rows
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
    assert b["umkm_per_sektor"] == breakdown_rows(regency_codes=province_codes(), year=2019, by="sektor")
    assert b["umkm_per_jenis_kelamin"] == breakdown_rows(regency_codes=province_codes(), year=2019, by="jenis_kelamin")
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


def test_rollups_follow_the_edit_services(registry):
    from apps.umkm.models import Business, BusinessYear
    from apps.umkm.services import business_update, business_year_update

    kpi_figures(region_code="33", year=2019, as_of=D)
    b = Business.objects.filter(regency_id="33.02", sector="Kuliner").get()
    business_update(business=b, data={"status": "tutup"}, actor=None)
    f = kpi_figures(region_code="33", year=2019, as_of=D)
    assert f["umkm_per_kelas"]["menengah"] == 0
    record = BusinessYear.objects.get(business__regency_id="33.74", year=2019)
    business_year_update(record=record, modal_usaha=1 * JT, omzet_tahunan=None, tenaga_kerja=2, actor=None)
    f = kpi_figures(region_code="33", year=2019, as_of=D)
    assert f["umkm_per_kelas"] == {"mikro": 3, "kecil": 1, "menengah": 0, "besar": 0}
    live = live_province()
    assert {k: f[k] for k in live} == live


def computed_at() -> dict[str, object]:
    return dict(UmkmRollup.objects.filter(year=2019).values_list("regency_id", "computed_at"))


def test_a_change_recomputes_only_its_regency(registry):
    kpi_figures(region_code="33", year=2019, as_of=D)
    before = computed_at()
    kpi_figures(region_code="33", year=2019, as_of=D)
    assert computed_at() == before  # nothing changed: nothing recomputed
    make_business(regency="33.02", years={2019: "kecil"})
    f = kpi_figures(region_code="33", year=2019, as_of=D)
    after = computed_at()
    assert {code for code in after if after[code] != before[code]} == {"33.02"}
    assert f["umkm_per_kelas"]["kecil"] == 2


def test_an_import_recomputes_the_rollups_it_made_stale(registry, tmp_path, capsys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = umkm_csv(tmp_path / "a.csv", [umkm_row(nik="3303015204850001", nama_usaha="Baru 1")])
    call_command("import_data", "umkm", str(path), "--quiet-progress")
    assert not UmkmRollup.objects.exists()  # no report made yet: nothing to recompute
    kpi_figures(region_code="33", year=2019, as_of=D)
    kpi_figures(region_code="33", year=2018, as_of=D)
    before = computed_at()
    path = umkm_csv(tmp_path / "b.csv", [umkm_row(nik="3303015204850002", nama_usaha="Baru 2")])
    call_command("import_data", "umkm", str(path))
    assert "menghitung ulang ringkasan laporan" in capsys.readouterr().err
    after = computed_at()
    assert {code for code in after if after[code] != before[code]} == {"33.03"}
    assert UmkmRollup.objects.filter(regency_id="33.03").count() == 2  # both years someone reported on
    # the report right after the import reads the rows as they are: no recomputation
    with CaptureQueriesContext(connection) as queries:
        f = kpi_figures(region_code="33", year=2019, as_of=D)
    assert not [q for q in queries.captured_queries if "umkm_businessyear" in q["sql"]]
    assert f["umkm_total"] == live_province()["umkm_total"] == 7
    assert computed_at() == after


def test_a_failing_follow_up_does_not_undo_the_import(registry, tmp_path, monkeypatch, caplog):
    from apps.umkm import rollups
    from apps.umkm.models import Business

    kpi_figures(region_code="33", year=2019, as_of=D)

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(rollups, "umkm_rollups_refresh_each", broken)
    path = umkm_csv(tmp_path / "b.csv", [umkm_row(nik="3303015204850002", nama_usaha="Baru 2")])
    call_command("import_data", "umkm", str(path), "--quiet-progress")
    assert Business.objects.filter(name="Baru 2").exists()
    assert "follow-up" in caplog.text
    # the stale row is recomputed when the report is next read
    assert kpi_figures(region_code="33", year=2019, as_of=D)["umkm_total"] == live_province()["umkm_total"]


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
    client.get(reverse("reports:page"), query)  # 33.03's revision moved: it is recomputed once
    with django_assert_num_queries(count):
        response = client.get(reverse("reports:page"), query)
    assert response.context["figures"]["umkm_total"] == 9


def test_refresh_command(registry, capsys):
    call_command("report_rollups", "--region", "33", "--year", "2019")
    assert capsys.readouterr().out.strip().endswith("ringkasan dihitung: 35")
    row = UmkmRollup.objects.get(regency_id="33.03", year=2019)
    assert row.figures == umkm_kpi(regency_codes=["33.03"], year=2019, as_of=D)
    call_command("report_rollups", "--stale")
    assert capsys.readouterr().out.strip().endswith("ringkasan dihitung: 0")
    make_business(regency="33.03", years={2019: "besar"})
    make_business(regency="33.74", years={2018: "besar"})
    call_command("report_rollups", "--stale")
    assert capsys.readouterr().out.strip().endswith("ringkasan dihitung: 2")
    row.refresh_from_db()
    assert row.figures == umkm_kpi(regency_codes=["33.03"], year=2019, as_of=D)
    assert row.figures["umkm_per_kelas"]["besar"] == 1


def test_a_report_with_many_rollups_to_compute_is_prepared_in_the_background(client, admin_user, registry, monkeypatch):
    from apps.jobs.models import Job
    from apps.jobs.services import job_run_pending
    from apps.reports import views

    monkeypatch.setattr(views, "INLINE_ROLLUP_BUSINESSES", 2)  # 5 businesses in 3 regencies: "too many"
    client.force_login(admin_user)
    query = {"wilayah": "33", "tahun": "2019", "per": "2020-03-09"}
    response = client.get(reverse("reports:page"), query)
    job = Job.objects.get(kind="reports.prepare")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert client.get(reverse("reports:page"), query).url == response.url  # the same job, not a second one
    # one regency is always answered directly
    assert client.get(reverse("reports:page"), {**query, "wilayah": "33.03"}).status_code == 200
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert job.status == "done", job.message
    link = job.result["links"][0]["url"]
    assert link == reverse("reports:page") + "?wilayah=33&tahun=2019&per=2020-03-09"
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["figures"]["umkm_total"] == 5
    assert UmkmRollup.objects.filter(year=2019).count() == 35


def test_kpi_report_for_a_province_shows_the_rollups_being_computed(registry, capsys):
    import json

    call_command("kpi_report", "--regency", "33", "--year", "2019", "--as-of", "2020-03-09")
    out, err = capsys.readouterr()
    assert json.loads(out)["umkm_total"] == 5
    assert "35/35 kabupaten" in err and "ringkasan UMKM" in err
    call_command("kpi_report", "--regency", "33", "--year", "2019", "--as-of", "2020-03-09")
    out, err = capsys.readouterr()
    assert json.loads(out)["umkm_total"] == 5
    assert err == ""  # nothing left to compute


def test_the_worker_recomputes_a_regency_after_an_edit(registry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.jobs.services import job_idle_run
    from apps.umkm.models import Business
    from apps.umkm.services import business_update

    kpi_figures(region_code="33", year=2019, as_of=D)
    kpi_figures(region_code="33", year=2018, as_of=D)
    assert job_idle_run() == 0  # nothing stale
    business_update(
        business=Business.objects.get(regency_id="33.02", sector="Fesyen"), data={"status": "tutup"}, actor=None
    )
    assert job_idle_run() == 1  # one row per idle step: 33.02 for 2018 ...
    assert job_idle_run() == 1  # ... then for 2019
    assert job_idle_run() == 0
    with CaptureQueriesContext(connection) as queries:
        f = kpi_figures(region_code="33", year=2018, as_of=D)
    assert not [q for q in queries.captured_queries if "umkm_businessyear" in q["sql"]]
    assert f["umkm_total"] == umkm_kpi(regency_codes=province_codes(), year=2018, as_of=D)["umkm_total"]
