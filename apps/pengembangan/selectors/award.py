"""Reads of the Koperasi Award: eligibility from the registry (through apps.koperasi's selectors) with the
reason for every excluded cooperative, access (404 for missing and not-yours), the calculation input."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.selectors import user_regency_codes
from apps.core.formatting import tanggal
from apps.core.roles import Role
from apps.koperasi.models import Jenis, Koperasi
from apps.koperasi.selectors import registered_on, with_status
from apps.pengembangan.award_rules import AwardInput, CriterionIn, EntryIn, JudgeIn, calculate
from apps.pengembangan.models import AwardScore, Category, CategoryStatus, Judge, Nomination, Recusal
from apps.pengembangan.ujikom_rules import plain

# How many book years back "the last health predikat" is looked for.
PREDIKAT_LOOKBACK_YEARS = 5


@dataclass
class HealthInfo:
    tahun_buku: int
    predikat: str
    predikat_label: str
    sehat: bool
    total: Decimal


@dataclass
class Eligibility:
    koperasi: Any
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    health: HealthInfo | None = None


def last_health(*, koperasi_ids: list[int], up_to_year: int) -> dict[int, HealthInfo]:
    """Each cooperative's latest health assessment for a book year ≤ `up_to_year` (looking back
    PREDIKAT_LOOKBACK_YEARS years), read through apps.koperasi's `with_status` (one query per year)."""

    found: dict[int, HealthInfo] = {}
    remaining = set(koperasi_ids)
    for year in range(up_to_year, up_to_year - PREDIKAT_LOOKBACK_YEARS, -1):
        if not remaining:
            break
        rows = (
            with_status(Koperasi.objects.filter(pk__in=remaining), as_of=date(year, 12, 31), year=year)
            .filter(predikat_tahun__isnull=False)
            .values_list("pk", "predikat_tahun", "predikat_label_tahun", "sehat_tahun", "total_tahun")
        )
        for pk, predikat, label, sehat, total in rows:
            # cut to 9 places (the award compares at 9): SQLite returns the 15-place total through a float
            exact = Decimal(str(total)).quantize(Decimal("1e-9"))
            found[pk] = HealthInfo(year, predikat, label, bool(sehat), Decimal(plain(exact)))
            remaining.discard(pk)
    return found


def eligibility(category: Category) -> list[Eligibility]:
    """Every cooperative of the category's regency registered on its date, eligible or not, with the
    reasons it is excluded: kind, active on the date, last predikat Sehat/Cukup Sehat, RAT in the year."""

    on = category.tanggal_aktif
    qs = with_status(registered_on(Koperasi.objects.filter(regency_id=category.regency_id), on), as_of=on).order_by(
        "nama", "pk"
    )
    coops = list(qs.select_related("district"))
    rat_in_year: dict[int, date | None] = {}
    if category.tahun_rat:
        end = date(category.tahun_rat, 12, 31)
        rat_in_year = dict(
            with_status(Koperasi.objects.filter(pk__in=[k.pk for k in coops]), as_of=end).values_list(
                "pk", "rat_terakhir"
            )
        )
    health = last_health(koperasi_ids=[k.pk for k in coops], up_to_year=category.tahun)
    labels = dict(Jenis.choices)
    out = []
    for k in coops:
        reasons = []
        if category.jenis and k.jenis not in category.jenis:
            reasons.append(_("jenis %(j)s tidak termasuk kategori ini") % {"j": labels.get(k.jenis, k.jenis)})
        if not k.aktif_pada:  # type: ignore[attr-defined]
            last = k.rat_terakhir  # type: ignore[attr-defined]
            reasons.append(
                _("tidak aktif pada %(d)s (RAT terakhir: %(r)s)")
                % {"d": _date(on), "r": _date(last) if last else _("tidak ada")}
            )
        h = health.get(k.pk)
        if category.syarat_sehat:
            if h is None:
                reasons.append(_("belum pernah dinilai kesehatannya (sampai tahun buku %(y)s)") % {"y": category.tahun})
            elif not h.sehat:
                reasons.append(
                    _("predikat kesehatan terakhir %(p)s (tahun buku %(y)s)")
                    % {"p": h.predikat_label, "y": h.tahun_buku}
                )
        if category.tahun_rat:
            rat = rat_in_year.get(k.pk)
            if rat is None or rat.year != category.tahun_rat:
                reasons.append(_("tidak mengadakan RAT pada tahun %(y)s") % {"y": category.tahun_rat})
        out.append(Eligibility(koperasi=k, eligible=not reasons, reasons=reasons, health=h))
    return out


def _date(d: date) -> str:
    return tanggal(d)


# ---------------------------------------------------------------- lists and access


def category_list(*, user: Any) -> QuerySet[Category]:
    qs = Category.objects.select_related("regency").order_by("-tahun", "nama", "pk")
    if getattr(user, "role", "") == Role.JUDGE and not user.is_superuser:
        return qs.filter(judges__user=user)

    codes = user_regency_codes(user)
    if codes is not None:
        qs = qs.filter(regency_id__in=codes)
    return qs


def access_category(user: Any, pk: int) -> Category:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    category = category_list(user=user).filter(pk=pk).first()
    if category is None:
        raise Http404
    return category


def access_nomination(user: Any, pk: int) -> Nomination:
    n = Nomination.objects.select_related("category", "koperasi").filter(pk=pk).first()
    if n is None:
        raise Http404
    access_category(user, n.category_id)
    return n


def judge_of(user: Any, category: Category) -> Judge | None:
    return Judge.objects.filter(category=category, user=user).first()


