"""Outcomes of the programmes (SPEC §10): for each kind and year Y, the participants against a comparison
group of non-participants with the same kecamatan, sector and class in Y−1 —

- the share that moved up a class the year after (class in Y+1 higher than in Y, both years recorded);
- Tuka-Tuku omzet (the ledger, through the business's shop) in the 12 months after the reference date
  against the 12 months before. A participant's reference date is the start of its first activity of
  that kind in Y; a comparison business takes the earliest reference date of the participants of its
  stratum (kecamatan, sector, class in Y−1).

A comparison, not a causal claim: the groups are matched on three attributes only, and the page says so.
Participants are the businesses each kind's figure counts (training: `hadir`/`lulus`; packaging aid:
`diserahkan`; festival: `hadir`). Participants without a class in Y−1 are counted but have no stratum.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from fractions import Fraction
from typing import Any

from django.db.models import Min, Sum

from apps.core.formatting import WIB
from apps.omzet.models import OmzetLine
from apps.program.models import COUNTED, Kind, Participant
from apps.program.selectors import programmes_of_year
from apps.umkm.models import Business, BusinessStatus, BusinessYear


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass
class Group:
    businesses: list[int] = field(default_factory=list)
    with_data: list[int] = field(default_factory=list)  # class recorded in Y and Y+1
    moved_up: list[int] = field(default_factory=list)
    omzet_before: int = 0
    omzet_after: int = 0

    @property
    def share(self) -> Fraction | None:
        return Fraction(len(self.moved_up), len(self.with_data)) if self.with_data else None


@dataclass
class Outcome:
    kind: str
    participants: Group
    comparison: Group
    strata: int


def _participant_refs(regency_codes: list[str], year: int, as_of: date, kind: str) -> dict[int, date]:
    programmes = programmes_of_year(regency_codes=regency_codes, year=year, as_of=as_of).filter(kind=kind)
    rows = (
        Participant.objects.filter(programme__in=programmes, status__in=_statuses(kind))
        .values("business_id")
        .annotate(first=Min("programme__start_date"))
    )
    return {r["business_id"]: r["first"] for r in rows}


def _statuses(kind: str) -> tuple[str, ...]:
    counted = COUNTED[kind]
    return counted.get("peserta") or counted.get("penerima") or ()


def _classes(business_ids: set[int] | None, years: list[int], regency_codes: list[str]) -> dict[tuple[int, int], int]:
    qs = BusinessYear.objects.filter(year__in=years)
    qs = (
        qs.filter(business_id__in=business_ids)
        if business_ids is not None
        else qs.filter(business__regency_id__in=regency_codes)
    )
    return {(b, y): rank for b, y, rank in qs.values_list("business_id", "year", "kelas_rank")}


def _omzet(business_refs: dict[int, date]) -> dict[int, tuple[int, int]]:
    """(before, after) Tuka-Tuku omzet per business around its reference date (WIB days)."""

    result: dict[int, tuple[int, int]] = {}
    if not business_refs:
        return result
    by_ref: dict[date, list[int]] = {}
    for business, ref in business_refs.items():
        by_ref.setdefault(ref, []).append(business)
    for ref, businesses in by_ref.items():
        start = datetime.combine(ref, time(), tzinfo=WIB)
        before = datetime.combine(_add_months(ref, -12), time(), tzinfo=WIB)
        after = datetime.combine(_add_months(ref, 12), time(), tzinfo=WIB)
        lines = OmzetLine.objects.filter(seller__business_id__in=businesses)
        for business, total in (
            lines.filter(counted_at__gte=before, counted_at__lt=start)
            .values_list("seller__business_id")
            .annotate(t=Sum("amount"))
        ):
            result[business] = (total, result.get(business, (0, 0))[1])
        for business, total in (
            lines.filter(counted_at__gte=start, counted_at__lt=after)
            .values_list("seller__business_id")
            .annotate(t=Sum("amount"))
        ):
            result[business] = (result.get(business, (0, 0))[0], total)
    return result


def outcome(*, regency_codes: list[str], year: int, as_of: date, kind: str) -> Outcome:
    refs = _participant_refs(regency_codes, year, as_of, kind)
    participant_ids = set(refs)
    classes = _classes(participant_ids, [year - 1, year, year + 1], regency_codes)
    info = {
        b: (d, s)
        for b, d, s in Business.objects.filter(pk__in=participant_ids).values_list("pk", "district_id", "sector")
    }
    strata: dict[tuple[str, str, int], date] = {}
    for b, ref in refs.items():
        if (b, year - 1) in classes and b in info:
            key = (info[b][0], info[b][1], classes[(b, year - 1)])
            strata[key] = min(ref, strata.get(key, ref))

    # the comparison group: other businesses of the regencies in one of the participants' strata
    comparison_refs: dict[int, date] = {}
    if strata:
        candidates = (
            BusinessYear.objects.filter(year=year - 1, business__regency_id__in=regency_codes)
            .exclude(business__status=BusinessStatus.CLOSED)
            .exclude(business_id__in=participant_ids)
            .filter(business__district_id__in={k[0] for k in strata})
            .values_list("business_id", "business__district_id", "business__sector", "kelas_rank")
        )
        for b, district, sector, rank in candidates:
            stratum_ref = strata.get((district, sector, rank))
            if stratum_ref is not None:
                comparison_refs[b] = stratum_ref
        classes.update(_classes(set(comparison_refs), [year, year + 1], regency_codes))

    omzet = _omzet({**refs, **comparison_refs})

    def group(members: dict[int, date]) -> Group:
        g = Group(businesses=sorted(members))
        for b in g.businesses:
            if (b, year) in classes and (b, year + 1) in classes:
                g.with_data.append(b)
                if classes[(b, year + 1)] > classes[(b, year)]:
                    g.moved_up.append(b)
            before, after = omzet.get(b, (0, 0))
            g.omzet_before += before
            g.omzet_after += after
        return g

    return Outcome(kind=kind, participants=group(refs), comparison=group(comparison_refs), strata=len(strata))


def outcomes(*, regency_codes: list[str], year: int, as_of: date) -> list[Outcome]:
    return [outcome(regency_codes=regency_codes, year=year, as_of=as_of, kind=k) for k in Kind.values]


def outcome_businesses(o: Outcome, *, group: str, figure: str) -> list[int]:
    g = o.participants if group == "peserta" else o.comparison
    return {"semua": g.businesses, "data": g.with_data, "naik": g.moved_up}.get(figure, [])


def share_text(share: Fraction | None) -> str:
    if share is None:
        return "–"
    tenths = round(share * 1000)
    return f"{tenths // 10},{tenths % 10}%"


def as_rows(items: list[Outcome]) -> list[dict[str, Any]]:
    """Table rows for the page and the exports."""
    rows = []
    for o in items:
        rows.append(
            {
                "kind": o.kind,
                "label": Kind(o.kind).label,
                "p": o.participants,
                "c": o.comparison,
                "p_share": share_text(o.participants.share),
                "c_share": share_text(o.comparison.share),
                "strata": o.strata,
            }
        )
    return rows
