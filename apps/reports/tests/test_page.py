"""The report page: who may read it, what it shows, the records behind each number, downloads."""

import importlib.util
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.reports.tests.factories import make_business, make_seller, record_sale

QUERY = {"wilayah": "33.03", "tahun": "2019", "per": "2020-03-09"}


@pytest.fixture
def pimpinan(make_user):
    return make_user("bupati", role="pimpinan", regions=["33.03"])


@pytest.fixture
def umkm_data(db):
    make_business(years={2018: "mikro", 2019: "kecil"}, gender="P", sector="Kuliner")
    make_business(years={2018: "mikro", 2019: "mikro"}, gender="L", sector="Kerajinan", district_index=1)
    make_business(years={2019: "menengah"}, gender="P", sector="Kuliner")
    make_business(years={2020: "mikro"})  # recorded only after Y: not counted
    make_business(years={2019: "mikro"}, status="tutup")  # closed: not counted
    make_business(regency="33.02", years={2019: "mikro"})  # another regency


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("buyer", 403), ("other_operator", 404), ("pimpinan", 200), ("head", 200), ("operator", 200)],
)
def test_page_access(client, request, who, status, umkm_data):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("reports:page"), QUERY)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))
    if status != 200:
        assert b"Kabupaten Purbalingga" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("buyer", 403), ("other_operator", 404), ("pimpinan", 200)]
)
def test_export_and_drill_access(client, request, who, status, umkm_data):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("reports:export"), {**QUERY, "format": "xlsx"}).status_code == status
    assert client.get(reverse("reports:drill", args=["umkm"]), QUERY).status_code == status


@pytest.mark.django_db
def test_page_shows_figures_and_links_every_number(client, pimpinan, umkm_data):
    client.force_login(pimpinan)
    response = client.get(reverse("reports:page"), QUERY)
    html = response.content.decode()
    assert "Kabupaten Purbalingga" in html
    tables = {t.key: t for s in response.context["sections"] for t in s.tables}
    assert [(r.label, r.values) for r in tables["umkm_per_jenis_kelamin"].rows] == [
        ("Laki-laki", (1,)),
        ("Perempuan", (2,)),
        ("Jumlah", (3,)),
    ]
    assert [(r.label, r.values) for r in tables["umkm_per_sektor"].rows] == [
        ("Kerajinan", (1,)),
        ("Kuliner", (2,)),
        ("Jumlah", (3,)),
    ]
    # Every figure cell of the UMKM section is a link to the records behind it.
    for key in ("umkm_per_kelas", "umkm_per_wilayah", "umkm_per_sektor", "umkm_per_jenis_kelamin", "naik_kelas"):
        for row in tables[key].rows:
            assert all(link.startswith("/laporan/rincian/") for link in row.links), (key, row)
    assert 'id="report-charts"' in html
    assert "vendor/chart.umd.min.js" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_drill_lists_match_the_numbers(client, pimpinan, umkm_data):
    client.force_login(pimpinan)
    response = client.get(reverse("reports:page"), QUERY)
    checked = 0
    # The SPEC §8 figures come from the umkm domain's selector; compare them once it is installed.
    domain = importlib.util.find_spec("apps.umkm.selectors") is not None
    for section in response.context["sections"]:
        for table in section.tables:
            if section.key != "umkm" or (table.key in ("umkm_per_kelas", "naik_kelas") and not domain):
                continue
            for row in table.rows:
                for value, link in row.cells():
                    assert link.startswith("/laporan/rincian/"), (table.key, row.label)
                    drill = client.get(link)
                    assert drill.status_code == 200
                    assert drill.context["page"].paginator.count == value, (table.key, row.label, link)
                    checked += 1
    assert checked >= 9


@pytest.mark.django_db
def test_omzet_drill_lists_add_up_to_the_numbers(client, pimpinan):
    from apps.omzet.services import omzet_record_return
    from apps.reports.tests.test_breakdowns import RETURNS, SALES, wib

    sellers = {
        "A": make_seller(make_business(sector="Kuliner", district_index=0)),
        "B": make_seller(make_business(sector="Kerajinan", district_index=1)),
        None: None,
    }
    for key, channel, seller, when, amount in SALES:
        record_sale(key=key, channel=channel, amount=amount, when=when, seller=sellers[seller])
    for key, original, when, amount in RETURNS:
        omzet_record_return(
            source_key=key, original_source_key=original, quantity=1, amount=amount, counted_at=when, actor=None
        )
    client.force_login(pimpinan)
    response = client.get(reverse("reports:page"), QUERY)
    (omzet,) = [s for s in response.context["sections"] if s.key == "omzet"]
    checked = 0
    for table in omzet.tables:
        for row in table.rows:
            for value, link in row.cells():
                assert link.startswith("/laporan/rincian/omzet/"), (table.key, row.label)
                drill = client.get(link)
                assert drill.status_code == 200
                assert drill.context["total"] == value, (table.key, row.label, link)
                checked += 1
    assert checked == 2 + 2 * (3 + 1) + 2 * (3 + 1) + 2 * (3 + 1) + 12 + 1
    assert "Rp4.150.000" in response.content.decode()
    assert wib(2019, 1, 1).year == 2019


