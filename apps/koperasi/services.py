"""Writes of cooperative supervision. Each service runs in one transaction with one audit entry, except
`assessments_recompute` (its callers own both) and `pdf_check` (a check, no write)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.uploads import CheckedFile, check_upload
from apps.koperasi.models import (
    FINANCIAL_FIELDS,
    Assessment,
    Koperasi,
    LangkahJenis,
    LaporanRiwayat,
    LaporanTahunan,
    PembubaranLangkah,
    PembubaranProses,
    ProsesStatus,
    ReportSource,
    ReportStatus,
    ScoringTable,
)
from apps.koperasi.questionnaire import questionnaire_score
from apps.koperasi.rules import add_months, batas_keberatan, batas_keputusan_pembubaran
from apps.koperasi.scoring import TableDef, assess, missing_fields, stored, total_shown
from apps.koperasi.selectors import proses_dates, scoring_table_current, table_def

PDF_MAX_BYTES = 5 * 1024 * 1024
PDF_MESSAGES = {"kind": gettext_lazy("Dokumen harus berkas PDF."), "size": gettext_lazy("Dokumen paling besar 5 MB.")}


# ---------------------------------------------------------------- assessments


def _assessment_for(
    laporan: LaporanTahunan, table: ScoringTable, tdef: TableDef, actor: Actor | None
) -> Assessment | None:
    """An unsaved assessment of a report, or None when a figure the table needs is missing."""
    koperasi = laporan.koperasi
    inputs = laporan.inputs()
    lending = koperasi.is_lending
    if missing_fields(tdef, inputs, lending):
        return None
    result = assess(tdef, inputs, simpan_pinjam=lending)
    return Assessment(
        koperasi=koperasi,
        tahun_buku=laporan.tahun_buku,
        laporan=laporan,
        table=table,
        versi=table.versi,
        simpan_pinjam=lending,
        masukan={k: (None if v is None else str(v)) for k, v in inputs.items()},
        baris=result.baris,
        total=stored(result.total),
        total_tampil=str(total_shown(result.total, tdef.predikat)),
        predikat=result.predikat.kode,
        predikat_label=result.predikat.label,
        sehat=result.predikat.sehat,
        catatan=result.catatan,
        dinilai_oleh=actor_user(actor),
    )


def assessments_recompute(
    *, laporan_list: list[LaporanTahunan], actor: Actor | None, table: ScoringTable | None = None
) -> int:
    """(Re)compute the assessments of these accepted reports with the current table, in bulk.

    A report lacking a figure the table needs loses any stale assessment. Returns how many were written.
    Callers own the transaction and the audit entry (an import run, a review decision).
    """
    table = table or scoring_table_current()
    tdef = table_def(table)
    new = []
    for laporan in laporan_list:
        if laporan.status != ReportStatus.DITERIMA:
            continue
        a = _assessment_for(laporan, table, tdef, actor)
        if a is not None:
            new.append(a)
    pairs = {(lap.koperasi_id, lap.tahun_buku) for lap in laporan_list}
    by_year: dict[int, list[int]] = {}
    for koperasi_id, year in pairs:
        by_year.setdefault(year, []).append(koperasi_id)
    for year, ids in by_year.items():
        Assessment.objects.filter(tahun_buku=year, koperasi_id__in=ids).delete()
    Assessment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def assessment_compute(*, laporan: LaporanTahunan, actor: Actor) -> Assessment | None:
    """Score one accepted report with the current table version; None when figures are missing."""
    assessments_recompute(laporan_list=[laporan], actor=actor)
    a = Assessment.objects.filter(koperasi=laporan.koperasi, tahun_buku=laporan.tahun_buku).first()
    audit_log(
        actor=actor,
        action="koperasi.assessment_compute",
        obj=laporan.koperasi,
        changes={"tahun_buku": laporan.tahun_buku, "predikat": a.predikat_label if a else None},
    )
    return a


# ---------------------------------------------------------------- annual reports (online)


@transaction.atomic
def laporan_submit(
    *,
    koperasi: Koperasi,
    tahun_buku: int,
    tanggal_rat: date | None,
    jumlah_anggota: int | None,
    figures: dict[str, int | None],
    kuesioner: dict[str, bool],
    actor: Actor,
) -> LaporanTahunan:
    """A cooperative officer submits (or resubmits after a return) the report of a book year."""
    existing = LaporanTahunan.objects.select_for_update().filter(koperasi=koperasi, tahun_buku=tahun_buku).first()
    if existing is not None and existing.status == ReportStatus.DITERIMA:
        raise ValidationError(
            _("Laporan tahun buku %(y)s sudah diterima dinas dan tidak dapat diubah.") % {"y": tahun_buku}
        )
    if tanggal_rat is not None and tanggal_rat < date(tahun_buku, 1, 1):
        raise ValidationError(_("Tanggal RAT tidak boleh sebelum awal tahun buku."))
    if tanggal_rat is not None and tanggal_rat > timezone.localdate():
        raise ValidationError(_("Tanggal RAT tidak boleh di masa depan."))
    laporan = existing or LaporanTahunan(koperasi=koperasi, tahun_buku=tahun_buku)
    before = laporan.status if existing else None
    laporan.tanggal_rat = tanggal_rat
    laporan.jumlah_anggota = jumlah_anggota
    for name in FINANCIAL_FIELDS:
        setattr(laporan, name, figures.get(name))
    laporan.kuesioner_manajemen = {k: bool(v) for k, v in kuesioner.items()}
    laporan.skor_manajemen = Decimal(questionnaire_score(kuesioner))
    laporan.status = ReportStatus.DIAJUKAN
    laporan.sumber = ReportSource.DARING
    laporan.diajukan_oleh = actor_user(actor)
    laporan.diajukan_pada = timezone.now()
    laporan.full_clean()
    laporan.save()
    LaporanRiwayat.objects.create(laporan=laporan, status=ReportStatus.DIAJUKAN, actor=actor_user(actor))
    audit_log(
        actor=actor,
        action="koperasi.laporan_submit",
        obj=laporan,
        changes={"status": [before, ReportStatus.DIAJUKAN], "tahun_buku": tahun_buku},
        regency_code=koperasi.regency_id,
    )
    return laporan


def _review_target(laporan: LaporanTahunan) -> LaporanTahunan:
    locked = LaporanTahunan.objects.select_for_update().select_related("koperasi").get(pk=laporan.pk)
    if locked.status != ReportStatus.DIAJUKAN:
        raise ValidationError(_("Hanya laporan berstatus diajukan yang dapat ditinjau."))
    return locked


@transaction.atomic
def laporan_return(*, laporan: LaporanTahunan, catatan: str, actor: Actor) -> LaporanTahunan:
    """The department returns a submitted report with notes for the cooperative to correct."""
    if not catatan.strip():
        raise ValidationError(_("Tuliskan catatan perbaikan untuk pengurus koperasi."))
    laporan = _review_target(laporan)
    laporan.status = ReportStatus.DIKEMBALIKAN
    laporan.catatan_review = catatan.strip()
    laporan.ditinjau_oleh = actor_user(actor)
    laporan.ditinjau_pada = timezone.now()
    laporan.save()
    LaporanRiwayat.objects.create(
        laporan=laporan, status=ReportStatus.DIKEMBALIKAN, catatan=catatan.strip(), actor=actor_user(actor)
    )
    audit_log(
        actor=actor,
        action="koperasi.laporan_return",
        obj=laporan,
        changes={"status": [ReportStatus.DIAJUKAN, ReportStatus.DIKEMBALIKAN], "catatan": catatan.strip()},
        regency_code=laporan.koperasi.regency_id,
    )
    return laporan


@transaction.atomic
def laporan_accept(*, laporan: LaporanTahunan, actor: Actor, catatan: str = "") -> Assessment | None:
    """The department accepts a submitted report; its assessment is computed with the current table."""
    laporan = _review_target(laporan)
    laporan.status = ReportStatus.DITERIMA
    laporan.catatan_review = catatan.strip()
    laporan.ditinjau_oleh = actor_user(actor)
    laporan.ditinjau_pada = timezone.now()
    laporan.save()
    LaporanRiwayat.objects.create(
        laporan=laporan, status=ReportStatus.DITERIMA, catatan=catatan.strip(), actor=actor_user(actor)
    )
    assessments_recompute(laporan_list=[laporan], actor=actor)
    a = Assessment.objects.filter(koperasi=laporan.koperasi, tahun_buku=laporan.tahun_buku).first()
    audit_log(
        actor=actor,
        action="koperasi.laporan_accept",
        obj=laporan,
        changes={
            "status": [ReportStatus.DIAJUKAN, ReportStatus.DITERIMA],
            "predikat": a.predikat_label if a else None,
            "total": str(a.total_tampil) if a else None,
        },
        regency_code=laporan.koperasi.regency_id,
    )
    return a


# ---------------------------------------------------------------- dissolution procedure


def pdf_check(upload: UploadedFile) -> CheckedFile:
    """A PDF that pypdf can parse, at most 5 MB; raises ValidationError otherwise."""
    return check_upload(upload, kinds=("pdf",), max_bytes=PDF_MAX_BYTES, messages=PDF_MESSAGES)


def _step(
    proses: PembubaranProses, jenis: str, tanggal: date, dokumen: UploadedFile, catatan: str, actor: Actor
) -> PembubaranLangkah:
    checked = pdf_check(dokumen)
    if tanggal > timezone.localdate():
        raise ValidationError(_("Tanggal langkah tidak boleh di masa depan."))
    if PembubaranLangkah.objects.filter(proses=proses, jenis=jenis).exists():
        raise ValidationError(_("Langkah ini sudah dicatat."))
    langkah = PembubaranLangkah(proses=proses, jenis=jenis, tanggal=tanggal, catatan=catatan, actor=actor_user(actor))
    langkah.dokumen.save(checked.name, checked.file, save=False)
    langkah.save()
    return langkah


def _locked_running(proses: PembubaranProses) -> PembubaranProses:
    p = PembubaranProses.objects.select_for_update().select_related("koperasi").get(pk=proses.pk)
    if p.status != ProsesStatus.BERJALAN:
        raise ValidationError(_("Proses pembubaran ini sudah tidak berjalan."))
    return p


@transaction.atomic
def pembubaran_start(
    *,
    koperasi: Koperasi,
    alasan: str,
    tanggal_pemberitahuan: date,
    tanggal_diterima: date,
    dokumen: UploadedFile,
    actor: Actor,
) -> PembubaranProses:
    """Step 1: the written notice of the plan to dissolve, with the date the cooperative received it."""
    if koperasi.tanggal_pembubaran is not None:
        raise ValidationError(_("Koperasi ini sudah dibubarkan."))
    if PembubaranProses.objects.filter(koperasi=koperasi, status=ProsesStatus.BERJALAN).exists():
        raise ValidationError(_("Sudah ada proses pembubaran yang berjalan untuk koperasi ini."))
    if tanggal_diterima < tanggal_pemberitahuan:
        raise ValidationError(_("Tanggal diterima tidak boleh sebelum tanggal surat pemberitahuan."))
    proses = PembubaranProses.objects.create(
        koperasi=koperasi,
        alasan=alasan,
        tanggal_pemberitahuan=tanggal_pemberitahuan,
        tanggal_diterima=tanggal_diterima,
    )
    _step(proses, LangkahJenis.PEMBERITAHUAN, tanggal_pemberitahuan, dokumen, alasan, actor)
    audit_log(
        actor=actor,
        action="koperasi.pembubaran_start",
        obj=koperasi,
        changes={"tanggal_diterima": tanggal_diterima, "batas_keberatan": batas_keberatan(proses_dates(proses))},
    )
    return proses


@transaction.atomic
def pembubaran_keberatan(
    *, proses: PembubaranProses, tanggal: date, dokumen: UploadedFile, catatan: str, actor: Actor
) -> PembubaranProses:
    """Step 2: the cooperative's objection, accepted only within 2 months of receiving the notice."""
    proses = _locked_running(proses)
    due = batas_keberatan(proses_dates(proses))
    if tanggal < proses.tanggal_diterima:
        raise ValidationError(_("Keberatan tidak boleh sebelum pemberitahuan diterima."))
    if tanggal > due:
        raise ValidationError(
            _("Keberatan lewat batas 2 bulan sejak pemberitahuan diterima (batas: %(d)s).")
            % {"d": due.strftime("%d-%m-%Y")}
        )
    if proses.tanggal_keputusan_pembubaran is not None:
        raise ValidationError(_("Keputusan pembubaran sudah terbit."))
    _step(proses, LangkahJenis.KEBERATAN, tanggal, dokumen, catatan, actor)
    proses.tanggal_keberatan = tanggal
    proses.save(update_fields=["tanggal_keberatan"])
    audit_log(actor=actor, action="koperasi.pembubaran_keberatan", obj=proses.koperasi, changes={"tanggal": tanggal})
    return proses


