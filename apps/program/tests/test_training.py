"""Training rules as tables: waiting-list promotion and completion (SPEC §10)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from apps.core.formatting import WIB
from apps.program import services
from apps.program.models import Kind, Participant, Programme, Status
from apps.program.rules import completes, verification_code
from apps.umkm.tests.factories import business_make, owner_make

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)


# -- completion: attendance ≥ 75% of sessions and post-test ≥ the pass mark ---------------------------
@pytest.mark.parametrize(
    ("attended", "sessions", "post_test", "min_percent", "pass_mark", "expected"),
    [
        (3, 4, 70, "75", 70, True),  # exactly 75% and exactly the pass mark
        (3, 4, 69, "75", 70, False),  # one point short
        (2, 4, 100, "75", 70, False),  # 50%
        (2, 3, 90, "75", 70, False),  # 66.67%
        (6, 8, 70, "75", 70, True),  # 75% again
        (5, 8, 95, "75", 70, False),  # 62.5%
        (4, 4, None, "75", 70, False),  # no post-test
        (0, 0, 90, "75", 70, False),  # no sessions: nobody completes
        (3, 4, 70, "75.01", 70, False),  # a setting just above the edge
        (4, 4, 60, "100", 60, True),  # other settings
        (1, 2, 60, "50", 60, True),
    ],
)
def test_completion_rule(attended, sessions, post_test, min_percent, pass_mark, expected):
    assert (
        completes(
            attended=attended,
            sessions=sessions,
            post_test=post_test,
            min_attendance_percent=Decimal(min_percent),
            pass_mark=pass_mark,
        )
        is expected
    )


def training(**extra):
    values = {
        "regency_id": "33.03",
        "code": "PLT-1",
        "kind": Kind.TRAINING,
        "title": "Pelatihan Pemasaran Daring",
        "start_date": date(2026, 3, 10),
        "end_date": date(2026, 3, 13),
        "quota": 2,
        "priority_women": True,
        "offer_hours": 48,
    }
    values.update(extra)
    return Programme.objects.create(**values)


def person(name, gender="L"):
    return business_make(name=name, owner=owner_make(name=f"Pemilik {name}", gender=gender))


def state(programme):
    """{business name: (status, offered?)} for every participant."""
    return {
        p.business.name: (p.status, p.offer_expires_at is not None)
        for p in Participant.objects.filter(programme=programme).select_related("business")
    }


def test_waiting_list_promotion_table():
    """Quota 2. A and B take the seats; C, D (a woman owner: priority) and E wait. A seat is freed twice,
    D confirms in time, C misses the deadline, so C's seat goes on to E."""
    p = training()
    b = {n: person(n, "P" if n == "D" else "L") for n in "ABCDE"}
    for i, n in enumerate("ABCDE"):
        services.participant_register(programme=p, business=b[n], actor=None, now=T0 + timedelta(minutes=i))
    R, W, X = Status.REGISTERED, Status.WAITING, Status.CANCELLED
    assert [w.business.name for w in services.waiting_list(p)] == ["D", "C", "E"]

    steps = [
        # (what happens, state afterwards)
        ("start", {"A": (R, False), "B": (R, False), "C": (W, False), "D": (W, False), "E": (W, False)}),
        ("A cancels", {"A": (X, False), "B": (R, False), "C": (W, False), "D": (W, True), "E": (W, False)}),
        ("B cancels", {"A": (X, False), "B": (X, False), "C": (W, True), "D": (W, True), "E": (W, False)}),
        ("D confirms +10h", {"A": (X, False), "B": (X, False), "C": (W, True), "D": (R, False), "E": (W, False)}),
        ("C's deadline passes", {"A": (X, False), "B": (X, False), "C": (X, False), "D": (R, False), "E": (W, True)}),
        ("E confirms", {"A": (X, False), "B": (X, False), "C": (X, False), "D": (R, False), "E": (R, False)}),
    ]

    def cancel(name, hours):
        return lambda: services.participant_cancel(
            participant=_p(p, b[name]), actor=None, now=T0 + timedelta(hours=hours)
        )

    def confirm(name, hours):
        return lambda: services.offer_confirm(participant=_p(p, b[name]), actor=None, now=T0 + timedelta(hours=hours))

    actions = {
        "start": lambda: None,
        "A cancels": cancel("A", 1),
        "B cancels": cancel("B", 2),
        "D confirms +10h": confirm("D", 10),
        "C's deadline passes": lambda: services.offers_expire(now=T0 + timedelta(hours=51)),
        "E confirms": confirm("E", 52),
    }
    for what, expected in steps:
        actions[what]()
        assert state(p) == expected, what
    assert _p(p, b["C"]).note == "Tawaran kursi tidak dikonfirmasi sampai batas waktu."
    assert services.seats_free(p) == 0


def _p(programme, business):
    return Participant.objects.get(programme=programme, business=business)


