"""Reads of cooperative supervision: the KPI figures (docs/architecture.md), status on a date,
dissolution candidates, breakdowns, lists scoped to an officer's regions."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import DecimalField, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.selectors import user_regency_codes
from apps.core.roles import Role
from apps.koperasi.models import (
    Assessment,
    Jenis,
    Keanggotaan,
    Koperasi,
    LaporanTahunan,
    PembubaranProses,
    ProsesStatus,
    ReportStatus,
    ScoringTable,
)
from apps.koperasi.rules import ProsesDates, next_step, rat_window, years_before
from apps.koperasi.scoring import TableDef, component_from_data, predikat_from_data
from apps.regions.selectors import scope_queryset


class Status:
    AKTIF = "aktif"
    TIDAK_AKTIF = "tidak_aktif"
    DIBUBARKAN = "dibubarkan"
    BELUM_BERDIRI = "belum_berdiri"

    LABELS = {
        "aktif": "Aktif",
        "tidak_aktif": "Tidak aktif",
        "dibubarkan": "Dibubarkan",
        "belum_berdiri": "Belum berbadan hukum",
    }


# ---------------------------------------------------------------- scoring table


def scoring_table_current() -> ScoringTable:
    table = ScoringTable.objects.filter(berlaku=True).prefetch_related("components").first()
    if table is None:
        raise ScoringTable.DoesNotExist(_("Tidak ada tabel penilaian yang berlaku."))
    return table


def table_def(table: ScoringTable) -> TableDef:
    components = tuple(
        component_from_data(
            {
                "nomor": c.nomor,
                "aspek": c.aspek,
                "nama": c.nama,
                "jenis": c.jenis,
                "pembilang": c.pembilang,
                "penyebut": c.penyebut,
                "bobot": c.bobot,
                "bands": c.bands,
                "nilai_penyebut_nol": c.nilai_penyebut_nol,
                "hanya_simpan_pinjam": c.hanya_simpan_pinjam,
            }
        )
        for c in sorted(table.components.all(), key=lambda c: c.nomor)
    )
    return TableDef(
        versi=table.versi,
        components=components,
        predikat=predikat_from_data(table.predikat),
        skala_manajemen=table.skala_manajemen,
    )


# ---------------------------------------------------------------- status and KPI


def _scoped(regency_codes: Iterable[str] | None) -> QuerySet[Koperasi]:
    qs = Koperasi.objects.all()
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=list(regency_codes))
    return qs


def latest_assessed_year(*, regency_codes: Iterable[str] | None, up_to: int) -> int | None:
    """The latest book year (≤ `up_to`) with at least one health assessment in the regions, or None.

    The registry opens on it: the calendar year's book is not closed (RAT) nor assessed until months later,
    so defaulting to it shows every active cooperative as "belum dinilai".
    """
    year = Assessment.objects.filter(koperasi__in=_scoped(regency_codes), tahun_buku__lte=up_to).aggregate(
        y=Max("tahun_buku")
    )["y"]
    return int(year) if year is not None else None


def registered_on(qs: Any, as_of: date) -> Any:
    """Legal entity dated ≤ D and not dissolved on or before D."""
    return qs.filter(tanggal_badan_hukum__lte=as_of).filter(
        Q(tanggal_pembubaran__isnull=True) | Q(tanggal_pembubaran__gt=as_of)
    )


def rat_in_window(as_of: date) -> Exists:
    """An accepted report whose RAT is dated in [D − 3 years, D]."""
    start, end = rat_window(as_of)
    return Exists(
        LaporanTahunan.objects.filter(
            koperasi=OuterRef("pk"),
            status=ReportStatus.DITERIMA,
            tanggal_rat__gte=start,
            tanggal_rat__lte=end,
        )
    )


def with_status(qs: QuerySet[Koperasi], *, as_of: date, year: int | None = None) -> Any:
    """Annotate `aktif_pada` (bool), `rat_terakhir` (last RAT ≤ D) and, for a book year, the
    assessment's `predikat_tahun` and `sehat_tahun` (None when not assessed)."""
    last_rat = (
        LaporanTahunan.objects.filter(koperasi=OuterRef("pk"), status=ReportStatus.DITERIMA, tanggal_rat__lte=as_of)
        .order_by("-tanggal_rat")
        .values("tanggal_rat")[:1]
    )
    qs = qs.annotate(aktif_pada=rat_in_window(as_of), rat_terakhir=Subquery(last_rat))
    if year is not None:
        assessment = Assessment.objects.filter(koperasi=OuterRef("pk"), tahun_buku=year)
        qs = qs.annotate(
            predikat_tahun=Subquery(assessment.values("predikat")[:1]),
            predikat_label_tahun=Subquery(assessment.values("predikat_label")[:1]),
            sehat_tahun=Subquery(assessment.values("sehat")[:1]),
            total_tahun=Subquery(
                assessment.values("total")[:1], output_field=DecimalField(max_digits=18, decimal_places=15)
            ),
            total_tampil_tahun=Subquery(assessment.values("total_tampil")[:1]),
        )
    return qs