@transaction.atomic
def pembubaran_keputusan_keberatan(
    *, proses: PembubaranProses, tanggal: date, diterima: bool, dokumen: UploadedFile, catatan: str, actor: Actor
) -> PembubaranProses:
    """Step 3: the department's decision on the objection (due within 1 month). Accepting the
    objection ends the procedure without dissolution."""
    proses = _locked_running(proses)
    if proses.tanggal_keberatan is None:
        raise ValidationError(_("Belum ada keberatan untuk diputuskan."))
    if proses.tanggal_keputusan_keberatan is not None:
        raise ValidationError(_("Keberatan sudah diputuskan."))
    if tanggal < proses.tanggal_keberatan:
        raise ValidationError(_("Keputusan tidak boleh sebelum tanggal keberatan."))
    late = tanggal > add_months(proses.tanggal_keberatan, 1)
    _step(proses, LangkahJenis.KEPUTUSAN_KEBERATAN, tanggal, dokumen, catatan, actor)
    proses.tanggal_keputusan_keberatan = tanggal
    proses.keberatan_diterima = diterima
    if diterima:
        proses.status = ProsesStatus.DIBATALKAN
    proses.save()
    audit_log(
        actor=actor,
        action="koperasi.pembubaran_keputusan_keberatan",
        obj=proses.koperasi,
        changes={"tanggal": tanggal, "keberatan_diterima": diterima, "terlambat": late},
    )
    return proses


