"""Writes of the Koperasi Award: categories (eligibility rule, criteria, judges, scoring settings),
nominations of eligible cooperatives, judges' scores and recusals, the panel's recorded decision, and
the department head's approval that freezes the calculation. Atomic and audited; a refusal raises
ValidationError with the reason in Indonesian and changes nothing."""

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.roles import DECIDERS
from apps.koperasi.models import Jenis
from apps.pengembangan.award_rules import calculate
from apps.pengembangan.models import (
    AwardCriterion,
    AwardScore,
    Category,
    CategoryStatus,
    Judge,
    Method,
    Nomination,
    Recusal,
    TieBreak,
)
from apps.pengembangan.selectors.award import calculation_input, eligibility, missing_scores


def _locked(category: Category) -> Category:
    return Category.objects.select_for_update().get(pk=category.pk)


def _not_frozen(category: Category) -> None:
    if category.status == CategoryStatus.DISETUJUI:
        raise ValidationError(_("Hasil kategori ini sudah disetujui dan dibekukan; tidak ada yang dapat diubah."))


@transaction.atomic
def category_create(
    *,
    tahun: int,
    regency_code: str,
    nama: str,
    jenis: list[str],
    tanggal_aktif: date,
    syarat_sehat: bool,
    tahun_rat: int | None,
    metode: str,
    bobot_objektif: Decimal,
    tie_breaks: list[str],
    jumlah_pemenang: int,
    kriteria: list[tuple[str, Decimal]],
    judges: list[Any],
    actor: Actor,
) -> Category:
    nama = " ".join(nama.split())
    if not nama:
        raise ValidationError({"nama": _("Nama kategori wajib diisi.")})
    if Category.objects.filter(tahun=tahun, regency_id=regency_code, nama=nama).exists():
        raise ValidationError({"nama": _("Kategori dengan nama ini sudah ada untuk tahun itu.")})
    if any(j not in Jenis.values for j in jenis):
        raise ValidationError({"jenis": _("Jenis koperasi tidak dikenal.")})
    if metode not in Method.values:
        raise ValidationError({"metode": _("Cara menghitung tidak dikenal.")})
    if not tie_breaks or any(t not in TieBreak.values for t in tie_breaks) or len(set(tie_breaks)) != len(tie_breaks):
        raise ValidationError({"tie_break_1": _("Urutan pemutus seri tidak valid.")})
    if not (0 <= bobot_objektif <= 100):
        raise ValidationError({"bobot_objektif": _("Bobot komponen objektif 0–100.")})
    if not kriteria or any(b <= 0 for _n, b in kriteria):
        raise ValidationError({"kriteria": _("Paling sedikit satu kriteria, setiap bobot lebih dari 0.")})
    category = Category.objects.create(
        tahun=tahun,
        regency_id=regency_code,
        nama=nama[:200],
        jenis=list(jenis),
        tanggal_aktif=tanggal_aktif,
        syarat_sehat=syarat_sehat,
        tahun_rat=tahun_rat,
        metode=metode,
        bobot_objektif=bobot_objektif,
        tie_breaks=list(tie_breaks),
        jumlah_pemenang=jumlah_pemenang,
    )
    for i, (name, bobot) in enumerate(kriteria, start=1):
        AwardCriterion.objects.create(category=category, nomor=i, nama=name, bobot=bobot)
    for user in judges:
        Judge.objects.create(category=category, user=user)
    audit_log(
        actor=actor,
        action="award_kategori.create",
        obj=category,
        changes={
            "tahun": tahun,
            "jenis": jenis,
            "tanggal_aktif": tanggal_aktif,
            "syarat_sehat": syarat_sehat,
            "tahun_rat": tahun_rat,
            "metode": metode,
            "bobot_objektif": bobot_objektif,
            "tie_breaks": tie_breaks,
            "kriteria": [[n, b] for n, b in kriteria],
            "juri": [u.pk for u in judges],
        },
    )
    return category