def nominations_of(category: Category) -> QuerySet[Nomination]:
    return category.nominations.select_related("koperasi", "koperasi__district").order_by(
        "peringkat", "koperasi__nama", "pk"
    )


def judges_of(category: Category) -> QuerySet[Judge]:
    return category.judges.select_related("user").order_by("user__first_name", "user__username", "pk")


def scores_of(nomination: Nomination, judge: Judge) -> dict[int, Decimal]:
    return dict(AwardScore.objects.filter(nomination=nomination, judge=judge).values_list("criterion_id", "nilai"))


def calculation_input(category: Category) -> AwardInput:
    """Everything the calculation reads, in five queries (criteria, judges, entries, scores, recusals) plus
    the health lookup."""
    criteria = [CriterionIn(c.pk, c.nama, c.bobot) for c in category.criteria.order_by("nomor")]
    judges = [JudgeIn(j.pk, str(j)) for j in judges_of(category)]
    nominations = list(nominations_of(category))
    health = last_health(koperasi_ids=[n.koperasi_id for n in nominations], up_to_year=category.tahun)
    entries = [
        EntryIn(
            n.pk,
            n.koperasi.nama,
            health[n.koperasi_id].total if n.koperasi_id in health else None,
            n.urutan_panel,
        )
        for n in nominations
    ]
    scores: dict[tuple[int, int], dict[int, Decimal]] = {}
    for nomination_id, judge_id, criterion_id, nilai in AwardScore.objects.filter(
        nomination__category=category
    ).values_list("nomination_id", "judge_id", "criterion_id", "nilai"):
        scores.setdefault((nomination_id, judge_id), {})[criterion_id] = nilai
    recusals = set(Recusal.objects.filter(judge__category=category).values_list("nomination_id", "judge_id"))
    return AwardInput(
        criteria=criteria,
        judges=judges,
        entries=entries,
        scores=scores,
        recusals=recusals,
        metode=category.metode,
        bobot_objektif=category.bobot_objektif,
        tie_breaks=list(category.tie_breaks),
    )


def calculation(category: Category) -> dict[str, Any]:
    """The approved (frozen) calculation, or the current one computed from the scores so far."""
    if category.status == CategoryStatus.DISETUJUI and category.hasil:
        return category.hasil
    return calculate(calculation_input(category))


def missing_scores(category: Category) -> list[tuple[str, str]]:
    """(entry, judge) pairs still to be scored: every judge who has not recused scores every entry."""
    data = calculation_input(category)
    names = {e.id: e.nama for e in data.entries}
    judges = {j.id: j.nama for j in data.judges}
    missing = []
    for e in data.entries:
        for j in data.judges:
            if (e.id, j.id) in data.recusals:
                continue
            got = data.scores.get((e.id, j.id), {})
            if any(c.id not in got for c in data.criteria):
                missing.append((names[e.id], judges[j.id]))
    return missing


def winners(*, tahun: int) -> list[tuple[Category, list[Nomination]]]:
    """Approved categories of a year with their winners (rank ≤ the category's number of winners)."""
    ranked = Nomination.objects.filter(peringkat__isnull=False).select_related("koperasi", "koperasi__district")
    categories = (
        Category.objects.filter(tahun=tahun, status=CategoryStatus.DISETUJUI)
        .select_related("regency")
        .prefetch_related(Prefetch("nominations", queryset=ranked.order_by("peringkat", "koperasi__nama")))
        .order_by("regency_id", "nama")
    )
    return [
        (c, [n for n in c.nominations.all() if n.peringkat is not None and n.peringkat <= c.jumlah_pemenang])
        for c in categories
    ]


def award_years() -> list[int]:
    return sorted(
        set(Category.objects.filter(status=CategoryStatus.DISETUJUI).values_list("tahun", flat=True)), reverse=True
    )


def nomination_by_code(code: str) -> Nomination | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 32:
        return None
    return (
        Nomination.objects.select_related("category", "koperasi")
        .filter(kode_verifikasi=code, category__status=CategoryStatus.DISETUJUI)
        .first()
    )


def award_summary(*, regency_codes: list[str] | None, year: int) -> list[dict[str, Any]]:
    """Approved categories of award year Y: {"key": category id, "label", "nominasi", "pemenang"}."""
    qs = Category.objects.filter(tahun=year, status=CategoryStatus.DISETUJUI)
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=regency_codes)
    qs = qs.annotate(
        n_nominasi=Count("nominations"),
        n_pemenang=Count("nominations", filter=Q(nominations__peringkat__lte=F("jumlah_pemenang"))),
    ).order_by("nama", "pk")
    return [{"key": str(c.pk), "label": c.nama, "nominasi": c.n_nominasi, "pemenang": c.n_pemenang} for c in qs]


def award_records(
    *, regency_codes: list[str] | None, year: int, category_id: str = "", winners_only: bool = False
) -> QuerySet[Nomination]:
    """The entries behind `award_summary`: nominations of approved categories of Y, by rank."""
    qs = Nomination.objects.filter(category__tahun=year, category__status=CategoryStatus.DISETUJUI)
    if regency_codes is not None:
        qs = qs.filter(category__regency_id__in=regency_codes)
    if category_id:
        qs = qs.filter(category_id=category_id)
    if winners_only:
        qs = qs.filter(peringkat__lte=F("category__jumlah_pemenang"))
    return qs.select_related("category", "koperasi", "koperasi__district").order_by("category__nama", "peringkat", "pk")