@transaction.atomic
def pembubaran_keputusan(
    *, proses: PembubaranProses, tanggal: date, dokumen: UploadedFile, catatan: str, actor: Actor
) -> PembubaranProses:
    """Step 4: the dissolution decision, due no later than 4 months after the notice was received.
    A late decision is still recorded (the audit entry marks it late)."""
    proses = _locked_running(proses)
    if proses.tanggal_keputusan_pembubaran is not None:
        raise ValidationError(_("Keputusan pembubaran sudah dicatat."))
    if proses.tanggal_keberatan is not None and proses.tanggal_keputusan_keberatan is None:
        raise ValidationError(_("Putuskan keberatan koperasi lebih dulu."))
    if tanggal < proses.tanggal_diterima:
        raise ValidationError(_("Keputusan tidak boleh sebelum pemberitahuan diterima."))
    late = tanggal > batas_keputusan_pembubaran(proses_dates(proses))
    _step(proses, LangkahJenis.KEPUTUSAN_PEMBUBARAN, tanggal, dokumen, catatan, actor)
    proses.tanggal_keputusan_pembubaran = tanggal
    proses.save(update_fields=["tanggal_keputusan_pembubaran"])
    audit_log(
        actor=actor,
        action="koperasi.pembubaran_keputusan",
        obj=proses.koperasi,
        changes={"tanggal": tanggal, "terlambat": late},
    )
    return proses


