"""Writes of the competency tests: managers, sessions, registration within the quota, assessors'
scores, the result (SPEC §11 rule, `ujikom_rules.evaluate`) and the certificate. Each is atomic and
audited; a refused write raises ValidationError with the reason in Indonesian and changes nothing."""

import secrets
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user, signed_in_user
from apps.core.nik import nik_errors, nik_hash
from apps.core.roles import STAFF, Role
from apps.pengembangan.models import (
    Certificate,
    Criterion,
    Jabatan,
    Manager,
    Participant,
    ParticipantStatus,
    Result,
    ResultSource,
    Scheme,
    Score,
    Session,
    SessionAssessor,
    SessionStatus,
)
from apps.pengembangan.ujikom_rules import CriterionDef, evaluate, plain, valid_until


def _clean_name(nama: str) -> str:
    nama = " ".join((nama or "").split())
    if not nama:
        raise ValidationError({"nama": _("Nama wajib diisi.")})
    if len(nama) > 150:
        raise ValidationError({"nama": _("Nama paling panjang 150 karakter.")})
    return nama


def _check_jabatan(jabatan: str) -> None:
    if jabatan not in Jabatan.values:
        raise ValidationError({"jabatan": _("Jabatan tidak dikenal.")})


@transaction.atomic
def manager_register(*, koperasi: Any, nik: str, nama: str, jabatan: str, no_hp: str = "", actor: Actor) -> Manager:
    """Register a manager (*pengelola*) of a cooperative; one per (cooperative, NIK)."""
    nik = (nik or "").strip()
    errors = nik_errors(nik)
    if errors:
        raise ValidationError({"nik": errors})
    _check_jabatan(jabatan)
    nama = _clean_name(nama)
    if Manager.objects.filter(koperasi=koperasi, nik_hash=nik_hash(nik)).exists():
        raise ValidationError({"nik": _("Pengelola dengan NIK ini sudah terdaftar di koperasi ini.")})
    manager = Manager(koperasi=koperasi, nama=nama, jabatan=jabatan, no_hp=(no_hp or "").strip()[:20])
    manager.didaftarkan_oleh = actor_user(actor)
    manager.set_nik(nik)
    manager.save()
    audit_log(
        actor=actor,
        action="pengelola.register",
        obj=manager,
        changes={"koperasi": koperasi.pk, "nama": nama, "jabatan": jabatan, "nik": manager.nik_masked},
        regency_code=koperasi.regency_id,
    )
    return manager


@transaction.atomic
def session_create(
    *,
    scheme: Scheme,
    regency_code: str,
    nama: str,
    tanggal: date,
    tempat: str,
    kuota: int,
    assessors: list[Any],
    actor: Actor,
) -> Session:
    if not scheme.aktif:
        raise ValidationError({"scheme": _("Skema ini tidak lagi dipakai untuk sesi baru.")})
    if not Criterion.objects.filter(unit__scheme=scheme).exists():
        raise ValidationError({"scheme": _("Skema belum punya unit kompetensi dan kriteria.")})
    if kuota < 1:
        raise ValidationError({"kuota": _("Kuota paling sedikit 1.")})
    session = Session.objects.create(
        scheme=scheme,
        regency_id=regency_code,
        nama=" ".join(nama.split())[:200],
        tanggal=tanggal,
        tempat=tempat[:200],
        kuota=kuota,
        dibuat_oleh=actor_user(actor),
    )
    for user in assessors:
        SessionAssessor.objects.create(session=session, user=user)
    audit_log(
        actor=actor,
        action="ujikom_sesi.create",
        obj=session,
        changes={"skema": scheme.kode, "tanggal": tanggal, "kuota": kuota, "asesor": [u.pk for u in assessors]},
    )
    return session


