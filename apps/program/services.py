"""Writes of the programme domain (SPEC §10). Each service is atomic and audited.

Training seats: a training's quota counts the participants holding a seat (`terdaftar`, `hadir`,
`lulus`) and those on the waiting list with a running offer. When a seat frees up, it is offered to the
first on the waiting list (higher priority first, then earlier registration) with a deadline
(`Programme.offer_hours`); an offer not confirmed by then lapses (the participant is `batal`) and the
seat goes to the next one. Expired offers are settled whenever the programme is read or changed and by
the worker while it is idle (`offers_expire`).
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import tanggal, wib
from apps.orders.notifications import mail_on_commit
from apps.program.models import (
    SEATED,
    Attendance,
    AttendanceMethod,
    Kind,
    Participant,
    Programme,
    Session,
    Source,
    Status,
)
from apps.program.notifications import mail_decision, owner_emails
from apps.program.rules import completes, priority_of, verification_code
from apps.umkm.models import BusinessYear

PROGRAMME_FIELDS = (
    "kind",
    "title",
    "district",
    "start_date",
    "end_date",
    "place",
    "description",
    "budget",
    "quota",
    "eligible_classes",
    "eligible_sectors",
    "eligible_districts",
    "priority_women",
    "priority_mikro",
    "registration_opens",
    "registration_closes",
    "min_attendance_percent",
    "pass_mark",
    "offer_hours",
    "cancelled",
)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, str, int, bool)) or value is None:
        return value
    return str(value)


# -- activities -----------------------------------------------------------------------------------
def _next_code(regency_code: str, kind: str, year: int) -> str:
    prefix = {"pelatihan": "PLT", "bantuan_kemasan": "KMS", "festival": "FST"}[kind]
    n = Programme.objects.filter(regency_id=regency_code, code__startswith=f"{prefix}-{year}-").count() + 1
    while Programme.objects.filter(regency_id=regency_code, code=f"{prefix}-{year}-{n:03d}").exists():
        n += 1
    return f"{prefix}-{year}-{n:03d}"


@transaction.atomic
def programme_create(*, regency_code: str, data: dict[str, Any], actor: Actor) -> Programme:
    programme = Programme(regency_id=regency_code, source=Source.OPERATOR)
    for field in PROGRAMME_FIELDS:
        if field in data:
            setattr(programme, field, data[field])
    programme.code = data.get("code") or _next_code(regency_code, programme.kind, programme.start_date.year)
    programme.full_clean()
    programme.save()
    audit_log(
        actor=actor,
        action="program.kegiatan_buat",
        obj=programme,
        changes={f: [None, _jsonable(getattr(programme, f))] for f in ("code", "kind", "title", "start_date")},
        regency_code=regency_code,
    )
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, data: dict[str, Any], actor: Actor) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    changes = {}
    for field in PROGRAMME_FIELDS:
        if field in data and getattr(programme, field) != data[field]:
            changes[field] = [_jsonable(getattr(programme, field)), _jsonable(data[field])]
            setattr(programme, field, data[field])
    if not changes:
        return programme
    programme.full_clean()
    programme.save()
    audit_log(
        actor=actor, action="program.kegiatan_ubah", obj=programme, changes=changes, regency_code=programme.regency_id
    )
    if programme.kind == Kind.TRAINING and "quota" in changes:
        seats_offer(programme=programme, actor=actor)
    return programme


@transaction.atomic
def session_set(*, programme: Programme, dates: list[Any], actor: Actor) -> list[Session]:
    """The training's sessions, one per date in order (numbers 1..n). Sessions with attendance stay."""
    existing = {s.number: s for s in programme.sessions.all()}
    for number, day in enumerate(dates, start=1):
        s = existing.get(number)
        if s is None:
            Session.objects.create(programme=programme, number=number, date=day)
        elif s.date != day:
            s.date = day
            s.save(update_fields=["date"])
    for number, s in existing.items():
        if number > len(dates):
            if s.attendances.exists():
                raise ValidationError(_("Sesi %(n)s sudah berisi kehadiran dan tidak dapat dihapus.") % {"n": number})
            s.delete()
    audit_log(
        actor=actor,
        action="program.sesi_atur",
        obj=programme,
        changes={"sesi": [len(existing), len(dates)]},
        regency_code=programme.regency_id,
    )
    return list(programme.sessions.all())