def status_on(koperasi: Koperasi, as_of: date) -> str:
    """aktif / tidak_aktif / dibubarkan / belum_berdiri on date D."""
    if koperasi.tanggal_badan_hukum > as_of:
        return Status.BELUM_BERDIRI
    if koperasi.tanggal_pembubaran is not None and koperasi.tanggal_pembubaran <= as_of:
        return Status.DIBUBARKAN
    start, end = rat_window(as_of)
    held = koperasi.laporan.filter(status=ReportStatus.DITERIMA, tanggal_rat__gte=start, tanggal_rat__lte=end).exists()
    return Status.AKTIF if held else Status.TIDAK_AKTIF


def koperasi_kpi(*, regency_codes: list[str] | None, year: int, as_of: date) -> dict[str, Any]:
    """SPEC §8 cooperative figures; definitions in docs/architecture.md.

    total: legal entity dated ≤ D and not dissolved on or before D; aktif: an accepted RAT dated in
    [D − 3 years, D]; sehat / tidak_sehat / belum_dinilai: the active ones by their assessment for
    book year Y; dibubarkan_per_tahun: dissolution dates ≤ D by year.
    """
    rows = with_status(registered_on(_scoped(regency_codes), as_of), as_of=as_of, year=year).values_list(
        "aktif_pada", "sehat_tahun"
    )
    total = aktif = sehat = tidak_sehat = belum = 0
    for is_active, is_sehat in rows:
        total += 1
        if not is_active:
            continue
        aktif += 1
        if is_sehat is None:
            belum += 1
        elif is_sehat:
            sehat += 1
        else:
            tidak_sehat += 1
    return {
        "koperasi_total": total,
        "koperasi_aktif": aktif,
        "koperasi_tidak_aktif": total - aktif,
        "koperasi_sehat": sehat,
        "koperasi_tidak_sehat": tidak_sehat,
        "koperasi_belum_dinilai": belum,
        "koperasi_dibubarkan_per_tahun": dissolved_per_year(regency_codes=regency_codes, as_of=as_of),
    }


def dissolved_per_year(*, regency_codes: Iterable[str] | None, as_of: date) -> dict[str, int]:
    dates = _scoped(regency_codes).filter(tanggal_pembubaran__lte=as_of).values_list("tanggal_pembubaran", flat=True)
    counts = Counter(str(d.year) for d in dates if d is not None)
    return dict(sorted(counts.items()))


@dataclass
class Breakdown:
    key: str
    label: str
    total: int = 0
    aktif: int = 0
    tidak_aktif: int = 0
    sehat: int = 0
    tidak_sehat: int = 0
    belum_dinilai: int = 0


def koperasi_breakdown(*, regency_codes: Iterable[str] | None, year: int, as_of: date, by: str) -> list[Breakdown]:
    """The KPI figures split by `district` (kecamatan) or `jenis`, for the leadership report."""
    qs = with_status(registered_on(_scoped(regency_codes), as_of), as_of=as_of, year=year)
    if by == "district":
        rows = qs.values_list("district_id", "district__name", "aktif_pada", "sehat_tahun")
    else:
        rows = qs.values_list("jenis", "jenis", "aktif_pada", "sehat_tahun")
    labels = dict(Jenis.choices)
    groups: dict[str, Breakdown] = {}
    for key, label, is_active, is_sehat in rows:
        key = key or ""
        b = groups.setdefault(key, Breakdown(key=key, label=str(labels.get(label, label) or _("(tanpa kecamatan)"))))
        b.total += 1
        if not is_active:
            b.tidak_aktif += 1
            continue
        b.aktif += 1
        if is_sehat is None:
            b.belum_dinilai += 1
        elif is_sehat:
            b.sehat += 1
        else:
            b.tidak_sehat += 1
    return sorted(groups.values(), key=lambda b: b.key)


# ---------------------------------------------------------------- dissolution candidates


@dataclass
class Candidate:
    koperasi: Koperasi
    reasons: list[str] = field(default_factory=list)
    proses_berjalan: bool = False


