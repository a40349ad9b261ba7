"""Programme pages: access by role and region, the owner's phone flow, scanner check-in, certificates."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.program import services
from apps.program.models import Kind, Participant, Programme, Session
from apps.store.tests.factories import make_seller
from apps.umkm.tests.factories import business_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    start = timezone.localdate() + timedelta(days=10)
    p = Programme.objects.create(
        regency_id="33.03",
        code="PLT-2026-001",
        kind=Kind.TRAINING,
        title="Pelatihan Foto Produk",
        start_date=start,
        end_date=start + timedelta(days=1),
        quota=1,
        place="Aula Dinas",
    )
    Session.objects.create(programme=p, number=1, date=start)
    Session.objects.create(programme=p, number=2, date=start + timedelta(days=1))
    return p


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("buyer", 403), ("seller", 403), ("other_operator", 404), ("operator", 200), ("head", 200)],
)
def test_detail_access(client, programme, make_user, who, expected, request):
    if who == "seller":
        client.force_login(make_user("penjual-x", role="mitra_umkm"))
    elif who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("program:detail", args=[programme.pk])).status_code == expected


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("buyer", 403), ("other_operator", 404)])
def test_refused_registration_changes_nothing(client, programme, make_user, who, expected, request):
    business = business_make(name="Usaha Uji")
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("program:participant_add", args=[programme.pk]), {"business": business.pk})
    assert response.status_code == expected
    assert not Participant.objects.exists()


def test_calendar_groups_by_kecamatan_and_counts(client, operator, programme):
    programme.district_id = "33.03.01"
    programme.save()
    Programme.objects.create(
        regency_id="33.02",
        code="X",
        kind=Kind.FESTIVAL,
        title="Festival Banyumas",
        start_date=programme.start_date,
        end_date=programme.start_date,
    )
    client.force_login(operator)
    html = client.get(reverse("program:calendar"), {"tahun": programme.year}).content.decode()
    assert "Pelatihan Foto Produk" in html
    assert "Festival Banyumas" not in html
    assert "Kecamatan Kemangkon" in html


def test_operator_creates_a_training_with_rupiah_budget(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("program:create"),
        {
            "kind": "pelatihan",
            "title": "Pelatihan Kemasan",
            "start_date": "2026-05-04",
            "end_date": "2026-05-06",
            "budget": "15.000.000",
            "quota": "20",
            "min_attendance_percent": "75",
            "pass_mark": "70",
            "offer_hours": "48",
            "district": "33.03.02",
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert (programme.budget, programme.quota, programme.year, programme.code) == (15_000_000, 20, 2026, "PLT-2026-001")
    assert [s.date for s in programme.sessions.all()] == [date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6)]


def test_owner_registers_is_waitlisted_confirms_and_verifies_certificate(client, make_user, operator, programme):
    first = business_make(name="Sudah Duluan")
    services.participant_register(programme=programme, business=first, actor=operator)
    owner = make_user("bu-sri", role="mitra_umkm")
    seller = make_seller(shop_name="Rajut Bu Sri", owner=owner)
    client.force_login(owner)
    page = client.get(reverse("program:my_trainings")).content.decode()
    assert "Pelatihan Foto Produk" in page and "Kuota penuh" in page
    client.post(reverse("program:my_register", args=[programme.pk]), {"business": seller.business.pk})
    mine = Participant.objects.get(business=seller.business)
    assert mine.status == "daftar_tunggu"
    assert "urutan ke-1" in client.get(reverse("program:my_trainings")).content.decode()
    # the operator cancels the first participant: the seat is offered to Bu Sri
    services.participant_cancel(participant=Participant.objects.get(business=first), actor=operator)
    client.post(reverse("program:my_confirm", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.status == "terdaftar"
    ticket = client.get(reverse("program:my_ticket", args=[mine.pk]))
    assert ticket.status_code == 200 and b"<svg" in ticket.content
    # the officer scans the QR code at both sessions
    client.force_login(operator)
    for session in programme.sessions.all():
        assert client.get(reverse("program:scanner", args=[session.pk])).status_code == 200
        answer = client.post(
            reverse("program:checkin", args=[session.pk]),
            json.dumps({"kode": mine.checkin_token}),
            content_type="application/json",
        ).json()
        assert answer["ok"] is True and answer["jumlah"] == 1
    bad = client.post(
        reverse("program:checkin", args=[session.pk]), json.dumps({"kode": "x"}), content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["pesan"] == "Kode QR tidak dikenal untuk kegiatan ini."
    client.post(reverse("program:scores", args=[programme.pk]), {f"pre_{mine.pk}": "50", f"post_{mine.pk}": "80"})
    client.post(reverse("program:evaluate", args=[programme.pk]))
    mine.refresh_from_db()
    assert mine.status == "lulus" and mine.certificate_code
    # the owner downloads the certificate; the public page verifies its code and shows nothing else personal
    client.force_login(owner)
    pdf = client.get(reverse("program:my_certificate", args=[mine.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    html = client.get(reverse("program:verify", args=[mine.certificate_code])).content.decode()
    assert "Sertifikat sah." in html
    assert seller.business.owner.name in html and "Pelatihan Foto Produk" in html
    assert seller.business.owner.nik_masked not in html and seller.business.name not in html
    unknown = client.get(reverse("program:verify_form"), {"kode": "AAAAA-BBBBB"}).content.decode()
    assert "Kode tidak dikenal" in unknown


def test_owner_cannot_open_another_owners_registration(client, make_user, programme, operator):
    owner = make_user("a", role="mitra_umkm")
    make_seller(owner=owner)
    other = make_seller()
    p = services.participant_register(programme=programme, business=other.business, actor=operator)
    client.force_login(owner)
    assert client.get(reverse("program:my_ticket", args=[p.pk])).status_code == 404
    assert client.post(reverse("program:my_cancel", args=[p.pk])).status_code == 404
    p.refresh_from_db()
    assert p.status == "terdaftar"


def test_manual_attendance_list(client, operator, programme):
    business = business_make(name="Hadir Manual")
    p = services.participant_register(programme=programme, business=business, actor=operator)
    session = programme.sessions.first()
    client.force_login(operator)
    assert client.get(reverse("program:attendance", args=[session.pk])).status_code == 200
    client.post(reverse("program:attendance", args=[session.pk]), {"hadir": [str(p.pk)]})
    assert session.attendances.count() == 1
    client.post(reverse("program:attendance", args=[session.pk]), {})
    assert session.attendances.count() == 0


def test_records_drill_down_lists_the_businesses_behind_a_figure(client, operator, programme):
    b = business_make(name="Lulusan Satu")
    Participant.objects.create(programme=programme, business=b, status="lulus", registered_at=timezone.now())
    client.force_login(operator)
    html = client.get(
        reverse("program:records"),
        {"jenis": "pelatihan", "angka": "lulus", "tahun": programme.year, "per": f"{programme.year}-12-31"},
    ).content.decode()
    assert "Lulusan Satu" in html