# -- eligibility and registration --------------------------------------------------------------------
def _latest_kelas(business: Any, year: int) -> str | None:
    return (
        BusinessYear.objects.filter(business=business, year__lte=year)
        .order_by("-year")
        .values_list("kelas", flat=True)
        .first()
    )


def eligibility_errors(*, programme: Programme, business: Any) -> list[str]:
    """Why a business may not take part (empty: it may). Class by its latest record up to the year before."""
    errors: list[str] = []
    if business.regency_id != programme.regency_id:
        errors.append(_("Usaha tidak berada di kabupaten/kota penyelenggara."))
    if business.status != "aktif":
        errors.append(_("Usaha berstatus tutup di registri."))
    if programme.eligible_districts and business.district_id not in programme.eligible_districts:
        errors.append(_("Kegiatan ini hanya untuk usaha di kecamatan tertentu."))
    if programme.eligible_sectors and business.sector not in programme.eligible_sectors:
        errors.append(_("Kegiatan ini hanya untuk sektor tertentu."))
    if programme.eligible_classes:
        kelas = _latest_kelas(business, programme.start_date.year)
        if kelas not in programme.eligible_classes:
            errors.append(_("Kelas usaha tidak termasuk sasaran kegiatan ini."))
    return errors


def registration_open(programme: Programme, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if programme.cancelled:
        return False
    if programme.registration_opens and now < programme.registration_opens:
        return False
    return not (programme.registration_closes and now > programme.registration_closes)


def _seats_taken(programme: Programme) -> int:
    return programme.participants.filter(
        Q(status__in=SEATED) | Q(status=Status.WAITING, offer_expires_at__isnull=False)
    ).count()


def seats_free(programme: Programme) -> int | None:
    if programme.quota is None:
        return None
    return max(programme.quota - _seats_taken(programme), 0)


def participant_register(
    *, programme: Programme, business: Any, actor: Actor, source: str = Source.OPERATOR, now: datetime | None = None
) -> Participant:
    """Register a registry business: a seat while the quota allows, else the waiting list (training).

    The owner registers online only while registration is open; an operator may register on the spot.
    Lapsed offers are settled first, in their own transaction (as in `offer_confirm`)."""
    now = now or timezone.now()
    offers_expire(programme=programme, actor=actor, now=now)
    with transaction.atomic():
        return _register(programme=programme, business=business, actor=actor, source=source, now=now)


def _priority(programme: Programme, business: Any) -> int:
    kelas = _latest_kelas(business, programme.start_date.year)
    return priority_of(
        female_owner=business.owner.gender == "P",
        mikro=kelas == "mikro",
        priority_women=programme.priority_women,
        priority_mikro=programme.priority_mikro,
    )


def participant_walk_in(
    *, session: Session, business: Any, actor: Actor, over_quota: bool = False, now: datetime | None = None
) -> tuple[Participant, bool]:
    """A business that turns up at a training session without a prior registration (SPEC §10: "an operator
    can register one on the spot"): registered by the operator and marked present at the session, whatever
    the registration window. It takes a free seat; when none is free it is refused unless the operator
    admits it above the quota (`over_quota`, recorded in the audit entry), so nobody on the waiting list is
    passed over silently. A business already holding a seat is only marked present; one on the waiting list
    who turns up is seated like a walk-in. Returns the participant and whether it was newly seated."""
    now = now or timezone.now()
    programme = session.programme
    if programme.kind != Kind.TRAINING:
        raise ValidationError(_("Pendaftaran di tempat hanya untuk pelatihan."))
    offers_expire(programme=programme, actor=actor, now=now)
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        participant = Participant.objects.filter(programme=programme, business=business).first()
        seated = participant is None or participant.status not in SEATED
        if seated:
            if programme.cancelled:
                raise ValidationError(_("Kegiatan ini dibatalkan."))
            errors = eligibility_errors(programme=programme, business=business)
            if errors:
                raise ValidationError(errors)
            free = seats_free(programme)
            holds_offer = participant is not None and participant.offer_expires_at is not None
            above = free == 0 and not holds_offer
            if above and not over_quota:
                raise ValidationError(
                    _(
                        'Kuota %(q)s kursi sudah penuh (%(w)s di daftar tunggu). Centang "tambahkan di atas '
                        'kuota" bila peserta ini tetap diterima.'
                    )
                    % {"q": programme.quota, "w": len(waiting_list(programme))}
                )
            before = participant.status if participant else None
            participant = participant or Participant(programme=programme, business=business)
            participant.status = Status.REGISTERED
            participant.source = Source.OPERATOR
            participant.priority = _priority(programme, business)
            participant.registered_at = now
            participant.registered_by = actor_user(actor)
            participant.offer_expires_at = None
            participant.note = (_("Daftar di tempat, sesi %(n)s") % {"n": session.number})[:300]
            participant.save()
            audit_log(
                actor=actor,
                action="program.peserta_daftar_di_tempat",
                obj=participant,
                changes={
                    "status": [before, Status.REGISTERED],
                    "sesi": [None, session.number],
                    "di_atas_kuota": [None, above],
                },
                regency_code=programme.regency_id,
            )
        assert participant is not None
        attendance_record(session=session, participant=participant, actor=actor, method=AttendanceMethod.LIST)
    return participant, seated


def _register(*, programme: Programme, business: Any, actor: Actor, source: str, now: datetime) -> Participant:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)  # one seat count at a time
    if source == Source.ONLINE and not registration_open(programme, now):
        raise ValidationError(_("Pendaftaran kegiatan ini tidak sedang dibuka."))
    if programme.cancelled:
        raise ValidationError(_("Kegiatan ini dibatalkan."))
    errors = eligibility_errors(programme=programme, business=business)
    if errors:
        raise ValidationError(errors)
    existing = Participant.objects.filter(programme=programme, business=business).first()
    if existing is not None and existing.status not in (Status.CANCELLED, Status.REJECTED):
        raise ValidationError(_("Usaha ini sudah terdaftar di kegiatan ini."))
    priority = _priority(programme, business)
    free = seats_free(programme)
    status = Status.REGISTERED if free is None or free > 0 else Status.WAITING
    if programme.kind == Kind.PACKAGING or programme.kind == Kind.FESTIVAL:
        status = Status.REGISTERED  # applications: selection decides, not the order of arrival
    participant = existing or Participant(programme=programme, business=business)
    before = existing.status if existing else None
    participant.status = status
    participant.source = source
    participant.priority = priority
    participant.registered_at = now
    participant.registered_by = actor_user(actor)
    participant.offer_expires_at = None
    participant.save()
    audit_log(
        actor=actor,
        action="program.peserta_daftar",
        obj=participant,
        changes={"status": [before, status], "prioritas": [None, priority]},
        regency_code=programme.regency_id,
    )
    if programme.kind == Kind.TRAINING:  # a seat or the waiting list: the training's selection
        position = None
        if status == Status.WAITING:
            position = next(i for i, p in enumerate(waiting_list(programme), start=1) if p.pk == participant.pk)
        mail_decision(participant, position=position)
    return participant