@transaction.atomic
def nomination_create(*, category: Category, koperasi: Any, alasan: str = "", actor: Actor) -> Nomination:
    """Nominate a cooperative; only while nominations are open, and only an eligible one."""
    category = _locked(category)
    if category.status != CategoryStatus.PERSIAPAN:
        raise ValidationError(_("Nominasi kategori ini sudah ditutup."))
    if Nomination.objects.filter(category=category, koperasi=koperasi).exists():
        raise ValidationError(_("%(k)s sudah dinominasikan di kategori ini.") % {"k": koperasi.nama})
    row = next((e for e in eligibility(category) if e.koperasi.pk == koperasi.pk), None)
    if row is None:
        raise ValidationError(_("%(k)s bukan koperasi terdaftar di wilayah kategori ini.") % {"k": koperasi.nama})
    if not row.eligible:
        raise ValidationError(
            _("%(k)s tidak memenuhi syarat: %(r)s.") % {"k": koperasi.nama, "r": "; ".join(row.reasons)}
        )
    nomination = Nomination.objects.create(
        category=category,
        koperasi=koperasi,
        alasan=alasan.strip(),
        dinominasikan_oleh=actor_user(actor),
    )
    audit_log(
        actor=actor,
        action="award_nominasi.create",
        obj=nomination,
        changes={"kategori": category.pk, "koperasi": koperasi.pk},
        regency_code=category.regency_id,
    )
    return nomination


@transaction.atomic
def category_start_judging(*, category: Category, actor: Actor) -> Category:
    category = _locked(category)
    if category.status != CategoryStatus.PERSIAPAN:
        raise ValidationError(_("Penjurian kategori ini sudah dimulai."))
    if not category.nominations.exists():
        raise ValidationError(_("Belum ada nominasi."))
    if not category.judges.exists():
        raise ValidationError(_("Belum ada juri."))
    category.status = CategoryStatus.PENJURIAN
    category.save(update_fields=["status"])
    audit_log(
        actor=actor, action="award_kategori.judging", obj=category, changes={"status": ["persiapan", "penjurian"]}
    )
    return category


def _judge_for(actor: Actor, nomination: Nomination) -> Judge:
    judge = Judge.objects.filter(category_id=nomination.category_id, user=actor_user(actor)).first()
    if judge is None:
        raise ValidationError(_("Anda bukan juri kategori ini."))
    return judge


@transaction.atomic
def award_scores_save(*, nomination: Nomination, values: dict[int, Decimal], actor: Actor) -> int:
    """A judge's scores for one entry: every criterion, each 0–100 (2 decimals)."""
    category = _locked(nomination.category)
    _not_frozen(category)
    if category.status != CategoryStatus.PENJURIAN:
        raise ValidationError(_("Penjurian kategori ini belum dimulai."))
    judge = _judge_for(actor, nomination)
    if Recusal.objects.filter(judge=judge, nomination=nomination).exists():
        raise ValidationError(_("Anda sudah mengundurkan diri dari penilaian entri ini."))
    criteria = {c.pk: c for c in category.criteria.all()}
    if set(values) != set(criteria):
        raise ValidationError(_("Isi nilai untuk setiap kriteria."))
    for cid, v in values.items():
        if v is None or not Decimal(v).is_finite() or not (0 <= Decimal(v) <= 100):
            raise ValidationError({f"c{cid}": [_("Nilai harus antara 0 dan 100.")]})
        if Decimal(v) != Decimal(v).quantize(Decimal("0.01")):
            raise ValidationError({f"c{cid}": [_("Nilai paling banyak 2 angka di belakang koma.")]})
    changes: dict[str, Any] = {}
    existing = {s.criterion_id: s for s in AwardScore.objects.filter(nomination=nomination, judge=judge)}
    for cid, v in values.items():
        v = Decimal(v)
        score = existing.get(cid)
        if score is None:
            AwardScore.objects.create(nomination=nomination, judge=judge, criterion_id=cid, nilai=v)
            changes[criteria[cid].nama] = [None, v]
        elif score.nilai != v:
            changes[criteria[cid].nama] = [score.nilai, v]
            score.nilai = v
            score.save(update_fields=["nilai", "updated_at"])
    if changes:
        audit_log(
            actor=actor, action="award_nilai.save", obj=nomination, changes=changes, regency_code=category.regency_id
        )
    return len(changes)


