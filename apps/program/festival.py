"""Festivals and exhibitions (SPEC §10): the booth plan, sellers' applications, allocation (one booth per
seller, categories spread), moves by an operator, check-in, and sales per booth per day booked as omzet
on channel `festival` through the omzet domain's service (so the ledger and the report include them)."""

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import WIB
from apps.omzet.services import OmzetError, omzet_record_sale
from apps.program.models import Booth, BoothSale, Exhibitor, Kind, Participant, Programme, Source, Status
from apps.program.notifications import mail_decision
from apps.program.rules import spread_by_category
from apps.program.services import eligibility_errors, registration_open


def _require_festival(programme: Programme) -> None:
    if programme.kind != Kind.FESTIVAL:
        raise ValidationError(_("Kegiatan ini bukan festival/pameran."))


@transaction.atomic
def booths_generate(*, programme: Programme, zones: list[str], rows: int, per_row: int, actor: Actor) -> int:
    """Add booths zone × row × number (existing positions are kept). Returns how many were added."""
    _require_festival(programme)
    if not zones or rows < 1 or per_row < 1 or len(zones) * rows * per_row > 1000:
        raise ValidationError(_("Denah harus berisi 1 sampai 1.000 stan."))
    added = 0
    for zone in zones:
        for row in range(1, rows + 1):
            for number in range(1, per_row + 1):
                _booth, created = Booth.objects.get_or_create(
                    programme=programme, zone=zone[:20], row=row, number=number
                )
                added += int(created)
    audit_log(
        actor=actor,
        action="program.denah_buat",
        obj=programme,
        changes={"stan": [None, added]},
        regency_code=programme.regency_id,
    )
    return added


def exhibitor_apply(
    *, programme: Programme, seller: Any, category: Any, actor: Actor, source: str = Source.ONLINE, now: Any = None
) -> Exhibitor:
    """A verified seller applies (or an operator enrols it): one application per seller and festival."""
    _require_festival(programme)
    now = now or timezone.now()
    if source == Source.ONLINE and not registration_open(programme, now):
        raise ValidationError(_("Pendaftaran kegiatan ini tidak sedang dibuka."))
    if seller.status != "terverifikasi":
        raise ValidationError(_("Hanya penjual terverifikasi yang dapat mendaftar pameran."))
    errors = eligibility_errors(programme=programme, business=seller.business)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        if (
            Participant.objects.filter(programme=programme, business=seller.business)
            .exclude(status=Status.CANCELLED)
            .exists()
        ):
            raise ValidationError(_("Penjual ini sudah mendaftar di pameran ini."))
        participant, _created = Participant.objects.update_or_create(
            programme=programme,
            business=seller.business,
            defaults={
                "status": Status.REGISTERED,
                "source": source,
                "registered_at": now,
                "registered_by": actor_user(actor),
            },
        )
        Exhibitor.objects.filter(participant=participant).delete()
        exhibitor = Exhibitor.objects.create(participant=participant, seller=seller, category=category)
        audit_log(
            actor=actor,
            action="program.pameran_daftar",
            obj=participant,
            changes={"kategori": [None, category.name]},
            regency_code=programme.regency_id,
        )
    return exhibitor


@transaction.atomic
def exhibitor_decide(*, exhibitor: Exhibitor, accept: bool, actor: Actor, reason: str = "") -> Exhibitor:
    """Accept or reject a seller's application; the seller is mailed the decision (with the reason when
    rejected)."""
    exhibitor = Exhibitor.objects.select_for_update().select_related("participant__programme").get(pk=exhibitor.pk)
    participant = exhibitor.participant
    if participant.status not in (Status.REGISTERED, Status.ACCEPTED, Status.REJECTED):
        raise ValidationError(_("Status peserta ini tidak dapat diubah lagi."))
    before = participant.status
    participant.status = Status.ACCEPTED if accept else Status.REJECTED
    participant.save(update_fields=["status", "updated_at"])
    if not accept and exhibitor.booth_id:
        exhibitor.booth = None
        exhibitor.save(update_fields=["booth"])
    audit_log(
        actor=actor,
        action="program.pameran_putus",
        obj=participant,
        changes={"status": [before, participant.status], "alasan": [None, reason[:300] or None]},
        regency_code=participant.programme.regency_id,
    )
    if participant.status != before:
        if reason:
            participant.note = reason[:300]
            participant.save(update_fields=["note", "updated_at"])
        mail_decision(participant, reason=reason)
    return exhibitor


@transaction.atomic
def booths_allocate(*, programme: Programme, actor: Actor) -> int:
    """Give every accepted exhibitor without a booth one of the free booths, in plan order (zone, row,
    number), exhibitors ordered so that categories are spread. Booths already given are kept."""
    _require_festival(programme)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    free = list(Booth.objects.filter(programme=programme, exhibitor__isnull=True).order_by("zone", "row", "number"))
    waiting = list(
        Exhibitor.objects.filter(
            participant__programme=programme,
            participant__status__in=(Status.ACCEPTED, Status.ATTENDED),
            booth__isnull=True,
        )
        .select_related("participant")
        .order_by("participant__registered_at", "pk")
    )
    if len(waiting) > len(free):
        raise ValidationError(
            _("Stan kurang: %(n)s peserta belum mendapat stan, %(f)s stan kosong.")
            % {"n": len(waiting), "f": len(free)}
        )
    by_key = {e.pk: e for e in waiting}
    order = spread_by_category([(e.pk, e.category_id) for e in waiting])
    for booth, key in zip(free, order, strict=False):
        exhibitor = by_key[key]
        exhibitor.booth = booth
        exhibitor.save(update_fields=["booth"])
        audit_log(
            actor=actor,
            action="program.stan_bagi",
            obj=exhibitor.participant,
            changes={"stan": [None, booth.label]},
            regency_code=programme.regency_id,
        )
    return len(order)