@transaction.atomic
def participant_cancel(
    *, participant: Participant, actor: Actor, reason: str = "", now: datetime | None = None
) -> Participant:
    """Cancel (by the owner or an operator); a seat it held is offered to the next on the waiting list."""
    now = now or timezone.now()
    Programme.objects.select_for_update().filter(pk=participant.programme_id).get()
    participant = Participant.objects.get(pk=participant.pk)
    if participant.status in (Status.CANCELLED, Status.REJECTED, Status.PASSED):
        raise ValidationError(_("Pendaftaran ini tidak dapat dibatalkan lagi."))
    before = participant.status
    participant.status = Status.CANCELLED
    participant.offer_expires_at = None
    participant.note = reason[:300]
    participant.save()
    audit_log(
        actor=actor,
        action="program.peserta_batal",
        obj=participant,
        changes={"status": [before, Status.CANCELLED]},
        regency_code=participant.programme.regency_id,
    )
    if participant.programme.kind == Kind.TRAINING:
        seats_offer(programme=participant.programme, actor=actor, now=now)
    return participant


def waiting_list(programme: Programme) -> list[Participant]:
    """The waiting list in the order seats are offered: priority, then time of registration."""
    return list(
        programme.participants.filter(status=Status.WAITING)
        .select_related("business__owner")
        .order_by("-priority", "registered_at", "id")
    )


def seats_offer(*, programme: Programme, actor: Actor | None, now: datetime | None = None) -> list[Participant]:
    """Offer every free seat to the next on the waiting list without an offer; returns the new offers."""
    now = now or timezone.now()
    free = seats_free(programme)
    offered: list[Participant] = []
    if free is None or free <= 0:
        return offered
    for participant in waiting_list(programme):
        if free <= 0:
            break
        if participant.offer_expires_at is not None:
            continue
        participant.offer_expires_at = now + timedelta(hours=programme.offer_hours)
        participant.save(update_fields=["offer_expires_at", "updated_at"])
        audit_log(
            actor=actor,
            action="program.kursi_tawar",
            obj=participant,
            changes={"batas_konfirmasi": [None, participant.offer_expires_at.isoformat()]},
            regency_code=programme.regency_id,
        )
        _mail_offer(participant)
        offered.append(participant)
        free -= 1
    return offered