def test_a_confirmation_after_the_deadline_is_refused_and_the_seat_moves_on():
    p = training(quota=1)
    a, c, d = person("A"), person("C"), person("D")
    for i, x in enumerate((a, c, d)):
        services.participant_register(programme=p, business=x, actor=None, now=T0 + timedelta(minutes=i))
    services.participant_cancel(participant=_p(p, a), actor=None, now=T0)
    assert _p(p, c).offer_expires_at == T0 + timedelta(hours=48)
    with pytest.raises(ValidationError, match="Tidak ada tawaran kursi"):
        services.offer_confirm(participant=_p(p, c), actor=None, now=T0 + timedelta(hours=48, seconds=1))
    assert state(p)["C"] == (Status.CANCELLED, False)
    assert state(p)["D"] == (Status.WAITING, True)


def test_offer_is_mailed_and_has_a_whatsapp_text(django_capture_on_commit_callbacks, make_user):
    from apps.store.tests.factories import make_seller

    owner_user = make_user("pemilik-c", role="mitra_umkm")
    p = training(quota=1)
    a = person("A")
    seller = make_seller(shop_name="Keripik C", owner=owner_user)
    services.participant_register(programme=p, business=a, actor=None, now=T0)
    services.participant_register(programme=p, business=seller.business, actor=None, now=T0 + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_cancel(participant=_p(p, a), actor=None, now=T0)
    (message,) = mail.outbox
    assert message.to == ["pemilik-c@contoh.id"]
    assert message.subject == "Kursi pelatihan untuk Anda: Pelatihan Pemasaran Daring"
    text = services.offer_message(_p(p, seller.business))
    assert "Pelatihan Pemasaran Daring (10 Maret 2026)" in text
    assert "4 Maret 2026 09.00 WIB" in text or "4 Maret 2026 09:00 WIB" in text
    assert message.body == text


def test_eligibility_and_duplicates():
    p = training(quota=5, eligible_districts=["33.03.02"])
    here = business_make(name="Sini", village="33.03.02.2001")
    there = business_make(name="Sana", village="33.03.01.2001")
    services.participant_register(programme=p, business=here, actor=None, now=T0)
    with pytest.raises(ValidationError, match="kecamatan tertentu"):
        services.participant_register(programme=p, business=there, actor=None, now=T0)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        services.participant_register(programme=p, business=here, actor=None, now=T0)
    other = business_make(name="Banyumas", village="33.02.01.2001")
    with pytest.raises(ValidationError, match="kabupaten/kota penyelenggara"):
        services.participant_register(programme=p, business=other, actor=None, now=T0)


def test_online_registration_only_inside_the_window():
    p = training(registration_opens=T0, registration_closes=T0 + timedelta(days=3))
    x = person("X")
    with pytest.raises(ValidationError, match="tidak sedang dibuka"):
        services.participant_register(programme=p, business=x, actor=None, source="daring", now=T0 - timedelta(1))
    services.participant_register(programme=p, business=x, actor=None, source="operator", now=T0 - timedelta(1))


def test_attendance_completion_and_certificates():
    from apps.program.models import Session

    p = training(quota=3, pass_mark=70)
    sessions = [Session.objects.create(programme=p, number=i, date=date(2026, 3, 9 + i)) for i in range(1, 5)]
    a, b, c = person("A"), person("B"), person("C")
    parts = {}
    for x in (a, b, c):
        parts[x.name] = services.participant_register(programme=p, business=x, actor=None, now=T0)
    # A: 3 of 4 sessions (75%) and 70: passes. B: 2 of 4: does not. C: 4 of 4 but 69: does not.
    for name, attended in (("A", 3), ("B", 2), ("C", 4)):
        for s in sessions[:attended]:
            services.attendance_record(session=s, participant=_p(p, parts[name].business), actor=None)
    # a second scan of the same code changes nothing
    _participant, created = services.attendance_checkin(session=sessions[0], token=parts["A"].checkin_token, actor=None)
    assert created is False
    for name, post in (("A", 70), ("B", 95), ("C", 69)):
        services.scores_set(participant=_p(p, parts[name].business), pre_test=40, post_test=post, actor=None)
    assert services.completion_evaluate(programme=p, actor=None) == {"lulus": 1, "tidak_lulus": 2}
    assert state(p) == {"A": ("lulus", False), "B": ("hadir", False), "C": ("hadir", False)}
    a_row = _p(p, a)
    assert a_row.certificate_code == verification_code(a_row.pk, __import__("django.conf").conf.settings.SECRET_KEY)
    assert a_row.certificate_issued_on == date(2026, 3, 13)
    # C's post-test corrected: passes on re-evaluation; A keeps the same code
    services.scores_set(participant=_p(p, c), pre_test=40, post_test=70, actor=None)
    services.completion_evaluate(programme=p, actor=None)
    assert _p(p, c).status == "lulus"
    assert _p(p, a).certificate_code == a_row.certificate_code
    with pytest.raises(ValidationError, match="Kode QR tidak dikenal"):
        services.attendance_checkin(session=sessions[0], token="bukan-kode", actor=None)


def test_verification_codes_are_distinct_and_readable():
    codes = {verification_code(n, "rahasia") for n in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 11 and c[5] == "-" and not set(c) & set("01OI") for c in codes)