@transaction.atomic
def session_set_status(*, session: Session, status: str, actor: Actor) -> Session:
    if status not in SessionStatus.values:
        raise ValidationError(_("Status sesi tidak dikenal."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != status:
        before = session.status
        session.status = status
        session.save(update_fields=["status"])
        audit_log(actor=actor, action="ujikom_sesi.status", obj=session, changes={"status": [before, status]})
    return session


def active_count(session: Session) -> int:
    return session.participants.exclude(status=ParticipantStatus.BATAL).count()


@transaction.atomic
def participant_register(*, session: Session, manager: Manager, actor: Actor) -> Participant:
    """Register a manager in a session while registration is open and the quota has room.

    The session row is locked, so two officers taking the last seat at once get one seat and one refusal.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.DIBUKA:
        raise ValidationError(_("Pendaftaran sesi ini sudah ditutup."))
    if manager.koperasi.regency_id != session.regency_id:
        raise ValidationError(_("Sesi ini untuk koperasi di kabupaten/kota lain."))
    existing = Participant.objects.filter(session=session, manager=manager).first()
    if existing is not None and existing.status != ParticipantStatus.BATAL:
        raise ValidationError(_("%(nama)s sudah terdaftar di sesi ini.") % {"nama": manager.nama})
    if active_count(session) >= session.kuota:
        raise ValidationError(_("Kuota sesi ini (%(k)s peserta) sudah penuh.") % {"k": session.kuota})
    if existing is not None:
        existing.status = ParticipantStatus.TERDAFTAR
        existing.jabatan = manager.jabatan
        existing.save(update_fields=["status", "jabatan"])
        participant = existing
    else:
        participant = Participant.objects.create(
            session=session,
            manager=manager,
            jabatan=manager.jabatan,
            didaftarkan_oleh=actor_user(actor),
        )
    audit_log(
        actor=actor,
        action="ujikom_peserta.register",
        obj=participant,
        changes={"sesi": session.pk, "pengelola": manager.pk},
        regency_code=session.regency_id,
    )
    return participant


@transaction.atomic
def participant_cancel(*, participant: Participant, actor: Actor) -> Participant:
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.status == ParticipantStatus.DINILAI:
        raise ValidationError(_("Hasil uji peserta ini sudah ditetapkan; pendaftarannya tidak dapat dibatalkan."))
    if participant.status != ParticipantStatus.BATAL:
        participant.status = ParticipantStatus.BATAL
        participant.save(update_fields=["status"])
        audit_log(
            actor=actor,
            action="ujikom_peserta.cancel",
            obj=participant,
            changes={"status": ["terdaftar", "batal"]},
            regency_code=participant.session.regency_id,
        )
    return participant


def scheme_criteria(scheme: Scheme) -> list[Criterion]:
    return list(Criterion.objects.filter(unit__scheme=scheme).select_related("unit").order_by("unit__urutan", "nomor"))


def _may_score(actor: Actor, session: Session) -> bool:
    if actor.has_role(*STAFF):
        return True
    user = actor_user(actor)
    return (
        user is not None
        and user.role == Role.ASSESSOR
        and SessionAssessor.objects.filter(session=session, user=user).exists()
    )


@transaction.atomic
def scores_save(*, participant: Participant, values: dict[int, str | Decimal | None], actor: Actor) -> int:
    """Record an assessor's scores (criterion id → nilai; empty leaves a criterion unscored).

    Every value is checked against its criterion's 0..maximum first; one bad value refuses them all.
    """
    participant = Participant.objects.select_for_update().select_related("session").get(pk=participant.pk)
    session = participant.session
    if not _may_score(actor, session):
        raise ValidationError(_("Anda bukan asesor sesi ini."))
    if participant.status != ParticipantStatus.TERDAFTAR:
        raise ValidationError(
            _("Hasil peserta ini sudah ditetapkan atau pendaftarannya batal; nilai tidak dapat diubah.")
        )
    criteria = {c.pk: c for c in scheme_criteria(session.scheme)}
    clean: dict[int, Decimal] = {}
    errors: dict[str, list[str]] = {}
    for cid, raw in values.items():
        if cid not in criteria:
            raise ValidationError(_("Kriteria tidak termasuk skema sesi ini."))
        if raw is None or str(raw).strip() == "":
            continue
        try:
            v = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            errors[f"k{cid}"] = [_("Nilai harus angka.")]
            continue
        c = criteria[cid]
        if not v.is_finite() or v < 0 or v > c.maksimum:
            errors[f"k{cid}"] = [_("Nilai harus antara 0 dan %(m)s.") % {"m": plain(c.maksimum)}]
            continue
        if v != v.quantize(Decimal("0.01")):
            errors[f"k{cid}"] = [_("Nilai paling banyak 2 angka di belakang koma.")]
            continue
        clean[cid] = v
    if errors:
        raise ValidationError(errors)
    changed = {}
    asesor = signed_in_user(actor)
    for cid, v in clean.items():
        score = Score.objects.filter(participant=participant, criterion_id=cid).first()
        if score is None:
            Score.objects.create(participant=participant, criterion_id=cid, nilai=v, asesor=asesor)
            changed[str(cid)] = [None, v]
        elif score.nilai != v:
            changed[str(cid)] = [score.nilai, v]
            score.nilai, score.asesor = v, asesor
            score.save(update_fields=["nilai", "asesor", "updated_at"])
    if changed:
        audit_log(
            actor=actor,
            action="ujikom_nilai.save",
            obj=participant,
            changes=changed,
            regency_code=session.regency_id,
        )
    return len(changed)


def _certificate_number(session: Session, year: int) -> str:
    prefix = f"UK/{session.regency_id}/{year}/"
    n = Certificate.objects.filter(nomor__startswith=prefix).count() + 1
    while Certificate.objects.filter(nomor=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


@transaction.atomic
def result_decide(*, participant: Participant, actor: Actor) -> Result:
    """Decide the result from the scores (all criteria must be scored) and, when kompeten, issue the
    certificate valid for the scheme's period from the test date."""
    participant = (
        Participant.objects.select_for_update()
        .select_related("session__scheme", "manager__koperasi")
        .get(pk=participant.pk)
    )
    session = participant.session
    if not _may_score(actor, session):
        raise ValidationError(_("Anda bukan asesor sesi ini."))
    if participant.status != ParticipantStatus.TERDAFTAR:
        raise ValidationError(_("Hasil peserta ini sudah ditetapkan atau pendaftarannya batal."))
    criteria = scheme_criteria(session.scheme)
    scores = dict(participant.scores.values_list("criterion_id", "nilai"))
    missing = [c for c in criteria if c.pk not in scores]
    if missing:
        raise ValidationError(
            _("Belum semua kriteria dinilai: %(k)s.") % {"k": ", ".join(f"{c.unit.kode}.{c.nomor}" for c in missing)}
        )
    if Result.objects.filter(manager=participant.manager, tanggal_uji=session.tanggal).exists():
        raise ValidationError(_("Pengelola ini sudah punya hasil uji pada tanggal yang sama."))
    defs = [
        CriterionDef(c.pk, c.unit.kode, c.unit.judul, c.nomor, c.uraian, c.maksimum, c.bobot, c.minimum)
        for c in criteria
    ]
    scheme = session.scheme
    outcome = evaluate(defs, scores, scheme.nilai_lulus)
    total_text = str(
        (Decimal(outcome.total.numerator) / Decimal(outcome.total.denominator)).quantize(Decimal("0.000001"))
    )
    result = Result.objects.create(
        manager=participant.manager,
        participant=participant,
        tanggal_uji=session.tanggal,
        jabatan=participant.jabatan,
        kompeten=outcome.kompeten,
        sumber=ResultSource.SESI,
        skema=scheme.nama,
        total=Decimal(total_text),
        nilai_lulus=scheme.nilai_lulus,
        rincian={
            "skema": scheme.kode,
            "total_tepat": f"{outcome.total.numerator}/{outcome.total.denominator}",
            "kriteria": outcome.lines,
            "unit": [
                {
                    "kode": u.kode,
                    "judul": u.judul,
                    "skor": str(
                        (Decimal(u.skor.numerator) / Decimal(u.skor.denominator)).quantize(Decimal("0.000001"))
                    ),
                    "di_bawah_minimum": u.di_bawah_minimum,
                    "ulang": u.ulang,
                    "alasan": u.alasan,
                }
                for u in outcome.units
            ],
        },
        unit_ulang=outcome.units_to_retake,
        berlaku_sampai=valid_until(session.tanggal, scheme.masa_berlaku_bulan) if outcome.kompeten else None,
        ditetapkan_oleh=actor_user(actor),
    )
    participant.status = ParticipantStatus.DINILAI
    participant.save(update_fields=["status"])
    if outcome.kompeten:
        assert result.berlaku_sampai is not None
        _issue_certificate(result=result, session=session)
    audit_log(
        actor=actor,
        action="ujikom_hasil.decide",
        obj=result,
        changes={"kompeten": outcome.kompeten, "total": total_text, "unit_ulang": outcome.units_to_retake},
        regency_code=session.regency_id,
    )
    return result


def _issue_certificate(*, result: Result, session: Session) -> Certificate:
    assert result.berlaku_sampai is not None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    result=result,
                    nomor=_certificate_number(session, session.tanggal.year),
                    kode_verifikasi=secrets.token_hex(8).upper(),
                    tanggal_terbit=timezone.localdate(),
                    berlaku_sampai=result.berlaku_sampai,
                )
        except IntegrityError:  # a concurrent issue took the number: take the next one
            continue
    raise ValidationError(_("Nomor sertifikat tidak dapat dibuat; coba lagi."))