@pytest.mark.django_db
def test_page_query_count_does_not_grow(client, pimpinan, django_assert_num_queries, umkm_data):
    client.force_login(pimpinan)
    client.get(reverse("reports:page"), QUERY)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_business(years={2019: "mikro"}, district_index=7)  # new data: the UMKM roll-up is recomputed
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("reports:page"), QUERY)
    for i in range(6):
        make_business(years={2018: "kecil", 2019: "menengah"}, sector=f"Sektor {i}", district_index=i)
    # Recomputed again (more rows, the same queries) ...
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(reverse("reports:page"), QUERY)
    # ... then read from the roll-up.
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("reports:page"), QUERY)
    assert len(warm.captured_queries) < len(first.captured_queries)
    assert response.context["sections"][1].tables[3].rows[-1].values == (10,)
    assert response.context["figures"]["umkm_total"] == 10


@pytest.mark.django_db
def test_drill_query_count_does_not_grow(client, pimpinan, django_assert_num_queries, umkm_data):
    client.force_login(pimpinan)
    url = reverse("reports:drill", args=["umkm"])
    client.get(url, QUERY)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url, QUERY)
    for _ in range(5):
        make_business(years={2019: "mikro"})
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url, QUERY)
    assert response.context["page"].paginator.count == 8


@pytest.mark.django_db
def test_regency_download_is_direct(client, pimpinan, umkm_data):
    client.force_login(pimpinan)
    response = client.get(reverse("reports:export"), {**QUERY, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="laporan-33.03-2019-2020-03-09.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    values = {row[0].value: row[1].value for row in wb["UMKM"].iter_rows() if row[0].value}
    assert (values["Perempuan"], values["Laki-laki"]) == (2, 1)
    pdf = client.get(reverse("reports:export"), {**QUERY, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_province_download_runs_as_a_job(client, admin_user, buyer, operator, umkm_data, settings, tmp_path):
    from apps.jobs.models import Job
    from apps.jobs.services import job_run_pending

    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    response = client.get(reverse("reports:export"), {**QUERY, "wilayah": "33", "format": "pdf"})
    job = Job.objects.get(kind="reports.export")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job_run_pending() == 1
    job.refresh_from_db()
    assert job.status == "done", job.error
    link = job.result["links"][0]["url"]
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Someone else cannot fetch the file.
    client.force_login(operator)
    assert client.get(link).status_code == 404


@pytest.mark.django_db
def test_operator_cannot_choose_province_without_all_regencies(client, operator):
    client.force_login(operator)
    assert client.get(reverse("reports:page"), {**QUERY, "wilayah": "33"}).status_code == 404
    page = client.get(reverse("reports:page"))
    assert page.status_code == 200
    assert [c for c, _n in page.context["form"].fields["wilayah"].choices] == ["33.03"]


@pytest.mark.django_db
def test_nav_and_dashboard_card(client, pimpinan, buyer):
    client.force_login(pimpinan)
    dash = client.get(reverse("core:dashboard")).content.decode()
    assert re.search(r'href="/laporan/"', dash)
    assert "Buka laporan" in dash
    client.force_login(buyer)
    assert "Buka laporan" not in client.get(reverse("core:dashboard")).content.decode()


@pytest.mark.django_db
def test_drill_down_names_its_filters_and_downloads_every_record_as_xlsx(client, pimpinan, umkm_data, monkeypatch):
    from apps.reports import views

    client.force_login(pimpinan)
    url = reverse("reports:drill", args=["umkm"])
    page = client.get(url, {**QUERY, "area": "33.03.01", "jenis_kelamin": "P"})
    assert page.context["filters"] == [("Wilayah", "Kemangkon"), ("Jenis kelamin", "P")]
    html = page.content.decode()
    assert "Wilayah: Kemangkon" in html and "area:" not in html
    listed = page.context["page"].paginator.count
    response = client.get(url, {**QUERY, "area": "33.03.01", "jenis_kelamin": "P", "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="rincian-umkm-33.03-2019-2020-03-09.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][:2] == ("Wilayah", "Kemangkon")
    header = rows.index(tuple(page.context["drill"].columns))
    assert len(rows) - header - 1 == listed == 2
    monkeypatch.setattr(views, "DRILL_XLSX_MAX_ROWS", 1)  # beyond the cap: a message, no file
    refused = client.get(url, {**QUERY, "format": "xlsx"}, follow=True)
    assert "Terlalu banyak catatan" in refused.content.decode()
    assert refused.redirect_chain[-1][0].endswith("per=2020-03-09")
