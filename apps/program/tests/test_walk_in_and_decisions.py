"""The operator's gaps closed (SPEC §10): a walk-in registered at the door of a training session (from the
registry or entered as new), booth holders checked in by QR at a festival, and the applicants mailed the
decision (a seat or the waiting list with its place, accepted, rejected with the reason)."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.core.formatting import WIB
from apps.program import festival, packaging, services
from apps.program.models import Kind, Participant, Programme, Session
from apps.program.notifications import decision_message
from apps.store.tests.factories import make_category, make_seller
from apps.umkm.models import Business
from apps.umkm.tests.factories import business_make, make_nik, owner_make

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=WIB)


def training(quota=2, **extra):
    p = Programme.objects.create(
        regency_id="33.03",
        code="PLT-W",
        kind=Kind.TRAINING,
        title="Pelatihan Foto Produk",
        start_date=date(2026, 3, 10),
        end_date=date(2026, 3, 11),
        place="Aula Dinas",
        quota=quota,
        registration_closes=T0,  # closed: a walk-in is the operator's, not the window's
        **extra,
    )
    session = Session.objects.create(programme=p, number=1, date=date(2026, 3, 10))
    return p, session


def statuses(programme):
    return dict(Participant.objects.filter(programme=programme).values_list("business__name", "status").order_by("pk"))


# -- walk-in -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("quota", "before", "over_quota", "expected", "above"),
    [
        # a free seat: seated and present
        (2, {"A": "terdaftar"}, False, {"A": "terdaftar", "W": "hadir"}, False),
        # full, someone waiting: refused unless the operator admits above the quota
        (1, {"A": "terdaftar", "B": "daftar_tunggu"}, False, None, None),
        (
            1,
            {"A": "terdaftar", "B": "daftar_tunggu"},
            True,
            {"A": "terdaftar", "B": "daftar_tunggu", "W": "hadir"},
            True,
        ),
        # no quota at all
        (None, {"A": "terdaftar"}, False, {"A": "terdaftar", "W": "hadir"}, False),
        # already seated: only marked present
        (1, {"W": "terdaftar"}, False, {"W": "hadir"}, None),
        # on the waiting list and turns up with the room full: needs the operator's say-so
        (1, {"A": "terdaftar", "W": "daftar_tunggu"}, False, None, None),
        # cancelled earlier, comes anyway, a seat is free
        (2, {"W": "batal"}, False, {"W": "hadir"}, False),
    ],
    ids=["free-seat", "full-refused", "full-over-quota", "no-quota", "seated", "waiting-full", "cancelled-again"],
)
def test_walk_in_table(operator, quota, before, over_quota, expected, above):
    p, session = training(quota=quota)
    businesses = {name: business_make(name=name) for name in ("A", "B", "W")}
    for i, (name, status) in enumerate(before.items()):
        Participant.objects.create(
            programme=p, business=businesses[name], status=status, registered_at=T0 + timedelta(minutes=i)
        )
    if expected is None:
        with pytest.raises(ValidationError, match="sudah penuh"):
            services.participant_walk_in(
                session=session, business=businesses["W"], actor=operator, over_quota=over_quota, now=T0
            )
        assert statuses(p) == before
        assert not session.attendances.exists()
        return
    participant, seated = services.participant_walk_in(
        session=session, business=businesses["W"], actor=operator, over_quota=over_quota, now=T0
    )
    assert statuses(p) == expected
    assert list(session.attendances.values_list("participant__business__name", flat=True)) == ["W"]
    assert seated is (above is not None)
    entries = AuditEntry.objects.filter(action="program.peserta_daftar_di_tempat")
    if above is None:
        assert not entries.exists()
    else:
        (entry,) = entries
        assert entry.changes["di_atas_kuota"] == [None, above]
        assert participant.source == "operator" and participant.note == "Daftar di tempat, sesi 1"


def test_walk_in_refuses_what_registration_refuses(operator):
    p, session = training(eligible_districts=["33.03.02"])
    outsider = business_make(name="Luar", village="33.03.01.2001")
    with pytest.raises(ValidationError, match="kecamatan tertentu"):
        services.participant_walk_in(session=session, business=outsider, actor=operator)
    festival_day = Programme.objects.create(
        regency_id="33.03",
        code="F",
        kind=Kind.FESTIVAL,
        title="F",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 1),
    )
    other = Session.objects.create(programme=festival_day, number=1, date=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="hanya untuk pelatihan"):
        services.participant_walk_in(session=other, business=outsider, actor=operator)
    assert not Participant.objects.exists()


def test_operator_registers_a_new_walk_in_from_the_phone_page(client, operator, other_operator):
    p, session = training(quota=1)
    seated = business_make(name="Sudah Duduk")
    Participant.objects.create(programme=p, business=seated, status="terdaftar", registered_at=T0)
    url = reverse("program:walk_in", args=[session.pk])
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(operator)
    page = client.get(url)
    assert page.status_code == 200 and "Kursi kosong: 0" in page.content.decode()
    nik = make_nik(7001, district="330302", female=True)
    new = {
        "baru": "1",
        "baru-owner_nik": nik,
        "baru-owner_name": "Siti Aminah",
        "baru-name": "Tempe  Mendoan Bu Siti",
        "baru-sector": "makanan",
        "baru-village": "33.03.02.2001",
        "baru-nib": "",
    }
    refused = client.post(url, new, follow=True).content.decode()
    assert "sudah penuh" in refused
    # nothing registered, but the business is in the registry now: a retry finds it, not a duplicate
    assert not Participant.objects.filter(business__name="Tempe Mendoan Bu Siti").exists()
    response = client.post(url, {**new, "baru-over_quota": "on"})
    assert response.status_code == 302
    business = Business.objects.get(name="Tempe Mendoan Bu Siti")
    assert (business.district_id, business.owner.gender, business.owner.name) == ("33.03.02", "P", "Siti Aminah")
    assert statuses(p) == {"Sudah Duduk": "terdaftar", "Tempe Mendoan Bu Siti": "hadir"}
    assert Business.objects.filter(name_normalized=business.name_normalized).count() == 1
    # from the registry: search, then one tap
    other = business_make(name="Keripik Pak Darmo", owner=owner_make(name="Darmo", gender="L"))
    found = client.get(url, {"q": "Darmo"}).content.decode()
    assert "Keripik Pak Darmo" in found
    client.post(url, {"business": other.pk, "over_quota": "1"})
    assert statuses(p)["Keripik Pak Darmo"] == "hadir"
    # a bad NIK: a clear message, nothing stored
    bad = client.post(url, {**new, "baru-owner_nik": "1234", "baru-name": "Lain"}, follow=True).content.decode()
    assert "Periksa isian usaha baru" in bad or "16" in bad
    assert not Business.objects.filter(name="Lain").exists()


# -- festival QR check-in ----------------------------------------------------------------------------------
def test_festival_booth_holders_check_in_by_qr(client, operator, other_operator, make_user):
    today = timezone.localdate()
    event = Programme.objects.create(
        regency_id="33.03", code="FST-Q", kind=Kind.FESTIVAL, title="Festival", start_date=today, end_date=today
    )
    festival.booths_generate(programme=event, zones=["A"], rows=1, per_row=2, actor=operator)
    owner = make_user("pemilik-stan", role="mitra_umkm")
    seller = make_seller(shop_name="Batik Bu Rini", owner=owner)
    entry = festival.exhibitor_apply(
        programme=event, seller=seller, category=make_category("Kriya"), actor=owner, source="daring"
    )
    waiting = festival.exhibitor_apply(
        programme=event,
        seller=make_seller(shop_name="Belum Diterima"),
        category=make_category("Kriya"),
        actor=operator,
        source="operator",
    )
    festival.exhibitor_decide(exhibitor=entry, accept=True, actor=operator)
    festival.booths_allocate(programme=event, actor=operator)
    # the owner's phone shows the QR code
    client.force_login(owner)
    ticket = client.get(reverse("program:my_ticket", args=[entry.participant.pk]))
    assert ticket.status_code == 200 and "<svg" in ticket.content.decode()
    assert client.get(reverse("program:my_festivals")).content.decode().count("Kode QR check-in") == 1
    # the officer's scanner posts what it read
    post = reverse("program:festival_checkin_qr", args=[event.pk])
    client.force_login(other_operator)
    assert client.get(reverse("program:festival_scanner", args=[event.pk])).status_code == 404
    client.force_login(operator)
    assert client.get(reverse("program:festival_scanner", args=[event.pk])).status_code == 200
    token = entry.participant.checkin_token
    cases = [
        (
            f"https://tukatuku.example/x/{token}",
            200,
            {"ok": True, "baru": True, "jumlah": 1},
            "Batik Bu Rini hadir di stan A1.1.",
        ),
        (token, 200, {"ok": True, "baru": False, "jumlah": 1}, "Batik Bu Rini sudah check-in (stan A1.1)."),
        ("bukan-kode", 400, {"ok": False}, "Kode QR tidak dikenal untuk pameran ini."),
        (waiting.participant.checkin_token, 400, {"ok": False}, "Hanya peserta yang diterima yang dapat check-in."),
    ]
    for text, status, expected, message in cases:
        response = client.post(post, json.dumps({"kode": text}), content_type="application/json")
        body = response.json()
        assert response.status_code == status, text
        assert {k: body[k] for k in expected} == expected and body["pesan"] == message
    entry.participant.refresh_from_db()
    assert entry.participant.status == "hadir"


# -- decision mail -----------------------------------------------------------------------------------------
def test_training_registration_mails_a_seat_or_the_place_on_the_waiting_list(
    django_capture_on_commit_callbacks, make_user
):
    p, _session = training(quota=1, registration_opens=None)
    p.registration_closes = None
    p.save()
    people = []
    for name in ("A", "B", "C"):
        user = make_user(f"pemilik-{name.lower()}", role="mitra_umkm")
        people.append(make_seller(shop_name=f"Toko {name}", owner=user).business)
    with django_capture_on_commit_callbacks(execute=True):
        for i, business in enumerate(people):
            services.participant_register(programme=p, business=business, actor=None, now=T0 + timedelta(minutes=i))
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["pemilik-a@contoh.id"], "Pendaftaran diterima: Pelatihan Foto Produk"),
        (["pemilik-b@contoh.id"], "Daftar tunggu: Pelatihan Foto Produk"),
        (["pemilik-c@contoh.id"], "Daftar tunggu: Pelatihan Foto Produk"),
    ]
    assert "Anda mendapat kursi di Pelatihan Foto Produk, 10 Maret 2026, Aula Dinas" in mail.outbox[0].body
    assert "daftar tunggu urutan ke-2" in mail.outbox[2].body


def test_packaging_selection_and_festival_decision_mail_the_applicants(
    django_capture_on_commit_callbacks, make_user, head, operator
):
    call = Programme.objects.create(
        regency_id="33.03",
        code="KMS-M",
        kind=Kind.PACKAGING,
        title="Bantuan Kemasan",
        start_date=date(2026, 4, 1),
        end_date=timezone.localdate() + timedelta(days=30),
        quota=1,
    )
    packaging.criteria_set(programme=call, rows=[("Mutu", Decimal("1"))], actor=None)
    (criterion,) = call.criteria.all()
    reviewers = [make_user(f"penilai{i}", role="operator", regions=["33.03"]) for i in (1, 2)]
    applications = {}
    for name, score in (("Dodol", 5), ("Keripik", 3)):
        user = make_user(f"u-{name.lower()}", role="mitra_umkm")
        business = make_seller(shop_name=name, owner=user).business
        from apps.program.tests.test_packaging import photo_upload

        applications[name] = packaging.application_submit(
            programme=call,
            business=business,
            product=None,
            product_name=name,
            need="Pouch",
            quantity=10,
            estimated_cost=100_000,
            photos=[photo_upload()],
            actor=user,
            source="daring",
        )
        for reviewer in reviewers:
            review = packaging.reviewer_assign(application=applications[name], reviewer=reviewer, actor=operator)
            packaging.review_submit(review=review, scores={criterion.pk: score}, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        packaging.selection_decide(programme=call, application_ids=[applications["Dodol"].pk], actor=head)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("u-dodol@contoh.id", "Diterima: Bantuan Kemasan"),
        ("u-keripik@contoh.id", "Hasil seleksi: Bantuan Kemasan"),
    ]
    rejected = next(m for m in mail.outbox if m.to == ["u-keripik@contoh.id"])
    assert "Alasan: usulan Anda di peringkat 2 dari 2; yang dipilih sebatas kuota dan pagu kegiatan." in rejected.body

    mail.outbox.clear()
    today = timezone.localdate()
    event = Programme.objects.create(
        regency_id="33.03", code="FST-M", kind=Kind.FESTIVAL, title="Festival Kuliner", start_date=today, end_date=today
    )
    user = make_user("u-bakso", role="mitra_umkm")
    entry = festival.exhibitor_apply(
        programme=event,
        seller=make_seller(shop_name="Bakso", owner=user),
        category=make_category("Makanan"),
        actor=user,
        source="daring",
    )
    with django_capture_on_commit_callbacks(execute=True):
        festival.exhibitor_decide(exhibitor=entry, accept=False, actor=operator, reason="kuota kategori makanan penuh")
    (message,) = mail.outbox
    assert message.subject == "Hasil seleksi: Festival Kuliner"
    assert "Alasan: kuota kategori makanan penuh." in message.body
    entry.participant.refresh_from_db()
    assert entry.participant.note == "kuota kategori makanan penuh"


def test_decision_messages_by_status():
    p, _session = training()
    b = business_make(name="Usaha X", owner=owner_make(name="Bu X"))
    participant = Participant(programme=p, business=b, registered_at=T0)
    expected = {
        "terdaftar": "Anda mendapat kursi",
        "daftar_tunggu": "daftar tunggu urutan ke-3",
        "diterima": "diterima",
        "ditolak": "Alasan: tidak disebutkan",
        "hadir": "",
        "lulus": "",
        "batal": "",
    }
    for status, fragment in expected.items():
        participant.status = status
        text = decision_message(participant, position=3)
        assert (fragment in text) if fragment else text == "", status
