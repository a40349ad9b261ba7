import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.audit.models import AuditEntry
from apps.umkm.models import Business, BusinessYear
from apps.umkm.tests.factories import business_make, make_nik, owner_make

pytestmark = pytest.mark.django_db

JT = 1_000_000


@pytest.fixture
def purbalingga_business():
    owner = owner_make(nik="3303015204850001", name="Sri Rahayu", gender="P")
    return business_make(
        name="Gula Semut Sri",
        owner=owner,
        nib="9120000000001",
        years={2018: (10 * JT, 100 * JT), 2019: (60 * JT, 400 * JT)},
    )


def login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


ACCESS = [("anonymous", 302), ("buyer", 403), ("other_operator", 404), ("operator", 200)]


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_detail_access(client, request, who, status, purbalingga_business):
    login(client, request, who)
    response = client.get(reverse("umkm:detail", args=[purbalingga_business.pk]))
    assert response.status_code == status
    if status != 200:
        assert b"Gula Semut Sri" not in response.content


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("buyer", 403), ("other_operator", 200), ("operator", 200)]
)
def test_list_is_scoped_to_the_officers_regions(client, request, who, status, purbalingga_business):
    login(client, request, who)
    response = client.get(reverse("umkm:list"))
    assert response.status_code == status
    assert (b"Gula Semut Sri" in response.content) == (who == "operator")


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_edit_access_and_nothing_changes_when_refused(client, request, who, status, purbalingga_business):
    login(client, request, who)
    data = {
        "name": "Diganti",
        "nib": "",
        "kbli": "",
        "sector": "",
        "address": "",
        "founded_year": "",
        "status": "aktif",
    }
    response = client.post(reverse("umkm:edit", args=[purbalingga_business.pk]), data)
    purbalingga_business.refresh_from_db()
    if who == "operator":
        assert response.status_code == 302
        assert purbalingga_business.name == "Diganti"
        entry = AuditEntry.objects.get(action="umkm.business_update")
        assert entry.changes["name"] == ["Gula Semut Sri", "Diganti"]
    else:
        assert response.status_code == status
        assert purbalingga_business.name == "Gula Semut Sri"
        assert not AuditEntry.objects.filter(action="umkm.business_update").exists()


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_reveal_nik_is_audited_and_refused_to_others(client, request, who, status, purbalingga_business):
    login(client, request, who)
    response = client.post(reverse("umkm:reveal_nik", args=[purbalingga_business.pk]), {"reason": "verifikasi"})
    assert response.status_code == status
    revealed = AuditEntry.objects.filter(action="nik.reveal")
    if who == "operator":
        assert "3303015204850001" in response.content.decode()
        assert revealed.count() == 1
        assert revealed.get().changes == {"alasan": "verifikasi"}
    else:
        assert b"3303015204850001" not in response.content
        assert not revealed.exists()


def test_empty_reveal_reason_keeps_the_section_open_with_its_error(client, operator, purbalingga_business):
    client.force_login(operator)
    response = client.post(reverse("umkm:reveal_nik", args=[purbalingga_business.pk]), {"reason": ""})
    html = response.content.decode()
    assert '<details id="lihat-nik" open>' in html
    # the form's error summary (role=alert, focused by static/js/forms.js) and the message under the field
    summary = html[html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))]
    assert 'href="#id_reason"' in summary and "Bidang ini tidak boleh kosong." in summary
    assert 'id="id_reason_error">Bidang ini tidak boleh kosong.</small>' in html
    assert "3303015204850001" not in html
    assert not AuditEntry.objects.filter(action="nik.reveal").exists()
    fresh = client.get(reverse("umkm:detail", args=[purbalingga_business.pk])).content.decode()
    assert '<details id="lihat-nik">' in fresh


def test_detail_shows_masked_nik_and_class_history(client, operator, purbalingga_business):
    client.force_login(operator)
    html = client.get(reverse("umkm:detail", args=[purbalingga_business.pk])).content.decode()
    assert "3303**********01" in html
    assert "3303015204850001" not in html
    assert "naik kelas dari mikro" in html
    assert "Rp400.000.000" in html


def test_year_edit_reclassifies_and_audits(client, operator, purbalingga_business):
    client.force_login(operator)
    url = reverse("umkm:year_edit", args=[purbalingga_business.pk, 2019])
    response = client.post(url, {"modal_usaha": "40000000", "omzet_tahunan": "250000000", "tenaga_kerja": "4"})
    assert response.status_code == 302
    record = BusinessYear.objects.get(business=purbalingga_business, year=2019)
    assert (record.omzet_tahunan, record.kelas, record.tenaga_kerja) == (250 * JT, "mikro", 4)
    entry = AuditEntry.objects.get(action="umkm.business_year_update")
    assert entry.changes["kelas"] == ["kecil", "mikro"]