def offer_message(participant: Participant, *, base_url: str = "") -> str:
    """The offer as a WhatsApp-ready text (the operator copies it; the e-mail says the same). Links are
    absolute: `base_url` (the page's own address) or the SITE_URL setting."""
    deadline = participant.offer_expires_at
    link = (base_url or str(getattr(settings, "SITE_URL", ""))).rstrip("/") + reverse("program:my_trainings")
    return _(
        "Yth. %(owner)s (%(business)s), ada kursi kosong untuk %(title)s (%(date)s). "
        "Mohon konfirmasi sebelum %(deadline)s melalui %(link)s. Bila tidak dikonfirmasi, kursi ditawarkan "
        "ke pendaftar berikutnya. Terima kasih. — Dinas Koperasi dan UKM"
    ) % {
        "owner": participant.business.owner.name,
        "business": participant.business.name,
        "title": participant.programme.title,
        "date": tanggal(participant.programme.start_date),
        "deadline": wib(deadline) if deadline else "–",
        "link": link,
    }


def _mail_offer(participant: Participant) -> None:
    mail_on_commit(
        to=owner_emails(participant),
        subject=_("Kursi pelatihan untuk Anda: %(t)s") % {"t": participant.programme.title},
        body=offer_message(participant),
    )


def offer_confirm(*, participant: Participant, actor: Actor, now: datetime | None = None) -> Participant:
    """Take an offered seat before its deadline. Lapsed offers are settled first, in their own
    transaction, so a refused late confirmation still moves the seat on."""
    now = now or timezone.now()
    offers_expire(programme=participant.programme, actor=actor, now=now)
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=participant.programme_id).get()
        participant = Participant.objects.get(pk=participant.pk)
        if participant.status != Status.WAITING or participant.offer_expires_at is None:
            raise ValidationError(_("Tidak ada tawaran kursi yang berlaku untuk pendaftaran ini."))
        participant.status = Status.REGISTERED
        participant.offer_expires_at = None
        participant.save(update_fields=["status", "offer_expires_at", "updated_at"])
        audit_log(
            actor=actor,
            action="program.kursi_konfirmasi",
            obj=participant,
            changes={"status": [Status.WAITING, Status.REGISTERED]},
            regency_code=participant.programme.regency_id,
        )
    return participant


def offers_expire(
    *, programme: Programme | None = None, actor: Actor | None = None, now: datetime | None = None
) -> int:
    """Lapse offers past their deadline (the participant is `batal`) and offer those seats on. Returns how
    many lapsed. Called with a programme inside its services, without one by the idle worker."""
    now = now or timezone.now()
    lapsed_qs = Participant.objects.filter(status=Status.WAITING, offer_expires_at__lt=now)
    if programme is not None:
        lapsed_qs = lapsed_qs.filter(programme=programme)
    count = 0
    for programme_id in sorted(set(lapsed_qs.values_list("programme_id", flat=True))):
        with transaction.atomic():
            p = Programme.objects.select_for_update().get(pk=programme_id)
            for participant in Participant.objects.filter(programme=p, status=Status.WAITING, offer_expires_at__lt=now):
                participant.status = Status.CANCELLED
                participant.note = _("Tawaran kursi tidak dikonfirmasi sampai batas waktu.")
                deadline = participant.offer_expires_at
                participant.offer_expires_at = None
                participant.save(update_fields=["status", "note", "offer_expires_at", "updated_at"])
                audit_log(
                    actor=actor,
                    action="program.kursi_lewat",
                    obj=participant,
                    changes={
                        "status": [Status.WAITING, Status.CANCELLED],
                        "batas": [deadline.isoformat() if deadline else None, None],
                    },
                    regency_code=p.regency_id,
                )
                count += 1
            seats_offer(programme=p, actor=actor, now=now)
    return count


def offers_expire_idle() -> int:
    """Idle-worker step (apps.jobs.registry): settle lapsed offers everywhere."""
    return offers_expire()


