"""Reads of the programme domain. The `program` key of the leadership report (SPEC §8, §10) has its one
definition here: `programme_kpi`, with `programme_kpi_records` listing the businesses behind each figure."""

from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from apps.program.models import COUNTED, BoothSale, Delivery, Kind, Participant, Programme, Status
from apps.regions.selectors import scope_queryset
from apps.store.selectors import sellers_of_user
from apps.umkm.models import Business


def programmes_of_year(*, regency_codes: list[str], year: int, as_of: date) -> QuerySet[Programme]:
    """Activities that count for Y: they start in Y (SPEC §10), on or before the as-of date, not cancelled."""
    return Programme.objects.filter(
        regency_id__in=regency_codes,
        start_date__year=year,
        start_date__lte=as_of,
        cancelled=False,
    )


def programme_kpi_records(*, regency_codes: list[str], year: int, as_of: date, kind: str, figure: str) -> QuerySet[Any]:
    """The businesses behind one figure (`peserta`, `lulus`, `penerima`): each business once."""
    statuses = COUNTED[kind][figure]
    ids = Participant.objects.filter(
        programme__in=programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of).filter(kind=kind),
        status__in=statuses,
    ).values("business_id")
    return Business.objects.filter(id__in=ids).select_related("owner", "district", "village").order_by("name", "id")


def programme_kpi(*, regency_codes: list[str], year: int, as_of: date) -> dict[str, Any]:
    """`program`: per kind the activities starting in Y and the distinct businesses per figure."""
    programmes = programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of)
    activities = dict.fromkeys(Kind.values, 0)
    for kind in programmes.values_list("kind", flat=True):
        activities[kind] += 1
    result: dict[str, dict[str, int]] = {}
    for kind in Kind.values:
        figures = {"kegiatan": activities[kind]}
        for figure, statuses in COUNTED[kind].items():
            figures[figure] = (
                Participant.objects.filter(programme__in=programmes.filter(kind=kind), status__in=statuses)
                .values("business_id")
                .distinct()
                .count()
            )
        result[kind] = figures
    return {"program": result}


# -- the report's breakdowns and drill-downs (apps/program/report.py) -----------------------------------
# Columns of the per-area table: (column, kind, statuses). `sertifikat` are the graduates holding a
# certificate; `jangkauan` (UMKM reached) the businesses any kind's figure counts, each once.
AREA_COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("pelatihan_peserta", Kind.TRAINING, COUNTED[Kind.TRAINING]["peserta"]),
    ("pelatihan_lulus", Kind.TRAINING, COUNTED[Kind.TRAINING]["lulus"]),
    ("sertifikat", Kind.TRAINING, COUNTED[Kind.TRAINING]["lulus"]),
    ("kemasan_penerima", Kind.PACKAGING, COUNTED[Kind.PACKAGING]["penerima"]),
    ("festival_peserta", Kind.FESTIVAL, COUNTED[Kind.FESTIVAL]["peserta"]),
)
REACH = "jangkauan"


def _counted_q(column: str) -> Q:
    if column == REACH:
        q = Q(pk__in=[])
        for _column, kind, statuses in AREA_COLUMNS:
            q |= Q(programme__kind=kind, status__in=statuses)
        return q
    kind, statuses = next((k, s) for c, k, s in AREA_COLUMNS if c == column)
    q = Q(programme__kind=kind, status__in=statuses)
    return q & Q(certificate_code__isnull=False) if column == "sertifikat" else q


def programme_area_counts(
    *, regency_codes: list[str], year: int, as_of: date, field: str
) -> dict[str | None, dict[str, int]]:
    """Per area of the business (`field`: `district_id` or `regency_id`), the distinct businesses behind
    each column of `AREA_COLUMNS` and `jangkauan`; a business belongs to one area, so each column adds up
    to its figure (`program.<kind>.<figure>`)."""
    columns = [c for c, _k, _s in AREA_COLUMNS] + [REACH]
    programmes = programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of)
    base = Participant.objects.filter(programme__in=programmes)
    counts: dict[str | None, dict[str, int]] = {}
    for column in columns:
        rows = (
            base.filter(_counted_q(column))
            .values(area=F(f"business__{field}"))
            .annotate(n=Count("business_id", distinct=True))
        )
        for row in rows:
            counts.setdefault(row["area"], dict.fromkeys(columns, 0))[column] = row["n"]
    return counts


def programme_businesses(
    *, regency_codes: list[str], year: int, as_of: date, column: str, area_field: str = "", area: str | None = ""
) -> QuerySet[Business]:
    """The businesses behind a column of `programme_area_counts` (`area=None`: without a value), each once."""
    programmes = programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of)
    ids = Participant.objects.filter(programme__in=programmes).filter(_counted_q(column)).values("business_id")
    qs = Business.objects.filter(id__in=ids)
    if area_field and area != "":
        qs = qs.filter(**({f"{area_field}__isnull": True} if area is None else {area_field: area}))
    return qs.select_related("owner", "district", "village").order_by("name", "id")


