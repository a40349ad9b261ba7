"""Reads of the programme domain. The `program` key of the leadership report (SPEC §8, §10) has its one
definition here: `programme_kpi`, with `programme_kpi_records` listing the businesses behind each figure."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from apps.program.models import COUNTED, Kind, Participant, Programme


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
    from apps.umkm.models import Business

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


# -- pages --------------------------------------------------------------------------------------------
def access_programme(user: Any, pk: int) -> Programme:
    """The activity if the officer's regions hold it; missing and not-yours are the same 404."""
    from django.http import Http404

    from apps.regions.selectors import scope_queryset

    programme = (
        scope_queryset(Programme.objects.all(), user).select_related("regency", "district").filter(pk=pk).first()
    )
    if programme is None:
        raise Http404
    return programme


def owner_businesses(user: Any) -> list[Any]:
    """The registry businesses an owner (seller user) acts for: the businesses of their shops."""
    from apps.store.selectors import sellers_of_user

    return [s.business for s in sellers_of_user(user)]


def access_own_participant(user: Any, pk: int) -> Participant:
    """A registration of one of the user's businesses; 404 otherwise."""
    from django.http import Http404

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
    from django.db.models import Count, Q

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
    from django.utils import timezone

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
