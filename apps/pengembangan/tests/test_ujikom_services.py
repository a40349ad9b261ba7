"""Competency-test services: managers (NIK), registration within the quota, scoring, the result and the
certificate, and refusals that change nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEntry
from apps.core.nik import nik_decrypt
from apps.koperasi.tests.factories import make_koperasi
from apps.pengembangan.models import Certificate, Manager, Participant, Result, Score
from apps.pengembangan.services import ujikom as svc
from apps.pengembangan.tests.factories import NIK_A, criteria_by_code, make_manager, make_scheme, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def asesor(make_user):
    return make_user("asesor1", role="asesor")


@pytest.fixture
def koperasi():
    return make_koperasi(nama="KSP Sido Makmur")


def test_manager_register_encrypts_masks_and_audits(koperasi, operator):
    m = svc.manager_register(koperasi=koperasi, nik=NIK_A, nama="  Sri   Lestari ", jabatan="bendahara", actor=operator)
    assert (m.nama, m.nik_masked) == ("Sri Lestari", "3303**********01")
    assert NIK_A not in m.nik_ciphertext and nik_decrypt(m.nik_ciphertext) == NIK_A
    entry = AuditEntry.objects.get(action="pengelola.register")
    assert entry.changes["nik"] == "3303**********01" and NIK_A not in str(entry.changes)
    with pytest.raises(ValidationError) as exc:
        svc.manager_register(koperasi=koperasi, nik=NIK_A, nama="Sri", jabatan="ketua", actor=operator)
    assert "sudah terdaftar" in str(exc.value)
    assert Manager.objects.count() == 1


@pytest.mark.parametrize(
    ("nik", "jabatan", "message"),
    [
        ("12345", "ketua", "NIK harus 16 digit angka"),
        ("9999014506900001", "ketua", "bukan kode kecamatan"),
        (NIK_A, "bupati", "Jabatan tidak dikenal"),
    ],
)
def test_manager_register_refuses_bad_input(koperasi, operator, nik, jabatan, message):
    with pytest.raises(ValidationError) as exc:
        svc.manager_register(koperasi=koperasi, nik=nik, nama="Sri", jabatan=jabatan, actor=operator)
    assert message in str(exc.value)
    assert Manager.objects.count() == 0


def test_quota_and_closed_registration(koperasi, operator):
    session = make_session(kuota=2)
    a, b, c = (make_manager(koperasi) for _ in range(3))
    svc.participant_register(session=session, manager=a, actor=operator)
    pb = svc.participant_register(session=session, manager=b, actor=operator)
    with pytest.raises(ValidationError, match="Kuota sesi ini \\(2 peserta\\) sudah penuh"):
        svc.participant_register(session=session, manager=c, actor=operator)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        svc.participant_register(session=session, manager=a, actor=operator)
    svc.participant_cancel(participant=pb, actor=operator)  # a cancelled seat is free again
    svc.participant_register(session=session, manager=c, actor=operator)
    assert Participant.objects.exclude(status="batal").count() == 2
    svc.session_set_status(session=session, status="ditutup", actor=operator)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        svc.participant_register(session=session, manager=b, actor=operator)


def test_session_of_another_regency_refused(koperasi, operator):
    session = make_session(regency="33.02")
    with pytest.raises(ValidationError, match="kabupaten/kota lain"):
        svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)


def _scored(session, participant, actor, values):
    crit = criteria_by_code(session.scheme)
    svc.scores_save(participant=participant, values={crit[k].pk: v for k, v in values.items()}, actor=actor)


def test_assessor_scores_and_decides_kompeten_with_certificate(koperasi, operator, asesor):
    session = make_session(assessors=(asesor,), tanggal=date(2026, 3, 10))
    p = svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)
    _scored(session, p, asesor, {"U1.1": "80", "U1.2": "8"})
    with pytest.raises(ValidationError, match="Belum semua kriteria dinilai: U2.1"):
        svc.result_decide(participant=p, actor=asesor)
    _scored(session, p, asesor, {"U2.1": "70"})
    result = svc.result_decide(participant=p, actor=asesor)
    assert (result.kompeten, result.total, result.unit_ulang) == (True, Decimal("76.000000"), [])
    assert result.berlaku_sampai == date(2029, 3, 9)
    cert = result.certificate
    assert cert.nomor == "UK/33.03/2026/0001" and len(cert.kode_verifikasi) == 16
    p.refresh_from_db()
    assert p.status == "dinilai"
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        _scored(session, p, asesor, {"U2.1": "10"})
    assert Score.objects.get(participant=p, criterion__unit__kode="U2").nilai == Decimal(70)


def test_belum_kompeten_names_units_and_gets_no_certificate(koperasi, operator, asesor):
    session = make_session(assessors=(asesor,))
    p = svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)
    _scored(session, p, asesor, {"U1.1": "100", "U1.2": "10", "U2.1": "45"})
    result = svc.result_decide(participant=p, actor=asesor)
    assert (result.kompeten, result.unit_ulang, result.berlaku_sampai) == (False, ["U2"], None)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"), [("101", "antara 0 dan 100"), ("-1", "antara 0 dan 100"), ("7.555", "2 angka")]
)
def test_bad_score_refuses_the_whole_save(koperasi, operator, asesor, value, message):
    session = make_session(assessors=(asesor,))
    p = svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)
    crit = criteria_by_code(session.scheme)
    with pytest.raises(ValidationError) as exc:
        svc.scores_save(participant=p, values={crit["U1.2"].pk: "5", crit["U1.1"].pk: value}, actor=asesor)
    assert message in str(exc.value)
    assert not Score.objects.exists()


def test_only_the_sessions_assessors_score(koperasi, operator, make_user):
    other = make_user("asesor2", role="asesor")
    session = make_session(assessors=())
    p = svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)
    crit = criteria_by_code(session.scheme)
    with pytest.raises(ValidationError, match="bukan asesor"):
        svc.scores_save(participant=p, values={crit["U1.1"].pk: "80"}, actor=other)
    assert not Score.objects.exists() and not Result.objects.exists()


def test_certificate_numbers_follow_on(koperasi, operator, asesor):
    scheme = make_scheme()
    numbers = []
    for _ in range(2):
        session = make_session(scheme=scheme, assessors=(asesor,))
        p = svc.participant_register(session=session, manager=make_manager(koperasi), actor=operator)
        _scored(session, p, asesor, {"U1.1": "80", "U1.2": "8", "U2.1": "70"})
        numbers.append(svc.result_decide(participant=p, actor=asesor).certificate.nomor)
    assert numbers == ["UK/33.03/2026/0001", "UK/33.03/2026/0002"]
