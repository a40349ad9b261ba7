"""Reads of the UMKM registry: the KPI figures (docs/architecture.md), report breakdowns, operator lists.

Definitions (one each, the same in code, docs and tests):
- **umkm_total**: businesses not closed whose latest yearly record for a data year ≤ Y lies in the
  regency (SPEC §4: a business belongs to the region of its latest record up to Y);
  **umkm_per_kelas**: those businesses by the class of that record.
- **naik_kelas**: businesses whose class in Y is higher than in Y−1 (both years recorded), by the kind of
  move (`mikro_kecil`, `kecil_menengah`, `menengah_besar`; a jump of two classes under its own key,
  e.g. `mikro_menengah`).

The registry has no registration dates of its own (records come from yearly data), so `as_of` does not
narrow these figures; it is accepted for the common KPI signature.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from apps.core.nik import nik_hash
from apps.regions.selectors import scope_queryset
from apps.umkm.models import (
    KELAS_BY_RANK,
    KELAS_RANK,
    Business,
    BusinessStatus,
    BusinessYear,
    Kelas,
    RegistryRevision,
)
from apps.umkm.rules import decided_by

KELAS_KEYS = [k.value for k in Kelas]
NAIK_KELAS_KEYS = ["mikro_kecil", "kecil_menengah", "menengah_besar"]


def naik_kelas_key(from_rank: int, to_rank: int) -> str:
    return f"{KELAS_BY_RANK[from_rank]}_{KELAS_BY_RANK[to_rank]}"


def latest_records(*, regency_codes: Iterable[str], year: int) -> QuerySet[BusinessYear]:
    """For each business not closed whose latest record up to `year` lies in the regencies: that record.
    A business belongs to the region of its latest record up to Y (SPEC §4), so the region filter is the
    record's own, not the business's current one.

    Written as "no record of the same business in a later year ≤ Y" (an anti-join on the (business,
    year) unique index): a correlated "= (latest year)" subquery made PostgreSQL evaluate it for every
    record of every regency before filtering by regency, 8-10 s per regency at province scale."""
    later = BusinessYear.objects.filter(business_id=OuterRef("business_id"), year__gt=OuterRef("year"), year__lte=year)
    return (
        BusinessYear.objects.filter(regency_id__in=list(regency_codes), year__lte=year)
        .exclude(business__status=BusinessStatus.CLOSED)
        .filter(~Exists(later))
    )


def registry_revisions(*, regency_codes: Iterable[str]) -> dict[str, int]:
    """The registry revision of each regency (0 for one never written): one indexed query."""
    codes = list(regency_codes)
    found = dict(RegistryRevision.objects.filter(regency_id__in=codes).values_list("regency_id", "revision"))
    return {code: found.get(code, 0) for code in codes}


def kelas_rank_expression(field: str = "kelas") -> Case:
    """The rank of a class column in SQL (mikro 0 … besar 3): what "higher" means for naik kelas."""
    return Case(*[When(**{field: k}, then=Value(r)) for k, r in KELAS_RANK.items()], output_field=IntegerField())


def naik_kelas_records(
    *, regency_codes: Iterable[str], year: int, district: str = "", move: str = ""
) -> QuerySet[BusinessYear]:
    """Records of `year` whose class is higher than the same business's class in year − 1,
    annotated with `prev_rank` and `rank`; optionally of one kecamatan and one kind of move (`mikro_kecil`).

    The record of year − 1 is joined (a filtered relation on the (business, year) unique index), not
    looked up by a correlated subquery, which PostgreSQL evaluated for every record of the year in the
    whole database before narrowing to the regencies."""
    qs = (
        BusinessYear.objects.annotate(
            previous=FilteredRelation("business__years", condition=Q(business__years__year=year - 1))
        )
        .filter(year=year, regency_id__in=list(regency_codes))
        .annotate(prev_rank=kelas_rank_expression("previous__kelas"), rank=kelas_rank_expression())
        .filter(prev_rank__lt=F("rank"))
    )
    if district:
        qs = qs.filter(district_id=district)
    if move:
        before, _sep, after = move.partition("_")
        if before not in KELAS_RANK or after not in KELAS_RANK:
            return qs.none()
        qs = qs.filter(prev_rank=KELAS_RANK[before], rank=KELAS_RANK[after])  # type: ignore[misc]
    return qs


def naik_kelas_with_unchanged_figures(*, regency_codes: Iterable[str], year: int) -> QuerySet[BusinessYear]:
    """The naik kelas records of `year` whose capital and sales are those of year − 1: moves caused only
    by the law of the year (SPEC §4: 2021 classifies by PP 7/2021, 2020 by UU 20/2008)."""
    same_modal = Q(modal_usaha=F("previous__modal_usaha")) | Q(
        modal_usaha__isnull=True, previous__modal_usaha__isnull=True
    )
    same_omzet = Q(omzet_tahunan=F("previous__omzet_tahunan")) | Q(
        omzet_tahunan__isnull=True, previous__omzet_tahunan__isnull=True
    )
    return naik_kelas_records(regency_codes=regency_codes, year=year).filter(same_modal, same_omzet)


def umkm_kpi(*, regency_codes: list[str], year: int, as_of: date) -> dict[str, Any]:
    """umkm_total, umkm_per_kelas and naik_kelas of SPEC §8 for the regencies, data year `year`, and
    `naik_kelas_angka_tetap`: how many of the moves came with unchanged figures (the law alone)."""
    per_kelas = dict.fromkeys(KELAS_KEYS, 0)
    for row in latest_records(regency_codes=regency_codes, year=year).values("kelas").annotate(n=Count("id")):
        per_kelas[row["kelas"]] = row["n"]
    naik = dict.fromkeys(NAIK_KELAS_KEYS, 0)
    moves: Any = naik_kelas_records(regency_codes=regency_codes, year=year)  # annotated with prev_rank
    for row in moves.values("prev_rank", "rank").annotate(n=Count("id")):
        naik[naik_kelas_key(row["prev_rank"], row["rank"])] = row["n"]
    return {
        "umkm_total": sum(per_kelas.values()),
        "umkm_per_kelas": per_kelas,
        "naik_kelas": naik,
        "naik_kelas_angka_tetap": naik_kelas_with_unchanged_figures(regency_codes=regency_codes, year=year).count(),
    }


BREAKDOWNS = {
    "kelas": ("kelas", None),
    "kecamatan": ("district_id", "district__name"),
    "sektor": ("business__sector", None),
    "jenis_kelamin": ("business__owner__gender", None),
}


def umkm_breakdown(*, regency_codes: list[str], year: int, by: str) -> list[dict[str, Any]]:
    """Businesses counted in umkm_total, grouped by kelas, kecamatan, sektor or the owner's gender:
    [{"key", "label", "count", "per_kelas": {kelas: n}}] ordered by key."""
    field, label_field = BREAKDOWNS[by]
    values = [field, "kelas"] + ([label_field] if label_field else [])
    rows: dict[str, dict[str, Any]] = {}
    for row in (
        latest_records(regency_codes=regency_codes, year=year).values(*values).annotate(n=Count("id")).order_by(field)
    ):
        key = row[field] or ""
        entry = rows.setdefault(
            key,
            {
                "key": key,
                "label": row[label_field] if label_field else key,
                "count": 0,
                "per_kelas": dict.fromkeys(KELAS_KEYS, 0),
            },
        )
        entry["count"] += row["n"]
        entry["per_kelas"][row["kelas"]] += row["n"]
    return [rows[k] for k in sorted(rows)]


def naik_kelas_by_district(*, regency_codes: list[str], year: int) -> list[dict[str, Any]]:
    """Naik kelas in `year` per kecamatan: [{"district", "name", "moves": {kind: n}, "total"}]."""
    rows: dict[str, dict[str, Any]] = {}
    moves: Any = naik_kelas_records(regency_codes=regency_codes, year=year)  # annotated with prev_rank
    for row in (
        moves.values("district_id", "district__name", "prev_rank", "rank")
        .annotate(n=Count("id"))
        .order_by("district_id")
    ):
        entry = rows.setdefault(
            row["district_id"],
            {
                "district": row["district_id"],
                "name": row["district__name"],
                "moves": dict.fromkeys(NAIK_KELAS_KEYS, 0),
                "total": 0,
            },
        )
        key = naik_kelas_key(row["prev_rank"], row["rank"])
        entry["moves"][key] = entry["moves"].get(key, 0) + row["n"]
        entry["total"] += row["n"]
    return [rows[k] for k in sorted(rows)]


def naik_kelas_businesses(
    *, regency_codes: list[str], year: int, district: str = "", move: str = ""
) -> QuerySet[BusinessYear]:
    """The businesses behind a naik kelas count, with what the list page shows."""
    return (
        naik_kelas_records(regency_codes=regency_codes, year=year, district=district, move=move)
        .select_related("district", "village", "business__owner")
        .order_by("district_id", "business__name", "business_id")
    )


# -- operator pages ---------------------------------------------------------------------------------


def business_list(*, user: Any, filters: dict[str, Any]) -> QuerySet[Business]:
    """Businesses the officer may see, filtered (kecamatan, desa, sektor, kelas, jenis_kelamin, tahun)
    and searched (name, NIB, or an exact NIK through its keyed hash). Each row is annotated with the
    class and figures of the chosen (or latest) data year."""
    qs = scope_queryset(Business.objects.all(), user)
    year = filters.get("tahun")
    records = BusinessYear.objects.filter(business_id=OuterRef("pk"))
    records = records.filter(year=year) if year else records.order_by("-year")
    qs = qs.annotate(
        data_year=Subquery(records.values("year")[:1]),
        kelas=Subquery(records.values("kelas")[:1]),
        omzet=Subquery(records.values("omzet_tahunan")[:1]),
        modal=Subquery(records.values("modal_usaha")[:1]),
    )
    if year:
        qs = qs.filter(data_year=year)
    if filters.get("kecamatan"):
        qs = qs.filter(district_id=filters["kecamatan"])
    if filters.get("desa"):
        qs = qs.filter(village_id=filters["desa"])
    if filters.get("sektor"):
        qs = qs.filter(sector__iexact=filters["sektor"])
    if filters.get("kelas"):
        qs = qs.filter(kelas=filters["kelas"])
    if filters.get("jenis_kelamin"):
        qs = qs.filter(owner__gender=filters["jenis_kelamin"])
    if filters.get("nik_hash"):  # a NIK search (views pass only its keyed hash: issue #15 M3)
        qs = qs.filter(owner__nik_hash=filters["nik_hash"])
    q = (filters.get("q") or "").strip()
    if q:
        digits = q.replace(" ", "")
        if len(digits) == 16 and digits.isdigit():
            qs = qs.filter(owner__nik_hash=nik_hash(digits))
        elif len(digits) == 13 and digits.isdigit():
            qs = qs.filter(nib=digits)
        else:
            qs = qs.filter(Q(name__icontains=q) | Q(owner__name__icontains=q))
    return qs.select_related("owner", "district", "village").order_by("district_id", "name", "pk")


def access_business(user: Any, pk: int) -> Business:
    """The business if the officer may see it; missing and not-yours are the same 404."""
    business = (
        scope_queryset(Business.objects.all(), user)
        .select_related("owner", "regency", "district", "village")
        .filter(pk=pk)
        .first()
    )
    if business is None:
        raise Http404
    return business


def business_history(business: Business) -> list[dict[str, Any]]:
    """The yearly records, oldest first, each with the class change from the previous recorded year and,
    when only one of capital and sales was given, which one decided the class (SPEC §4)."""
    history = []
    previous: BusinessYear | None = None
    for record in business.years.order_by("year"):
        change = ""
        if previous is not None and previous.year == record.year - 1 and previous.kelas != record.kelas:
            change = "naik" if KELAS_RANK[record.kelas] > KELAS_RANK[previous.kelas] else "turun"
        history.append(
            {
                "record": record,
                "change": change,
                "previous": previous.kelas if previous else "",
                "decided_by": decided_by(record.modal_usaha, record.omzet_tahunan),
            }
        )
        previous = record
    return history


def registry_years(*, regency_codes: list[str] | None) -> list[int]:
    qs = BusinessYear.objects.all()
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=regency_codes)
    return sorted(qs.values_list("year", flat=True).distinct(), reverse=True)


def registry_sectors(*, regency_codes: list[str] | None) -> list[str]:
    qs = Business.objects.exclude(sector="")
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=regency_codes)
    return sorted(qs.values_list("sector", flat=True).distinct())