@transaction.atomic
def booth_move(*, exhibitor: Exhibitor, booth: Booth, actor: Actor) -> Exhibitor:
    """An operator moves an exhibitor to another booth; an occupant of that booth swaps places."""
    if booth.programme_id != exhibitor.participant.programme_id:
        raise ValidationError(_("Stan itu bukan stan pameran ini."))
    exhibitor = Exhibitor.objects.select_for_update().get(pk=exhibitor.pk)
    old = exhibitor.booth
    occupant = Exhibitor.objects.select_for_update().filter(booth=booth).exclude(pk=exhibitor.pk).first()
    if occupant is not None:
        occupant.booth = None
        occupant.save(update_fields=["booth"])
    exhibitor.booth = booth
    exhibitor.save(update_fields=["booth"])
    if occupant is not None and old is not None:
        occupant.booth = old
        occupant.save(update_fields=["booth"])
    audit_log(
        actor=actor,
        action="program.stan_pindah",
        obj=exhibitor.participant,
        changes={"stan": [old.label if old else None, booth.label]},
        regency_code=booth.programme.regency_id,
    )
    return exhibitor


@transaction.atomic
def exhibitor_checkin(*, exhibitor: Exhibitor, actor: Actor, now: datetime | None = None) -> Exhibitor:
    exhibitor = Exhibitor.objects.select_for_update().select_related("participant__programme").get(pk=exhibitor.pk)
    participant = exhibitor.participant
    if participant.status not in (Status.ACCEPTED, Status.ATTENDED):
        raise ValidationError(_("Hanya peserta yang diterima yang dapat check-in."))
    if exhibitor.booth_id is None:
        raise ValidationError(_("Peserta ini belum mendapat stan."))
    if exhibitor.checked_in_at is None:
        exhibitor.checked_in_at = now or timezone.now()
        exhibitor.save(update_fields=["checked_in_at"])
        participant.status = Status.ATTENDED
        participant.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="program.pameran_hadir",
            obj=participant,
            changes={"status": [Status.ACCEPTED, Status.ATTENDED]},
            regency_code=participant.programme.regency_id,
        )
    return exhibitor


def exhibitor_checkin_by_qr(*, programme: Programme, token: str, actor: Actor) -> tuple[Exhibitor, bool]:
    """Check in a booth holder by the QR code on their phone (the same code as a training's: the
    participant's check-in token, also as the end of a link); returns the exhibitor and whether it is new."""
    _require_festival(programme)
    token = token.strip().rsplit("/", 1)[-1]
    exhibitor = (
        Exhibitor.objects.select_related("participant", "seller", "booth")
        .filter(participant__programme=programme, participant__checkin_token=token)
        .first()
    )
    if exhibitor is None or not token:
        raise ValidationError(_("Kode QR tidak dikenal untuk pameran ini."))
    already = exhibitor.checked_in_at is not None
    return exhibitor_checkin(exhibitor=exhibitor, actor=actor), not already


def booth_sale_record(*, exhibitor: Exhibitor, day: date, amount: int, actor: Actor) -> BoothSale:
    """Sales of a booth on a festival day: one omzet line (channel `festival`, keyed on booth and day, so
    entering the day again corrects it), dated that day at the end of the festival's opening hours."""
    exhibitor = Exhibitor.objects.select_related("participant__programme", "booth", "seller").get(pk=exhibitor.pk)
    participant = exhibitor.participant
    programme = participant.programme
    if participant.status != Status.ATTENDED or exhibitor.checked_in_at is None:
        raise ValidationError(_("Penjualan dicatat untuk peserta yang sudah check-in."))
    if not programme.start_date <= day <= programme.end_date:
        raise ValidationError(_("Tanggal di luar hari pameran."))
    if amount < 0:
        raise ValidationError(_("Penjualan tidak boleh negatif."))
    with transaction.atomic():
        try:
            line = omzet_record_sale(
                source_key=f"festival:{exhibitor.pk}:{day.isoformat()}",
                channel_code="festival",
                regency_code=programme.regency_id,
                seller=exhibitor.seller,
                product_name=_("Penjualan stan %(s)s, %(p)s")
                % {"s": exhibitor.booth.label if exhibitor.booth else "–", "p": programme.title},
                quantity=1 if amount else 0,
                amount=amount,
                counted_at=datetime.combine(day, time(21, 0), tzinfo=WIB),
                actor=actor,
            )
        except OmzetError as exc:
            raise ValidationError(str(exc)) from exc
        sale, created = BoothSale.objects.update_or_create(
            exhibitor=exhibitor,
            date=day,
            defaults={
                "amount": amount,
                "omzet_line": line,
                "recorded_by": actor_user(actor),
            },
        )
        audit_log(
            actor=actor,
            action="program.stan_jual",
            obj=participant,
            changes={"tanggal": day.isoformat(), "penjualan": amount},
            regency_code=programme.regency_id,
        )
    return sale


def booth_plan(programme: Programme) -> list[dict[str, Any]]:
    """The plan for drawing: zones, each with its rows of booths (and who is in each)."""
    zones: dict[str, dict[int, list[Booth]]] = {}
    for booth in (
        Booth.objects.filter(programme=programme)
        .select_related("exhibitor__seller", "exhibitor__category", "exhibitor__participant")
        .order_by("zone", "row", "number")
    ):
        zones.setdefault(booth.zone, {}).setdefault(booth.row, []).append(booth)
    return [{"zone": z, "rows": [rows[r] for r in sorted(rows)]} for z, rows in zones.items()]