# -- attendance, tests, completion, certificates ------------------------------------------------------
@transaction.atomic
def attendance_record(
    *, session: Session, participant: Participant, actor: Actor, method: str = AttendanceMethod.LIST
) -> tuple[Attendance, bool]:
    """Mark a participant present at a session (idempotent). Only participants holding a seat."""
    if participant.programme_id != session.programme_id:
        raise ValidationError(_("Peserta ini bukan peserta kegiatan tersebut."))
    if participant.status not in SEATED:
        raise ValidationError(
            _("%(b)s tidak memegang kursi (status: %(s)s).")
            % {"b": participant.business.name, "s": participant.get_status_display()}
        )
    attendance, created = Attendance.objects.get_or_create(
        session=session,
        participant=participant,
        defaults={"method": method, "checked_at": timezone.now(), "checked_by": actor_user(actor)},
    )
    if created:
        if participant.status == Status.REGISTERED:
            participant.status = Status.ATTENDED
            participant.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="program.hadir",
            obj=participant,
            changes={"sesi": [None, session.number], "cara": [None, method]},
            regency_code=session.programme.regency_id,
        )
    return attendance, created


def attendance_checkin(*, session: Session, token: str, actor: Actor) -> tuple[Participant, bool]:
    """Check in by the participant's QR code (its text is the participant's check-in token)."""
    token = token.strip().rsplit("/", 1)[-1]
    participant = (
        Participant.objects.select_related("business")
        .filter(programme_id=session.programme_id, checkin_token=token)
        .first()
    )
    if participant is None:
        raise ValidationError(_("Kode QR tidak dikenal untuk kegiatan ini."))
    _attendance, created = attendance_record(
        session=session, participant=participant, actor=actor, method=AttendanceMethod.QR
    )
    return participant, created


@transaction.atomic
def attendance_remove(*, session: Session, participant: Participant, actor: Actor) -> None:
    deleted, _rows = Attendance.objects.filter(session=session, participant=participant).delete()
    if deleted:
        audit_log(
            actor=actor,
            action="program.hadir_hapus",
            obj=participant,
            changes={"sesi": [session.number, None]},
            regency_code=session.programme.regency_id,
        )


@transaction.atomic
def scores_set(*, participant: Participant, pre_test: int | None, post_test: int | None, actor: Actor) -> Participant:
    for value in (pre_test, post_test):
        if value is not None and not 0 <= value <= 100:
            raise ValidationError(_("Nilai harus 0 sampai 100."))
    changes = {}
    if participant.pre_test != pre_test:
        changes["pre_test"] = [participant.pre_test, pre_test]
    if participant.post_test != post_test:
        changes["post_test"] = [participant.post_test, post_test]
    if changes:
        participant.pre_test, participant.post_test = pre_test, post_test
        participant.save(update_fields=["pre_test", "post_test", "updated_at"])
        audit_log(
            actor=actor,
            action="program.nilai",
            obj=participant,
            changes=changes,
            regency_code=participant.programme.regency_id,
        )
    return participant


@transaction.atomic
def completion_evaluate(*, programme: Programme, actor: Actor, issued_on: Any = None) -> dict[str, int]:
    """Apply the completion rule to every participant holding a seat: `lulus` (with a certificate code)
    or `hadir`/`terdaftar`. A participant no longer meeting the rule loses `lulus` and the certificate."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    sessions = programme.sessions.count()
    issued_on = issued_on or programme.end_date
    counts = {"lulus": 0, "tidak_lulus": 0}
    for participant in programme.participants.filter(status__in=SEATED).select_related("business"):
        attended = participant.attendances.count()
        ok = completes(
            attended=attended,
            sessions=sessions,
            post_test=participant.post_test,
            min_attendance_percent=programme.min_attendance_percent,
            pass_mark=programme.pass_mark,
        )
        before = participant.status
        if ok:
            participant.status = Status.PASSED
            if not participant.certificate_code:
                participant.certificate_code = verification_code(participant.pk, settings.SECRET_KEY)
                participant.certificate_issued_on = issued_on
            counts["lulus"] += 1
        else:
            participant.status = Status.ATTENDED if attended else Status.REGISTERED
            participant.certificate_code = None
            participant.certificate_issued_on = None
            counts["tidak_lulus"] += 1
        if participant.status != before:
            participant.save(update_fields=["status", "certificate_code", "certificate_issued_on", "updated_at"])
            audit_log(
                actor=actor,
                action="program.kelulusan",
                obj=participant,
                changes={"status": [before, participant.status]},
                regency_code=programme.regency_id,
            )
    return counts