@transaction.atomic
def pembubaran_hapus(
    *, proses: PembubaranProses, tanggal: date, dokumen: UploadedFile, catatan: str, actor: Actor
) -> PembubaranProses:
    """Step 5: struck from the register; the cooperative's tanggal_pembubaran becomes this date."""
    proses = _locked_running(proses)
    if proses.tanggal_keputusan_pembubaran is None:
        raise ValidationError(_("Keputusan pembubaran belum dicatat."))
    if tanggal < proses.tanggal_keputusan_pembubaran:
        raise ValidationError(_("Penghapusan tidak boleh sebelum keputusan pembubaran."))
    _step(proses, LangkahJenis.PENGHAPUSAN, tanggal, dokumen, catatan, actor)
    proses.tanggal_dihapus = tanggal
    proses.status = ProsesStatus.SELESAI
    proses.save(update_fields=["tanggal_dihapus", "status"])
    koperasi = Koperasi.objects.select_for_update().get(pk=proses.koperasi_id)
    before = koperasi.tanggal_pembubaran
    koperasi.tanggal_pembubaran = tanggal
    koperasi.save(update_fields=["tanggal_pembubaran", "updated_at"])
    audit_log(
        actor=actor,
        action="koperasi.pembubaran_hapus",
        obj=koperasi,
        changes={"tanggal_pembubaran": [before, tanggal]},
    )
    return proses
