"""Packaging aid (bantuan kemasan, SPEC §10): the call's criteria, applications with photos, reviewers and
their scores (0–5 per criterion, weighted; recusal), the ranking with the configured tie-breaks, the
department head's selection within quota and budget, and the delivery with its handover record (BAST).

Writes are `<entity>_<verb>` services (atomic, audited); `ranking` is the one read of the scores.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from apps.accounts.selectors import user_regency_codes
from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import number_id, rupiah
from apps.core.roles import DECIDERS, STAFF
from apps.core.uploads import IMAGE_KINDS, check_upload, protected_storage
from apps.program.models import (
    Application,
    ApplicationPhoto,
    Criterion,
    Delivery,
    Kind,
    Participant,
    PhotoKind,
    Programme,
    Review,
    ReviewScore,
    Source,
    Status,
)
from apps.program.notifications import mail_decision
from apps.program.rules import RankEntry, application_score, rank, suggest_selection, weighted_total
from apps.program.services import eligibility_errors, registration_open
from apps.umkm.models import KELAS_RANK, BusinessYear

PHOTO_MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 6


def _require_packaging(programme: Programme) -> None:
    if programme.kind != Kind.PACKAGING:
        raise ValidationError(_("Kegiatan ini bukan bantuan kemasan."))


@transaction.atomic
def criteria_set(*, programme: Programme, rows: list[tuple[str, Any]], actor: Actor) -> list[Criterion]:
    """Replace the call's criteria (name, weight > 0). Refused once a score has been given."""
    _require_packaging(programme)
    if ReviewScore.objects.filter(criterion__programme=programme).exists():
        raise ValidationError(_("Kriteria tidak dapat diubah setelah ada penilaian."))
    if not rows:
        raise ValidationError(_("Isi paling sedikit satu kriteria."))
    before = list(programme.criteria.values_list("name", "weight"))
    programme.criteria.all().delete()
    created = [
        Criterion.objects.create(programme=programme, name=name[:150], weight=weight, position=i)
        for i, (name, weight) in enumerate(rows)
    ]
    audit_log(
        actor=actor,
        action="program.kriteria_atur",
        obj=programme,
        changes={"kriteria": [[f"{n} ({w})" for n, w in before], [f"{c.name} ({c.weight})" for c in created]]},
        regency_code=programme.regency_id,
    )
    return created


PHOTO_MESSAGES = {
    "kind": gettext_lazy("Berkas ini bukan gambar yang dapat dibaca (JPG, PNG atau WebP)."),
    "size": gettext_lazy("Foto terlalu besar (maksimal 8 MB)."),
}


def _jpeg(upload: Any) -> tuple[bytes, int, int]:
    """Check the upload by content (`apps.core.uploads.check_upload`: decoded, never by its name) and
    re-encode it as a JPEG of at most 1600 px."""
    checked = check_upload(upload, kinds=IMAGE_KINDS, max_bytes=PHOTO_MAX_BYTES, messages=PHOTO_MESSAGES)
    with Image.open(io.BytesIO(checked.content)) as decoded:
        image = decoded.convert("RGB")
    image.thumbnail((1600, 1600))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue(), image.width, image.height


