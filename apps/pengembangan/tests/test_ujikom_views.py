"""Competency-test pages: access per role and region, the officer's registration, the assessor's scoring
page, the result explained, the certificate PDF, the public verification, renewals and coverage."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.koperasi.models import Keanggotaan
from apps.koperasi.tests.factories import make_koperasi, make_laporan
from apps.pengembangan.models import Manager, Participant, Result, Score
from apps.pengembangan.services import ujikom as svc
from apps.pengembangan.tests.factories import NIK_B, criteria_by_code, make_manager, make_session

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
def asesor(make_user):
    return make_user("asesor1", role="asesor")


@pytest.fixture
def other_asesor(make_user):
    return make_user("asesor2", role="asesor")


@pytest.fixture
def session(asesor):
    return make_session(assessors=(asesor,), tanggal=date(2026, 3, 10))


def who(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


def login(client, user):
    if user is not None:
        client.force_login(user)


MANAGERS_PAGE = [
    ("anonymous", 302),
    ("buyer", 403),
    ("other_operator", 404),
    ("other_pengurus", 404),
    ("operator", 200),
    ("pengurus", 200),
]


@pytest.mark.parametrize(("name", "status"), MANAGERS_PAGE)
def test_officer_registers_manager_access(client, request, koperasi, name, status):
    login(client, who(request, name))
    url = reverse("pengembangan:pengelola", args=[koperasi.pk])
    data = {"aksi": "daftar", "m-nama": "Sri Lestari", "m-nik": NIK_B, "m-jabatan": "manajer", "m-no_hp": ""}
    response = client.post(url, data)
    assert response.status_code == (302 if status == 200 else status)
    assert Manager.objects.count() == (1 if status == 200 else 0)


def test_officer_enrols_manager_and_sees_quota(client, pengurus, koperasi, session):
    manager = make_manager(koperasi, nama="Budi")
    client.force_login(pengurus)
    url = reverse("pengembangan:pengelola", args=[koperasi.pk])
    response = client.post(url, {"aksi": "ikut", "e-manager": manager.pk, "e-session": session.pk}, follow=True)
    assert "Budi didaftarkan ke" in response.content.decode()
    assert Participant.objects.get().manager == manager
    page = client.get(reverse("pengembangan:sesi_detail", args=[session.pk])).content.decode()
    assert 'data-testid="kuota">1 / 10<' in page


def test_bad_nik_shows_reason_on_the_form(client, pengurus, koperasi):
    client.force_login(pengurus)
    url = reverse("pengembangan:pengelola", args=[koperasi.pk])
    data = {"aksi": "daftar", "m-nama": "Sri", "m-nik": "3303014513900001", "m-jabatan": "ketua"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "tanggal lahir dalam NIK tidak valid" in response.content.decode()
    assert not Manager.objects.exists()


SCORING_PAGE = [
    ("anonymous", 302),
    ("pengurus", 403),
    ("other_asesor", 404),
    ("other_operator", 404),
    ("asesor", 200),
    ("operator", 200),
]


@pytest.mark.parametrize(("name", "status"), SCORING_PAGE)
def test_scoring_page_access(client, request, koperasi, operator, session, name, status):
    p = svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)
    crit = criteria_by_code(session.scheme)
    login(client, who(request, name))
    url = reverse("pengembangan:peserta_nilai", args=[p.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {f"k{crit['U1.1'].pk}": "80"})
    assert response.status_code == (302 if status == 200 else status)
    assert Score.objects.count() == (1 if status == 200 else 0)


def test_scoring_page_decides_and_result_explains(client, koperasi, operator, session, asesor):
    p = svc.participant_register(session=session, manager=make_manager(koperasi, nama="Siti"), actor=operator)
    crit = criteria_by_code(session.scheme)
    client.force_login(asesor)
    url = reverse("pengembangan:peserta_nilai", args=[p.pk])
    data = {f"k{crit['U1.1'].pk}": "69,99", f"k{crit['U1.2'].pk}": "7", f"k{crit['U2.1'].pk}": "70", "tetapkan": "1"}
    response = client.post(url, data)
    assert response.status_code == 200  # "69,99" is not a number for the form field: shown, nothing saved
    assert not Score.objects.exists()
    data[f"k{crit['U1.1'].pk}"] = "69.99"
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert 'data-testid="hasil">Belum kompeten<' in page
    assert 'data-testid="total">69,996 ' in page  # 70,00 when rounded: the page shows the decimal that decides
    assert 'data-testid="ulang">U1<' in page
    assert Result.objects.get().kompeten is False


def test_certificate_pdf_and_public_verification(client, koperasi, operator, session, asesor):
    p = svc.participant_register(session=session, manager=make_manager(koperasi, nama="Siti Aminah"), actor=operator)
    crit = criteria_by_code(session.scheme)
    svc.scores_save(
        participant=p, values={c.pk: "90" if c.maksimum == 100 else "9" for c in crit.values()}, actor=asesor
    )
    result = svc.result_decide(participant=p, actor=asesor)
    client.force_login(operator)
    pdf = client.get(reverse("pengembangan:sertifikat_pdf", args=[result.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    code = result.certificate.kode_verifikasi
    page = client.get(reverse("pengembangan:verifikasi", args=[code])).content.decode()
    assert "Sertifikat asli dan masih berlaku" in page and "Siti Aminah" in page and "KSP Sido Makmur" in page
    assert "3303" not in page  # no NIK, not even masked
    assert client.get(reverse("pengembangan:verifikasi", args=["TIDAKADA"])).status_code == 404


def test_pdf_contains_verification_url(client, koperasi, operator, session, asesor):
    import io

    from pypdf import PdfReader

    p = svc.participant_register(session=session, manager=make_manager(koperasi, nama="Siti Aminah"), actor=operator)
    crit = criteria_by_code(session.scheme)
    svc.scores_save(
        participant=p, values={c.pk: "90" if c.maksimum == 100 else "9" for c in crit.values()}, actor=asesor
    )
    result = svc.result_decide(participant=p, actor=asesor)
    client.force_login(operator)
    pdf = client.get(reverse("pengembangan:sertifikat_pdf", args=[result.pk])).content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Siti Aminah" in text and result.certificate.nomor in text
    assert f"/pengembangan/verifikasi/sertifikat/{result.certificate.kode_verifikasi}/" in text


def test_koperasi_page_shows_certified_managers(client, koperasi, operator):
    today = timezone.localdate()
    m1 = make_manager(koperasi, nama="Ani Valid")
    m2 = make_manager(koperasi, nama="Budi Habis")
    m3 = make_manager(koperasi, nama="Cici Belum")
    Result.objects.create(
        manager=m1,
        tanggal_uji=today - timedelta(days=30),
        jabatan="ketua",
        kompeten=True,
        sumber="impor",
        berlaku_sampai=today + timedelta(days=1000),
    )
    Result.objects.create(
        manager=m2,
        tanggal_uji=today - timedelta(days=1200),
        jabatan="manajer",
        kompeten=True,
        sumber="impor",
        berlaku_sampai=today - timedelta(days=5),
    )
    Result.objects.create(
        manager=m3, tanggal_uji=today - timedelta(days=30), jabatan="ketua", kompeten=False, sumber="impor"
    )
    client.force_login(operator)
    page = client.get(reverse("koperasi:detail", args=[koperasi.pk])).content.decode()
    table = page[page.index('data-testid="bersertifikat"') :]
    table = table[: table.index("</table>")]
    assert "Ani Valid" in table and "Budi Habis" in table and "kedaluwarsa" in table and "Cici Belum" not in table


def test_nik_reveal_is_audited_and_staff_only(client, koperasi, operator, pengurus):
    m = make_manager(koperasi, nik_value=NIK_B)
    url = reverse("pengembangan:pengelola_detail", args=[m.pk])
    client.force_login(pengurus)
    assert client.post(url, {"aksi": "nik"}).status_code == 404
    client.force_login(operator)
    page = client.post(url, {"aksi": "nik"}).content.decode()
    assert f'data-testid="nik">{NIK_B}<' in page
    assert AuditEntry.objects.filter(action="nik.reveal", record_id=str(m.pk)).count() == 1


def test_renewals_and_coverage(client, operator):
    today = timezone.localdate()
    k1 = make_koperasi(nama="KSP Satu", jenis="KSP", district="33.03.01")
    k2 = make_koperasi(nama="Kop Produsen Dua", jenis="produsen", district="33.03.02", village="33.03.02.2001")
    for k in (k1, k2):
        make_laporan(k, today.year - 1, today - timedelta(days=60))
    soon = make_manager(k1, nama="Segera Habis")
    Result.objects.create(
        manager=soon,
        tanggal_uji=today - timedelta(days=1000),
        jabatan="ketua",
        kompeten=True,
        sumber="impor",
        berlaku_sampai=today + timedelta(days=30),
    )
    renewed = make_manager(k2, nama="Sudah Diperpanjang")
    Result.objects.create(
        manager=renewed,
        tanggal_uji=today - timedelta(days=1100),
        jabatan="ketua",
        kompeten=True,
        sumber="impor",
        berlaku_sampai=today + timedelta(days=10),
    )
    Result.objects.create(
        manager=renewed,
        tanggal_uji=today - timedelta(days=10),
        jabatan="ketua",
        kompeten=True,
        sumber="impor",
        berlaku_sampai=today + timedelta(days=1000),
    )
    client.force_login(operator)
    page = client.get(reverse("pengembangan:perpanjangan")).content.decode()
    assert "Segera Habis" in page and "Sudah Diperpanjang" not in page
    response = client.get(reverse("pengembangan:cakupan"))
    rows = [
        (r.label, r.koperasi, r.koperasi_bersertifikat, r.pengelola_bersertifikat)
        for r in response.context["by_district"]
    ]
    assert rows == [("Bukateja", 1, 1, 1), ("Kemangkon", 1, 1, 1)]
    rows = [(r.label, r.koperasi, r.koperasi_bersertifikat, r.persen) for r in response.context["by_jenis"]]
    assert rows == [("Koperasi Simpan Pinjam (KSP)", 1, 1, 100), ("Koperasi produsen", 1, 1, 100)]
    later = today + timedelta(days=31)  # the first certificate has expired by then
    response = client.get(reverse("pengembangan:cakupan"), {"tanggal": later.isoformat()})
    rows = [(r.label, r.koperasi, r.koperasi_bersertifikat) for r in response.context["by_district"]]
    assert rows == [("Bukateja", 1, 1), ("Kemangkon", 1, 0)]


def test_session_list_queries_constant(client, operator, koperasi):
    client.force_login(operator)
    url = reverse("pengembangan:sesi_list")
    make_session()
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for _ in range(3):
        s = make_session()
        svc.participant_register(session=s, manager=make_manager(koperasi), actor=operator)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_assessor_result_page_links_back_to_the_session_not_the_managers_page(
    client, koperasi, operator, session, asesor
):
    p = svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)
    crit = criteria_by_code(session.scheme)
    svc.scores_save(
        participant=p, values={c.pk: "90" if c.maksimum == 100 else "9" for c in crit.values()}, actor=asesor
    )
    result = svc.result_decide(participant=p, actor=asesor)
    client.force_login(asesor)
    page = client.get(reverse("pengembangan:hasil_detail", args=[result.pk])).content.decode()
    assert reverse("pengembangan:sesi_detail", args=[session.pk]) in page
    assert reverse("pengembangan:pengelola", args=[koperasi.pk]) not in page