@transaction.atomic
def judge_recuse(*, nomination: Nomination, alasan: str, actor: Actor) -> Recusal:
    """A judge withdraws from an entry (conflict of interest); scores they gave it are removed."""
    category = _locked(nomination.category)
    _not_frozen(category)
    judge = _judge_for(actor, nomination)
    alasan = " ".join(alasan.split())
    if not alasan:
        raise ValidationError({"alasan": _("Tuliskan alasannya.")})
    if Recusal.objects.filter(judge=judge, nomination=nomination).exists():
        raise ValidationError(_("Anda sudah mengundurkan diri dari penilaian entri ini."))
    removed = AwardScore.objects.filter(nomination=nomination, judge=judge).delete()[0]
    recusal = Recusal.objects.create(judge=judge, nomination=nomination, alasan=alasan[:500])
    audit_log(
        actor=actor,
        action="award_juri.recuse",
        obj=nomination,
        changes={"juri": judge.user_id, "alasan": alasan, "nilai_dihapus": removed},
        regency_code=category.regency_id,
    )
    return recusal


@transaction.atomic
def panel_decision_record(*, nomination: Nomination, urutan_panel: int, catatan: str, actor: Actor) -> Nomination:
    """The panel's decided order for tied entries (used only by the `panel` tie-break)."""
    category = _locked(nomination.category)
    _not_frozen(category)
    if urutan_panel < 1:
        raise ValidationError({"urutan_panel": _("Urutan dimulai dari 1.")})
    if not catatan.strip():
        raise ValidationError({"catatan_panel": _("Catat dasar keputusan panel.")})
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    before = [nomination.urutan_panel, nomination.catatan_panel]
    nomination.urutan_panel, nomination.catatan_panel = urutan_panel, catatan.strip()
    nomination.save(update_fields=["urutan_panel", "catatan_panel"])
    audit_log(
        actor=actor,
        action="award_panel.record",
        obj=nomination,
        changes={"urutan_panel": [before[0], urutan_panel], "catatan_panel": [before[1], catatan.strip()]},
        regency_code=category.regency_id,
    )
    return nomination


@transaction.atomic
def category_approve(*, category: Category, actor: Actor) -> Category:
    """The department head approves the results: the calculation is stored whole and frozen, ranks and
    final scores are written on the entries, and the winners get a charter verification code."""
    if not actor.has_role(*DECIDERS):
        raise ValidationError(_("Hanya kepala dinas yang menyetujui hasil."))
    category = _locked(category)
    _not_frozen(category)
    if category.status != CategoryStatus.PENJURIAN:
        raise ValidationError(_("Penjurian kategori ini belum dimulai."))
    missing = missing_scores(category)
    if missing:
        raise ValidationError(
            _("Belum semua juri menilai semua entri: %(m)s.") % {"m": "; ".join(f"{e} ({j})" for e, j in missing)}
        )
    hasil = calculate(calculation_input(category))
    unscored = [e["nama"] for e in hasil["entri"] if e["peringkat"] is None]
    if unscored:
        raise ValidationError(_("Entri tanpa nilai juri: %(e)s.") % {"e": ", ".join(unscored)})
    unresolved = [e["nama"] for e in hasil["entri"] if e["seri_akhir"] and e["peringkat"] <= category.jumlah_pemenang]
    if unresolved:
        raise ValidationError(
            _("Masih seri di peringkat pemenang: %(e)s. Catat keputusan panel atau atur pemutus seri.")
            % {"e": ", ".join(unresolved)}
        )
    by_id = {e["id"]: e for e in hasil["entri"]}
    for n in Nomination.objects.select_for_update().filter(category=category):
        line = by_id[n.pk]
        n.peringkat = line["peringkat"]
        n.nilai_akhir = Decimal(line["nilai_akhir"]).quantize(Decimal("0.0001"))
        if n.peringkat <= category.jumlah_pemenang:
            n.kode_verifikasi = secrets.token_hex(8).upper()
        n.save(update_fields=["peringkat", "nilai_akhir", "kode_verifikasi"])
    category.hasil = hasil
    category.status = CategoryStatus.DISETUJUI
    category.disetujui_oleh = actor_user(actor)
    category.disetujui_pada = timezone.now()
    category.save(update_fields=["hasil", "status", "disetujui_oleh", "disetujui_pada"])
    audit_log(
        actor=actor,
        action="award_kategori.approve",
        obj=category,
        changes={"peringkat": [[e["nama"], e["peringkat"], e["nilai_akhir"]] for e in hasil["entri"]]},
    )
    return category
