"""Pages: access per role and region, the report review flow, exports (formula-safe, constant queries)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from apps.audit.models import AuditEntry
from apps.koperasi.models import Assessment, Keanggotaan, LaporanTahunan, ReportStatus
from apps.koperasi.services import assessments_recompute
from apps.koperasi.tests.factories import GOOD_FIGURES, make_koperasi, make_laporan

pytestmark = pytest.mark.django_db


@pytest.fixture
def koperasi():
    return make_koperasi(nama="KSP Sido Makmur", nomor="BH-777")


@pytest.fixture
def pengurus(make_user, koperasi):
    user = make_user("pengurus1", role="pengurus_koperasi")
    Keanggotaan.objects.create(user=user, koperasi=koperasi)
    return user


@pytest.fixture
def other_pengurus(make_user):
    user = make_user("pengurus2", role="pengurus_koperasi")
    Keanggotaan.objects.create(user=user, koperasi=make_koperasi())
    return user


@pytest.fixture
def assessed(koperasi):
    lap = make_laporan(koperasi, 2019, date(2020, 2, 1), figures=GOOD_FIGURES, skor_manajemen=Decimal(12))
    assessments_recompute(laporan_list=[lap], actor=None)
    return lap


def who(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


# (user fixture, expected status) for a page of one cooperative of 33.03
ACCESS = [
    ("anonymous", 302),
    ("buyer", 403),
    ("other_operator", 404),
    ("other_pengurus", 404),
    ("operator", 200),
    ("head", 200),
    ("pengurus", 200),
]


@pytest.mark.parametrize("user,status", ACCESS)
@pytest.mark.parametrize("page", ["detail", "assessment", "laporan"])
def test_access_to_a_cooperatives_pages(client, request, koperasi, assessed, user, status, page):
    u = who(request, user)
    if u:
        client.force_login(u)
    pk = {
        "detail": koperasi.pk,
        "assessment": Assessment.objects.get().pk,
        "laporan": assessed.pk,
    }[page]
    response = client.get(reverse(f"koperasi:{page}", args=[pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    "user,status", [("anonymous", 302), ("buyer", 403), ("pengurus", 403), ("other_operator", 200), ("operator", 200)]
)
def test_registry_list_is_scoped_to_the_officers_regions(client, request, koperasi, user, status):
    make_koperasi(nama="KSP Banyumas", regency="33.02", district=None, village=None)
    u = who(request, user)
    if u:
        client.force_login(u)
    response = client.get(reverse("koperasi:list"))
    assert response.status_code == status
    if status == 200:
        names = [k.nama for k in response.context["page"]]
        assert names == (["KSP Banyumas"] if user == "other_operator" else ["KSP Sido Makmur"])


def _report_post(**extra):
    data = {"tahun_buku": "2019", "tanggal_rat": "2020-02-20", "jumlah_anggota": "310"}
    data.update({k: str(v) for k, v in GOOD_FIGURES.items()})
    # 12 of 15 questions answered "ya": skor_manajemen 12
    for group in ("umum", "kelembagaan", "permodalan", "aktiva"):
        for i in (1, 2, 3):
            data[f"q_{group}_{i}"] = "on"
    data.update(extra)
    return data


def test_officer_submits_operator_returns_then_accepts(client, koperasi, pengurus, operator):
    client.force_login(pengurus)
    response = client.post(reverse("koperasi:submit", args=[koperasi.pk]), _report_post())
    assert response.status_code == 302
    lap = LaporanTahunan.objects.get(koperasi=koperasi, tahun_buku=2019)
    assert (lap.status, lap.skor_manajemen, lap.sumber, lap.jumlah_anggota) == ("diajukan", Decimal(12), "daring", 310)

    client.force_login(operator)
    response = client.post(reverse("koperasi:laporan", args=[lap.pk]), {"keputusan": "kembalikan", "catatan": ""})
    assert response.status_code == 200  # a return needs notes
    response = client.post(
        reverse("koperasi:laporan", args=[lap.pk]), {"keputusan": "kembalikan", "catatan": "Lampirkan neraca."}
    )
    assert response.status_code == 302
    lap.refresh_from_db()
    assert (lap.status, lap.catatan_review) == ("dikembalikan", "Lampirkan neraca.")

    client.force_login(pengurus)
    response = client.post(reverse("koperasi:submit", args=[koperasi.pk]), _report_post(jumlah_anggota="312"))
    assert response.status_code == 302
    lap.refresh_from_db()
    assert (lap.status, lap.jumlah_anggota) == ("diajukan", 312)

    client.force_login(operator)
    response = client.post(reverse("koperasi:laporan", args=[lap.pk]), {"keputusan": "terima", "catatan": ""})
    a = Assessment.objects.get(koperasi=koperasi, tahun_buku=2019)
    assert response.url == reverse("koperasi:assessment", args=[a.pk])
    assert (a.total_tampil, a.predikat_label, a.versi) == ("76.58", "Cukup Sehat", "perdep-06-2016")
    assert [r.status for r in lap.riwayat.all()] == ["diajukan", "dikembalikan", "diajukan", "diterima"]
    assert list(
        AuditEntry.objects.filter(action__startswith="koperasi.laporan").order_by("pk").values_list("action", flat=True)
    ) == [
        "koperasi.laporan_submit",
        "koperasi.laporan_return",
        "koperasi.laporan_submit",
        "koperasi.laporan_accept",
    ]
    page = client.get(reverse("koperasi:assessment", args=[a.pk])).content.decode()
    assert "Cukup Sehat" in page and "perdep-06-2016" in page and "66,67%" in page

    # an accepted report cannot be resubmitted
    client.force_login(pengurus)
    response = client.post(reverse("koperasi:submit", args=[koperasi.pk]), _report_post())
    assert "sudah diterima dinas" in response.content.decode()


@pytest.mark.parametrize(
    "user,status", [("other_operator", 404), ("pengurus", 404), ("buyer", 403), ("anonymous", 302)]
)
def test_refused_review_changes_nothing(client, request, koperasi, user, status):
    lap = make_laporan(koperasi, 2019, date(2020, 2, 1), status=ReportStatus.DIAJUKAN)
    u = who(request, user)
    if u:
        client.force_login(u)
    response = client.post(reverse("koperasi:laporan", args=[lap.pk]), {"keputusan": "terima"})
    assert response.status_code == status
    lap.refresh_from_db()
    assert lap.status == "diajukan"
    assert not Assessment.objects.exists()


def test_officer_cannot_submit_for_another_cooperative(client, other_pengurus, koperasi):
    client.force_login(other_pengurus)
    response = client.post(reverse("koperasi:submit", args=[koperasi.pk]), _report_post())
    assert response.status_code == 404
    assert not LaporanTahunan.objects.exists()


def test_csv_export_is_formula_safe(client, operator):
    make_koperasi(nama='=HYPERLINK("http://x")', nomor="+BH-1")
    make_koperasi(nama="Koperasi Biasa", nomor="BH-2")
    client.force_login(operator)
    response = client.get(reverse("koperasi:list"), {"format": "csv", "as_of": "2020-03-09"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["nomor_badan_hukum", "nama", "jenis"]
    assert [r[:2] for r in rows[1:]] == [["'+BH-1", '\'=HYPERLINK("http://x")'], ["BH-2", "Koperasi Biasa"]]


def test_xlsx_export_has_the_same_rows(client, operator, assessed):
    client.force_login(operator)
    response = client.get(reverse("koperasi:list"), {"format": "xlsx", "as_of": "2020-03-09", "tahun": "2019"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-2:] == ("skor_2019", "predikat_2019")
    assert rows[1][1] == "KSP Sido Makmur"
    assert rows[1][-4:] == ("Aktif", rows[1][-3], 76.58, "Cukup Sehat")


@pytest.mark.parametrize("fmt", ["", "csv", "xlsx"])
def test_list_and_exports_use_constant_queries(client, operator, fmt):
    client.force_login(operator)
    url = reverse("koperasi:list")
    params = {"format": fmt} if fmt else {}

    def add(n):
        for _ in range(n):
            k = make_koperasi()
            lap = make_laporan(k, 2019, date(2020, 2, 1), figures=GOOD_FIGURES, skor_manajemen=Decimal(10))
            assessments_recompute(laporan_list=[lap], actor=None)

    def count():
        with CaptureQueriesContext(connection) as c:
            assert client.get(url, params).status_code == 200
        return len(c)

    add(2)
    count()  # warm caches (session, content types)
    before = count()
    add(6)
    assert count() == before


def test_review_queue_and_dashboard_card(client, operator, koperasi):
    make_laporan(koperasi, 2019, date(2020, 2, 1), status=ReportStatus.DIAJUKAN)
    client.force_login(operator)
    page = client.get(reverse("koperasi:review_list"))
    assert [lap.koperasi.nama for lap in page.context["page"]] == ["KSP Sido Makmur"]
    cards = client.get(reverse("core:dashboard")).context["cards"]
    assert {c["title"]: c["value"] for c in cards}["Laporan koperasi menunggu tinjauan"] == 1


def test_web_upload_imports_only_the_uploaders_regions(client, operator, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.imports.models import ImportRun
    from apps.jobs.services import job_run_pending
    from apps.koperasi.models import Koperasi

    settings.MEDIA_ROOT = tmp_path
    content = (
        b"nomor_badan_hukum,nama,jenis,tanggal_badan_hukum,kode_wilayah,alamat,tanggal_pembubaran\n"
        b"BH-1,KSP Purbalingga,KSP,2010-01-01,33.03.01.2001,,\n"
        b"BH-2,KSP Banyumas,KSP,2010-01-01,33.02.01.2001,,\n"
    )
    client.force_login(operator)
    response = client.post(
        reverse("imports:upload", args=["koperasi"]), {"file": SimpleUploadedFile("koperasi.csv", content)}
    )
    assert response.status_code == 302
    job_run_pending()
    assert list(Koperasi.objects.values_list("nomor_badan_hukum", flat=True)) == ["BH-1"]
    assert (
        ImportRun.objects.get(kind="koperasi").summary == "rows: 2, created: 1, updated: 0, unchanged: 0, rejected: 1"
    )


@pytest.mark.parametrize(
    "name,args,allowed",
    [
        ("koperasi:review_list", [], {"operator", "head"}),
        ("koperasi:pembubaran_list", [], {"operator", "head"}),
        ("koperasi:my_reports", [], {"pengurus"}),
    ],
)
@pytest.mark.parametrize("user", ["anonymous", "buyer", "other_operator", "pengurus", "operator", "head"])
def test_access_to_lists(client, request, koperasi, name, args, allowed, user):
    u = who(request, user)
    if u:
        client.force_login(u)
    response = client.get(reverse(name, args=args))
    expected = 200 if user in allowed or (user == "other_operator" and "pengurus" not in allowed) else 403
    if user == "anonymous":
        expected = 302
    assert response.status_code == expected


def test_other_regency_operator_sees_an_empty_review_queue(client, other_operator, koperasi):
    make_laporan(koperasi, 2019, date(2020, 2, 1), status=ReportStatus.DIAJUKAN)
    client.force_login(other_operator)
    assert list(client.get(reverse("koperasi:review_list")).context["page"]) == []


@pytest.mark.parametrize("user,status", [("other_operator", 404), ("pengurus", 403), ("operator", 302)])
def test_recompute_is_staff_only_and_scoped(client, request, assessed, user, status):
    Assessment.objects.all().delete()
    client.force_login(request.getfixturevalue(user))
    response = client.post(reverse("koperasi:recompute", args=[assessed.pk]))
    assert response.status_code == status
    assert Assessment.objects.exists() == (user == "operator")


@pytest.mark.parametrize("name", ["koperasi:review_list", "koperasi:pembubaran_list"])
def test_review_and_dissolution_lists_use_constant_queries(client, operator, name):
    client.force_login(operator)

    def add(n):
        for _ in range(n):
            k = make_koperasi(tanggal_badan_hukum=date(2000, 1, 1))
            make_laporan(k, 2024, None, status=ReportStatus.DIAJUKAN)

    def count():
        with CaptureQueriesContext(connection) as c:
            assert client.get(reverse(name)).status_code == 200
        return len(c)

    add(2)
    count()
    before = count()
    add(5)
    assert count() == before


def test_cooperative_page_shows_why_it_is_a_dissolution_candidate(client, operator):
    k = make_koperasi(tanggal_badan_hukum=date(2000, 1, 1))
    client.force_login(operator)
    html = client.get(reverse("koperasi:detail", args=[k.pk])).content.decode()
    assert "Tidak mengadakan RAT 3 tahun berturut-turut (RAT terakhir: belum pernah)" in html


def test_registry_opens_on_the_latest_assessed_book_year(client, operator, koperasi, assessed):
    client.force_login(operator)
    response = client.get(reverse("koperasi:list"))
    assert response.context["values"]["year"] == 2019  # not the calendar year's unassessed book
    assert 'name="tahun" value="2019"' in response.content.decode()
    chosen = client.get(reverse("koperasi:list"), {"tahun": "2018"})
    assert chosen.context["values"]["year"] == 2018


def test_registry_without_assessments_keeps_last_year(client, operator, koperasi):
    from django.utils import timezone

    client.force_login(operator)
    response = client.get(reverse("koperasi:list"))
    assert response.context["values"]["year"] == timezone.localdate().year - 1