def dissolution_candidates(
    *, regency_codes: Iterable[str] | None, as_of: date, koperasi_id: int | None = None
) -> list[Candidate]:
    """Permenkop 9/2018: no RAT for 3 consecutive years (no RAT in [D − 3 years, D] while the legal
    entity is at least 3 years old), or no business activity in the last 2 complete book years
    (volume_usaha 0 or missing, or no accepted report) of a cooperative that existed all through them."""
    base = _scoped(regency_codes)
    if koperasi_id is not None:
        base = base.filter(pk=koperasi_id)
    qs = (
        with_status(registered_on(base, as_of), as_of=as_of)
        .select_related("district")
        .annotate(
            proses_berjalan=Exists(
                PembubaranProses.objects.filter(koperasi=OuterRef("pk"), status=ProsesStatus.BERJALAN)
            )
        )
        .order_by("nama")
    )
    three_years_ago = years_before(as_of, 3)
    y1, y2 = as_of.year - 1, as_of.year - 2
    koperasi = list(qs)
    active_business = set(
        LaporanTahunan.objects.filter(
            koperasi__in=[k.pk for k in koperasi if k.tanggal_badan_hukum <= date(y2, 1, 1)],
            tahun_buku__in=[y1, y2],
            status=ReportStatus.DITERIMA,
            volume_usaha__gt=0,
        ).values_list("koperasi_id", flat=True)
    )
    out = []
    for k in koperasi:
        reasons = []
        if not k.aktif_pada and k.tanggal_badan_hukum <= three_years_ago:  # type: ignore[attr-defined]
            last = k.rat_terakhir  # type: ignore[attr-defined]
            reasons.append(
                _("Tidak mengadakan RAT 3 tahun berturut-turut (RAT terakhir: %(d)s)")
                % {"d": last.strftime("%d-%m-%Y") if last else _("belum pernah")}
            )
        if k.tanggal_badan_hukum <= date(y2, 1, 1) and k.pk not in active_business:
            reasons.append(
                _("Tidak ada kegiatan usaha 2 tahun berturut-turut (tahun buku %(a)s dan %(b)s)") % {"a": y2, "b": y1}
            )
        if reasons:
            out.append(Candidate(koperasi=k, reasons=reasons, proses_berjalan=k.proses_berjalan))  # type: ignore[attr-defined]
    return out


# ---------------------------------------------------------------- lists and access


def koperasi_list(
    *,
    user: Any,
    as_of: date,
    year: int,
    status: str = "",
    predikat: str = "",
    kecamatan: str = "",
    jenis: str = "",
    search: str = "",
) -> Any:
    """The registry as an officer sees it, annotated with status on D and the predikat of book year Y."""
    qs = with_status(scope_queryset(Koperasi.objects.all(), user), as_of=as_of, year=year).select_related(
        "district", "village"
    )
    if status == Status.AKTIF:
        qs = registered_on(qs, as_of).filter(aktif_pada=True)
    elif status == Status.TIDAK_AKTIF:
        qs = registered_on(qs, as_of).filter(aktif_pada=False)
    elif status == Status.DIBUBARKAN:
        qs = qs.filter(tanggal_pembubaran__lte=as_of)
    elif status == "terdaftar":
        qs = registered_on(qs, as_of)
    if predikat == "belum_dinilai":
        qs = qs.filter(predikat_tahun__isnull=True)
    elif predikat:
        qs = qs.filter(predikat_tahun=predikat)
    if kecamatan:
        qs = qs.filter(district_id=kecamatan)
    if jenis:
        qs = qs.filter(jenis=jenis)
    if search:
        qs = qs.filter(Q(nama__icontains=search) | Q(nomor_badan_hukum__icontains=search))
    return qs.order_by("nama", "pk")


def status_label(k: Koperasi, as_of: date) -> str:
    """Status from the annotations of `with_status` (no query)."""
    if k.tanggal_badan_hukum > as_of:
        return Status.BELUM_BERDIRI
    if k.tanggal_pembubaran is not None and k.tanggal_pembubaran <= as_of:
        return Status.DIBUBARKAN
    return Status.AKTIF if k.aktif_pada else Status.TIDAK_AKTIF  # type: ignore[attr-defined]