def programme_activity_counts(
    *, regency_codes: list[str], year: int, as_of: date, field: str
) -> dict[str | None, dict[str, int]]:
    """Activities of Y per place (`field` of the activity: `district_id`, or `regency_id` for a province)
    and kind; they add up to each kind's `kegiatan`."""
    counts: dict[str | None, dict[str, int]] = {}
    rows = (
        programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of)
        .values("kind", area=F(field))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["area"], dict.fromkeys(Kind.values, 0))[row["kind"]] = row["n"]
    return counts


def packaging_deliveries(*, regency_codes: list[str], year: int, as_of: date) -> QuerySet[Delivery]:
    """Packaging handed over (BAST) in the calls of Y to the recipients the `penerima` figure counts, with
    its value (`nilai` = quantity × unit cost, rupiah)."""
    programmes = programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of).filter(kind=Kind.PACKAGING)
    return Delivery.objects.filter(
        application__participant__programme__in=programmes, application__participant__status=Status.DELIVERED
    ).annotate(nilai=F("quantity") * F("unit_cost"))


def festival_sales(*, regency_codes: list[str], year: int, as_of: date) -> QuerySet[BoothSale]:
    """Booth sales (each one omzet line on channel `festival`) of the festivals of Y, up to the as-of date."""
    programmes = programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of).filter(kind=Kind.FESTIVAL)
    return BoothSale.objects.filter(exhibitor__participant__programme__in=programmes, date__lte=as_of)


def programme_value_counts(
    *, regency_codes: list[str], year: int, as_of: date, field: str
) -> dict[str | None, dict[str, int]]:
    """Rupiah per area of the business: packaging aid delivered (`kemasan`) and festival omzet
    (`festival_omzet`)."""
    counts: dict[str | None, dict[str, int]] = {}
    deliveries = packaging_deliveries(regency_codes=regency_codes, year=year, as_of=as_of)
    for row in deliveries.values(area=F(f"application__participant__business__{field}")).annotate(t=Sum("nilai")):
        counts.setdefault(row["area"], {"kemasan": 0, "festival_omzet": 0})["kemasan"] = int(row["t"] or 0)
    sales = festival_sales(regency_codes=regency_codes, year=year, as_of=as_of)
    for row in sales.values(area=F(f"exhibitor__participant__business__{field}")).annotate(t=Sum("amount")):
        counts.setdefault(row["area"], {"kemasan": 0, "festival_omzet": 0})["festival_omzet"] = int(row["t"] or 0)
    return counts


# -- pages --------------------------------------------------------------------------------------------
def access_programme(user: Any, pk: int) -> Programme:
    """The activity if the officer's regions hold it; missing and not-yours are the same 404."""

    programme = (
        scope_queryset(Programme.objects.all(), user).select_related("regency", "district").filter(pk=pk).first()
    )
    if programme is None:
        raise Http404
    return programme


def owner_businesses(user: Any) -> list[Any]:
    """The registry businesses an owner (seller user) acts for: the businesses of their shops."""
    return [s.business for s in sellers_of_user(user)]


def access_own_participant(user: Any, pk: int) -> Participant:
    """A registration of one of the user's businesses; 404 otherwise."""
    ids = [b.pk for b in owner_businesses(user)]
    participant = (
        Participant.objects.select_related("programme", "business__owner").filter(pk=pk, business_id__in=ids).first()
    )
    if participant is None:
        raise Http404
    return participant


def calendar(*, regency_codes: list[str] | None, year: int, kind: str = "", district: str = "") -> list[dict[str, Any]]:
    """The year's activities grouped by kecamatan (activities without one last), each sorted by date."""
    qs = Programme.objects.filter(start_date__year=year).select_related("district")
    if regency_codes is not None:
        qs = qs.filter(regency_id__in=regency_codes)
    if kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district_id=district)
    qs = qs.annotate(
        n_seated=Count("participants", filter=Q(participants__status__in=("terdaftar", "hadir", "lulus"))),
        n_waiting=Count("participants", filter=Q(participants__status="daftar_tunggu")),
        n_active=Count("participants", filter=~Q(participants__status__in=("batal", "ditolak"))),
    ).order_by("start_date", "title", "pk")
    groups: dict[str, dict[str, Any]] = {}
    for p in qs:
        key = p.district_id or ""
        group = groups.setdefault(key, {"district": p.district, "programmes": []})
        group["programmes"].append(p)
    return [groups[k] for k in sorted(groups, key=lambda c: (c == "", groups[c]["district"].name if c else ""))]


def open_calls(*, businesses: list[Any], kind: str) -> QuerySet[Programme]:
    """Activities of a kind in the owner's regencies that have not ended and are not cancelled."""
    regencies = {b.regency_id for b in businesses}
    return (
        Programme.objects.filter(
            kind=kind, regency_id__in=regencies, cancelled=False, end_date__gte=timezone.localdate()
        )
        .select_related("district")
        .order_by("start_date", "pk")
    )


def open_trainings(*, businesses: list[Any]) -> QuerySet[Programme]:
    return open_calls(businesses=businesses, kind=Kind.TRAINING)


def certificate_by_code(code: str) -> Participant | None:
    code = code.strip().upper().replace(" ", "")
    if len(code) == 10:
        code = f"{code[:5]}-{code[5:]}"
    return (
        Participant.objects.select_related("programme", "business__owner")
        .filter(certificate_code=code, status="lulus")
        .first()
    )