def _photos_encode(uploads: list[Any]) -> list[tuple[bytes, int, int]]:
    """Check and re-encode every photo before anything is written, so a bad one stores none of them."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(_("Maksimal %(n)s foto.") % {"n": MAX_PHOTOS})
    return [_jpeg(upload) for upload in uploads]


@contextmanager
def _photos_stored(stored: list[str]) -> Iterator[None]:
    """Delete the files written in the block when it fails (the rows roll back; the files would stay)."""
    try:
        yield
    except BaseException:
        for name in stored:
            protected_storage().delete(name)
        raise


def _photo_add(
    application: Application, encoded: tuple[bytes, int, int], kind: str, stored: list[str]
) -> ApplicationPhoto:
    if application.photos.filter(kind=kind).count() >= MAX_PHOTOS:
        raise ValidationError(_("Maksimal %(n)s foto.") % {"n": MAX_PHOTOS})
    data, width, height = encoded
    photo = ApplicationPhoto(application=application, kind=kind, width=width, height=height)
    photo.image.save("foto.jpg", ContentFile(data), save=False)  # ProtectedFileField: a random name
    stored.append(str(photo.image.name))
    photo.save()
    return photo


def application_submit(
    *,
    programme: Programme,
    business: Any,
    product: Any,
    product_name: str,
    need: str,
    quantity: int,
    estimated_cost: int,
    photos: list[Any],
    actor: Actor,
    source: str = Source.ONLINE,
    now: Any = None,
) -> Application:
    """An owner (or an operator on the spot) applies before the call's deadline, with photos of today's
    packaging. One application per business and call."""
    _require_packaging(programme)
    now = now or timezone.now()
    if source == Source.ONLINE and not registration_open(programme, now):
        raise ValidationError(_("Pendaftaran kegiatan ini tidak sedang dibuka."))
    errors = eligibility_errors(programme=programme, business=business)
    if errors:
        raise ValidationError(errors)
    if not photos:
        raise ValidationError(_("Lampirkan paling sedikit satu foto kemasan sekarang."))
    if product is not None and product.seller.business_id != business.pk:
        raise ValidationError(_("Produk itu bukan produk usaha ini."))
    encoded, stored = _photos_encode(photos), list[str]()
    with _photos_stored(stored), transaction.atomic():
        Programme.objects.select_for_update().get(pk=programme.pk)
        if Participant.objects.filter(programme=programme, business=business).exclude(status=Status.CANCELLED).exists():
            raise ValidationError(_("Usaha ini sudah mengajukan usulan pada kegiatan ini."))
        participant, _created = Participant.objects.update_or_create(
            programme=programme,
            business=business,
            defaults={
                "status": Status.REGISTERED,
                "source": source,
                "registered_at": now,
                "registered_by": actor_user(actor),
            },
        )
        Application.objects.filter(participant=participant).delete()
        application = Application.objects.create(
            participant=participant,
            product=product,
            product_name=product_name[:200],
            need=need,
            quantity=quantity,
            estimated_cost=estimated_cost,
            submitted_at=now,
        )
        for photo in encoded:
            _photo_add(application, photo, PhotoKind.BEFORE, stored)
        audit_log(
            actor=actor,
            action="program.usulan_kirim",
            obj=participant,
            changes={"produk": [None, application.product_name], "biaya": [None, estimated_cost]},
            regency_code=programme.regency_id,
        )
    return application


@transaction.atomic
def reviewer_assign(*, application: Application, reviewer: Any, actor: Actor) -> Review:
    programme = application.participant.programme
    if not reviewer.has_role(*STAFF):
        raise ValidationError(_("Penilai harus petugas dinas."))

    codes = user_regency_codes(reviewer)
    if codes is not None and programme.regency_id not in codes:
        raise ValidationError(_("Penilai tidak bertugas di kabupaten/kota kegiatan ini."))
    review, created = Review.objects.get_or_create(application=application, reviewer=reviewer)
    if created:
        audit_log(
            actor=actor,
            action="program.penilai_tugaskan",
            obj=application.participant,
            changes={"penilai": [None, reviewer.username]},
            regency_code=programme.regency_id,
        )
    return review


@transaction.atomic
def review_submit(*, review: Review, scores: dict[int, int], actor: Actor) -> Review:
    """The reviewer's scores, 0–5 for every criterion of the call. Only the assigned reviewer; a selection
    already made freezes the scores."""
    if review.reviewer_id != getattr(actor, "pk", None):
        raise ValidationError(_("Hanya penilai yang ditugaskan yang dapat menilai."))
    if review.recused:
        raise ValidationError(_("Anda sudah mengundurkan diri dari usulan ini."))
    participant = (
        Participant.objects.select_for_update().select_related("programme").get(pk=review.application.participant_id)
    )
    if participant.status != Status.REGISTERED:
        raise ValidationError(_("Seleksi sudah diputuskan; nilai tidak dapat diubah."))
    criteria = list(participant.programme.criteria.all())
    if not criteria:
        raise ValidationError(_("Kegiatan ini belum memiliki kriteria penilaian."))
    for c in criteria:
        value = scores.get(c.pk)
        if value is None or not 0 <= value <= 5:
            raise ValidationError(_("Nilai %(c)s harus 0 sampai 5.") % {"c": c.name})
    before = {s.criterion_id: s.score for s in review.scores.all()}
    for c in criteria:
        ReviewScore.objects.update_or_create(review=review, criterion=c, defaults={"score": scores[c.pk]})
    review.submitted_at = timezone.now()
    review.save(update_fields=["submitted_at"])
    audit_log(
        actor=actor,
        action="program.usulan_nilai",
        obj=participant,
        changes={"nilai": [before or None, {c.name: scores[c.pk] for c in criteria}]},
        regency_code=participant.programme.regency_id,
    )
    return review


@transaction.atomic
def review_recuse(*, review: Review, reason: str, actor: Actor) -> Review:
    """A reviewer with a conflict of interest steps aside (their scores, if any, no longer count)."""
    if review.reviewer_id != getattr(actor, "pk", None):
        raise ValidationError(_("Hanya penilai yang ditugaskan yang dapat mengundurkan diri."))
    if not reason.strip():
        raise ValidationError(_("Tuliskan konflik kepentingannya."))
    review.recused = True
    review.recusal_reason = reason.strip()[:300]
    review.save(update_fields=["recused", "recusal_reason"])
    review.scores.all().delete()
    audit_log(
        actor=actor,
        action="program.penilai_mundur",
        obj=review.application.participant,
        changes={"alasan": [None, review.recusal_reason]},
        regency_code=review.application.participant.programme.regency_id,
    )
    return review


@dataclass
class Ranked:
    rank: int | None
    application: Application
    score: Fraction | None
    totals: list[Fraction]
    reviews_done: int
    reviews_needed: int
    kelas: str | None
    # page annotations (views_packaging.packaging_context)
    suggested: bool = False
    selected: bool = False
    reviewer_names: list[tuple[str, bool, bool]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.reviews_done >= self.reviews_needed

    @property
    def score_text(self) -> str:
        if self.score is None:
            return "–"
        whole = round(self.score * 100)
        return f"{number_id(whole // 100)},{whole % 100:02d}"


def ranking(programme: Programme) -> list[Ranked]:
    """Every application with its score (mean of the non-recused reviewers' weighted totals) and rank
    among the applications with enough reviews, by the call's tie-breaks. The business class is that of
    its latest registry record up to the year before the call."""
    weights = {c.pk: c.weight for c in programme.criteria.all()}
    applications = list(
        Application.objects.filter(participant__programme=programme)
        .exclude(participant__status=Status.CANCELLED)
        .select_related("participant__business__owner", "product")
        .prefetch_related("reviews__scores")
        .order_by("submitted_at", "pk")
    )
    business_ids = [a.participant.business_id for a in applications]
    kelas: dict[int, str] = {}
    for business_id, k in (
        BusinessYear.objects.filter(business_id__in=business_ids, year__lt=programme.start_date.year)
        .order_by("business_id", "year")
        .values_list("business_id", "kelas")
    ):
        kelas[business_id] = k  # the last (latest year) wins
    rows: list[Ranked] = []
    for a in applications:
        totals = []
        for review in a.reviews.all():
            if review.recused or review.submitted_at is None:
                continue
            scores = {s.criterion_id: s.score for s in review.scores.all()}
            if set(scores) >= set(weights):
                totals.append(weighted_total(scores, weights))
        rows.append(
            Ranked(
                rank=None,
                application=a,
                score=application_score(totals),
                totals=totals,
                reviews_done=len(totals),
                reviews_needed=programme.min_reviewers,
                kelas=kelas.get(a.participant.business_id),
            )
        )
    complete = [r for r in rows if r.complete and r.score is not None]
    entries = [
        RankEntry(
            key=r.application.pk,
            score=r.score or Fraction(0),
            kelas_rank=KELAS_RANK.get(r.kelas or "", 9),
            submitted_at=r.application.submitted_at,
        )
        for r in complete
    ]
    positions = {e.key: n for n, e in rank(entries, programme.tie_breaks or ["skor", "kelas", "waktu"])}
    for r in rows:
        r.rank = positions.get(r.application.pk)
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.application.submitted_at))


def selection_suggestion(programme: Programme, rows: list[Ranked]) -> list[int]:
    ranked = [(r.application.pk, r.application.estimated_cost) for r in rows if r.rank is not None]
    return suggest_selection(ranked, quota=programme.quota, budget=programme.budget or None)


@transaction.atomic
def selection_decide(*, programme: Programme, application_ids: list[int], actor: Actor) -> dict[str, int]:
    """The department head selects within quota and budget: the chosen become `diterima`, the other
    ranked applications `ditolak`. Every chosen one needs its reviews complete."""
    _require_packaging(programme)
    if not actor.has_role(*DECIDERS):
        raise ValidationError(_("Seleksi diputuskan oleh kepala dinas."))
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    rows = {r.application.pk: r for r in ranking(programme)}
    chosen = [rows[i] for i in application_ids if i in rows]
    if len(chosen) != len(set(application_ids)):
        raise ValidationError(_("Ada usulan yang tidak dikenal pada kegiatan ini."))
    if any(r.rank is None for r in chosen):
        raise ValidationError(_("Usulan yang dipilih harus sudah dinilai lengkap."))
    if programme.quota is not None and len(chosen) > programme.quota:
        raise ValidationError(
            _("Melebihi kuota: %(n)s dipilih, kuota %(q)s.") % {"n": len(chosen), "q": programme.quota}
        )
    cost = sum(r.application.estimated_cost for r in chosen)
    if programme.budget and cost > programme.budget:
        raise ValidationError(
            _("Melebihi pagu: %(c)s dipilih, pagu %(b)s.") % {"c": rupiah(cost), "b": rupiah(programme.budget)}
        )
    counts = {"diterima": 0, "ditolak": 0}
    chosen_ids = {r.application.pk for r in chosen}
    for r in rows.values():
        participant = r.application.participant
        if participant.status not in (Status.REGISTERED, Status.ACCEPTED, Status.REJECTED):
            continue  # delivered or cancelled: kept
        status = Status.ACCEPTED if r.application.pk in chosen_ids else Status.REJECTED
        counts["diterima" if status == Status.ACCEPTED else "ditolak"] += 1
        if participant.status != status:
            before = participant.status
            participant.status = status
            participant.save(update_fields=["status", "updated_at"])
            audit_log(
                actor=actor,
                action="program.usulan_seleksi",
                obj=participant,
                changes={"status": [before, status], "peringkat": [None, r.rank]},
                regency_code=programme.regency_id,
            )
            mail_decision(participant, reason=_rejection_reason(r, len(rows), programme))
    return counts


def _rejection_reason(row: "Ranked", ranked: int, programme: Programme) -> str:
    """Why an application was not selected, in the words the applicant receives."""
    if row.rank is None:
        return _("penilaian usulan belum lengkap saat seleksi")
    return _("usulan Anda di peringkat %(rank)s dari %(n)s; yang dipilih sebatas kuota dan pagu kegiatan") % {
        "rank": row.rank,
        "n": ranked,
    }


def _bast_number(programme: Programme, handover: date) -> str:
    n = Delivery.objects.filter(application__participant__programme__regency_id=programme.regency_id).count() + 1
    while True:
        number = f"BAST/KMS/{programme.regency_id}/{handover.year}/{n:04d}"
        if not Delivery.objects.filter(bast_number=number).exists():
            return number
        n += 1


def delivery_record(
    *,
    application: Application,
    design_approved_on: date,
    quantity: int,
    vendor: str,
    unit_cost: int,
    handover_date: date,
    product: Any,
    photos: list[Any],
    actor: Actor,
) -> Delivery:
    """Hand over the new packaging of a selected application: the participant becomes `diserahkan`."""
    participant = application.participant
    if participant.status != Status.ACCEPTED:
        raise ValidationError(_("Hanya usulan yang diterima yang dapat diserahkan."))
    if handover_date < design_approved_on:
        raise ValidationError(_("Serah terima tidak boleh sebelum desain disetujui."))
    if quantity <= 0 or unit_cost < 0:
        raise ValidationError(_("Jumlah harus lebih dari 0 dan harga satuan tidak negatif."))
    if product is not None and product.seller.business_id != participant.business_id:
        raise ValidationError(_("Produk itu bukan produk usaha penerima."))
    encoded, stored = _photos_encode(photos), list[str]()
    with _photos_stored(stored), transaction.atomic():
        delivery = Delivery.objects.create(
            application=application,
            design_approved_on=design_approved_on,
            quantity=quantity,
            vendor=vendor[:200],
            unit_cost=unit_cost,
            handover_date=handover_date,
            bast_number=_bast_number(participant.programme, handover_date),
            product=product,
            recorded_by=actor_user(actor),
        )
        for photo in encoded:
            _photo_add(application, photo, PhotoKind.AFTER, stored)
        participant.status = Status.DELIVERED
        participant.save(update_fields=["status", "updated_at"])
        audit_log(
            actor=actor,
            action="program.kemasan_serah",
            obj=participant,
            changes={"status": [Status.ACCEPTED, Status.DELIVERED], "bast": [None, delivery.bast_number]},
            regency_code=participant.programme.regency_id,
        )
    return delivery


def product_packaging(product: Any) -> list[dict[str, Any]]:
    """Before/after photos of the packaging aid a store product received (for its public page)."""
    rows = []
    for delivery in (
        Delivery.objects.filter(product=product)
        .select_related("application__participant__programme")
        .prefetch_related("application__photos")
        .order_by("handover_date")
    ):
        photos = list(delivery.application.photos.all())
        rows.append(
            {
                "delivery": delivery,
                "programme": delivery.application.participant.programme,
                "before": [p for p in photos if p.kind == PhotoKind.BEFORE],
                "after": [p for p in photos if p.kind == PhotoKind.AFTER],
            }
        )
    return rows