def access_koperasi(user: Any, pk: int) -> Koperasi:
    """A cooperative the user may see: an officer's regions, or a cooperative officer's own; else 404."""
    k = Koperasi.objects.select_related("regency", "district", "village").filter(pk=pk).first()
    if k is None or not getattr(user, "is_authenticated", False):
        raise Http404
    if user.role == Role.COOP_OFFICER and not user.is_superuser:
        if not Keanggotaan.objects.filter(user=user, koperasi=k).exists():
            raise Http404
        return k
    codes = user_regency_codes(user)
    if codes is not None and k.regency_id not in codes:
        raise Http404
    return k


def koperasi_of_officer(user: Any) -> list[Koperasi]:
    return [
        m.koperasi for m in Keanggotaan.objects.filter(user=user).select_related("koperasi").order_by("koperasi__nama")
    ]


def laporan_of_koperasi(koperasi: Koperasi) -> QuerySet[LaporanTahunan]:
    return koperasi.laporan.select_related("diajukan_oleh", "ditinjau_oleh").order_by("-tahun_buku")


def assessments_of_koperasi(koperasi: Koperasi) -> QuerySet[Assessment]:
    return koperasi.penilaian.order_by("-tahun_buku")


def access_assessment(user: Any, pk: int) -> Assessment:
    a = Assessment.objects.select_related("koperasi", "table").filter(pk=pk).first()
    if a is None:
        raise Http404
    access_koperasi(user, a.koperasi_id)
    return a


def access_laporan(user: Any, pk: int) -> LaporanTahunan:
    lap = LaporanTahunan.objects.select_related("koperasi").filter(pk=pk).first()
    if lap is None:
        raise Http404
    access_koperasi(user, lap.koperasi_id)
    return lap


def reports_awaiting_review(*, user: Any) -> QuerySet[LaporanTahunan]:
    return (
        scope_queryset(LaporanTahunan.objects.filter(status=ReportStatus.DIAJUKAN), user, field="koperasi__regency")
        .select_related("koperasi", "diajukan_oleh")
        .order_by("diajukan_pada", "pk")
    )


# ---------------------------------------------------------------- dissolution procedure


@dataclass
class DueItem:
    proses: PembubaranProses
    langkah: str
    batas: date | None
    terlambat: bool
    menunggu_koperasi: bool


def proses_dates(p: PembubaranProses) -> ProsesDates:
    return ProsesDates(
        tanggal_diterima=p.tanggal_diterima,
        tanggal_keberatan=p.tanggal_keberatan,
        tanggal_keputusan_keberatan=p.tanggal_keputusan_keberatan,
        keberatan_diterima=p.keberatan_diterima,
        tanggal_keputusan_pembubaran=p.tanggal_keputusan_pembubaran,
        tanggal_dihapus=p.tanggal_dihapus,
    )


def pembubaran_due(*, regency_codes: Iterable[str] | None, today: date) -> list[DueItem]:
    """Running procedures with their next step, due date and whether it is overdue (overdue first)."""
    qs = PembubaranProses.objects.filter(status=ProsesStatus.BERJALAN).select_related("koperasi")
    if regency_codes is not None:
        qs = qs.filter(koperasi__regency_id__in=list(regency_codes))
    items = []
    for p in qs:
        step = next_step(proses_dates(p), today)
        items.append(DueItem(p, step.langkah, step.batas, step.terlambat, step.menunggu_koperasi))
    return sorted(items, key=lambda i: (not i.terlambat, i.batas or date.max, i.proses.koperasi.nama))


def pembubaran_of_koperasi(koperasi: Koperasi) -> QuerySet[PembubaranProses]:
    return koperasi.pembubaran.prefetch_related("langkah__actor").order_by("-tanggal_diterima")


def access_proses(user: Any, pk: int) -> PembubaranProses:
    p = PembubaranProses.objects.select_related("koperasi").filter(pk=pk).first()
    if p is None or getattr(user, "role", "") == Role.COOP_OFFICER:
        raise Http404
    access_koperasi(user, p.koperasi_id)
    return p


def dashboard_counts(*, regency_codes: Iterable[str] | None, as_of: date) -> dict[str, int]:
    rows = with_status(registered_on(_scoped(regency_codes), as_of), as_of=as_of).values_list("aktif_pada", flat=True)
    flags = list(rows)
    waiting = LaporanTahunan.objects.filter(status=ReportStatus.DIAJUKAN)
    if regency_codes is not None:
        waiting = waiting.filter(koperasi__regency_id__in=list(regency_codes))
    due = pembubaran_due(regency_codes=regency_codes, today=as_of)
    return {
        "total": len(flags),
        "aktif": sum(1 for f in flags if f),
        "menunggu": waiting.count(),
        "terlambat": sum(1 for d in due if d.terlambat),
    }