def test_year_edit_rejects_negative_money(client, operator, purbalingga_business):
    client.force_login(operator)
    url = reverse("umkm:year_edit", args=[purbalingga_business.pk, 2019])
    response = client.post(url, {"modal_usaha": "-1", "omzet_tahunan": "", "tenaga_kerja": ""})
    assert response.status_code == 200
    assert BusinessYear.objects.get(business=purbalingga_business, year=2019).modal_usaha == 60 * JT


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Batik Tulis", "Gula Semut Sri", "Knalpot Racing"]),
        ({"q": "gula"}, ["Gula Semut Sri"]),
        ({"q": "3303015204850001"}, ["Gula Semut Sri"]),
        ({"q": "330301520485"}, []),  # only the exact NIK finds by NIK
        ({"q": "9120000000001"}, ["Gula Semut Sri"]),
        ({"kecamatan": "33.03.05"}, ["Knalpot Racing"]),
        ({"kecamatan": "33.03.01", "desa": "33.03.01.2002"}, ["Batik Tulis"]),
        ({"sektor": "batik"}, ["Batik Tulis"]),
        ({"kelas": "kecil"}, ["Gula Semut Sri"]),
        ({"kelas": "mikro", "tahun": "2018"}, ["Batik Tulis", "Gula Semut Sri"]),
        ({"tahun": "2019"}, ["Gula Semut Sri", "Knalpot Racing"]),
        ({"jenis_kelamin": "L"}, ["Batik Tulis", "Knalpot Racing"]),
    ],
)
def test_list_filters_and_search(client, operator, purbalingga_business, params, expected):
    business_make(
        name="Batik Tulis",
        village="33.03.01.2002",
        sector="batik",
        owner=owner_make(gender="L"),
        years={2018: (10 * JT, 100 * JT)},
    )
    business_make(
        name="Knalpot Racing",
        village="33.03.05.1001",
        sector="knalpot",
        owner=owner_make(gender="L"),
        years={2019: (600 * JT, 3_000 * JT)},
    )
    business_make(name="Getuk Banyumas", village="33.02.01.2001", years={2019: (10 * JT, 100 * JT)})
    client.force_login(operator)
    response = client.post(reverse("umkm:list"), params, follow=True)  # the search form posts (issue #15 M3)
    assert response.status_code == 200
    assert sorted(b.name for b in response.context["page"]) == expected


def test_list_and_export_query_counts_do_not_grow(client, operator, django_assert_num_queries):
    client.force_login(operator)

    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    business_make(years={2018: (10 * JT, 100 * JT), 2019: (60 * JT, 400 * JT)})
    urls = [
        reverse("umkm:list"),
        reverse("umkm:export", args=["csv"]),
        reverse("umkm:export", args=["xlsx"]),
        reverse("umkm:naik_kelas") + "?tahun=2019&kecamatan=33.03.01",
    ]
    before = [count(u) for u in urls]
    for i in range(12):
        business_make(
            owner=owner_make(nik=make_nik(9000 + i)), years={2018: (10 * JT, 100 * JT), 2019: (60 * JT, 400 * JT)}
        )
    assert [count(u) for u in urls] == before


def test_export_is_safe_against_formula_injection(client, operator):
    business_make(name='=HYPERLINK("http://x")', sector="+tambah", years={2019: (10 * JT, 100 * JT)})
    business_make(name="@SUM(A1)", sector="-kurang", years={2019: (10 * JT, 100 * JT)})
    client.force_login(operator)
    response = client.get(reverse("umkm:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["NIB", "Nama usaha", "Pemilik"]
    cells = {(r[1], r[5]) for r in rows[1:]}
    assert cells == {('\'=HYPERLINK("http://x")', "'+tambah"), ("'@SUM(A1)", "'-kurang")}
    assert all(r[3].startswith("3303**********") for r in rows[1:])
    assert AuditEntry.objects.filter(action="umkm.export").count() == 1

    response = client.get(reverse("umkm:export", args=["xlsx"]))
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert sorted(v[1] for v in values[1:]) == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert {v[14] for v in values[1:]} == {100 * JT}  # numbers stay numbers


def test_naik_kelas_page_counts_and_lists_the_businesses(client, operator, purbalingga_business):
    business_make(name="Tetap Mikro", years={2018: (10 * JT, 100 * JT), 2019: (10 * JT, 100 * JT)})
    business_make(
        name="Lompat", village="33.03.05.1001", years={2018: (10 * JT, 100 * JT), 2019: (600 * JT, 3_000 * JT)}
    )
    client.force_login(operator)
    response = client.get(reverse("umkm:naik_kelas"), {"tahun": "2019"})
    rows = response.context["rows"]
    assert [(r["name"], r["cells"], r["total"]) for r in rows] == [
        ("Kemangkon", [("mikro_kecil", 1), ("kecil_menengah", 0), ("menengah_besar", 0), ("mikro_menengah", 0)], 1),
        ("Purbalingga", [("mikro_kecil", 0), ("kecil_menengah", 0), ("menengah_besar", 0), ("mikro_menengah", 1)], 1),
    ]
    response = client.get(
        reverse("umkm:naik_kelas"), {"tahun": "2019", "kecamatan": "33.03.01", "jenis": "mikro_kecil"}
    )
    assert [r.business.name for r in response.context["listed"]] == ["Gula Semut Sri"]


def test_naik_kelas_page_refuses_buyers(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("umkm:naik_kelas")).status_code == 403


def test_dashboard_card_and_navigation(client, operator, purbalingga_business):
    client.force_login(operator)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert "UMKM terdaftar" in html
    assert reverse("umkm:list") in html
    assert Business.objects.count() == 1
