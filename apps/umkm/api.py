"""Read API of UMKM registry aggregates (`/api/v1/umkm/...`): the KPI figures, breakdowns and naik
kelas per kecamatan for a regency or province the signed-in officer may see. No personal data."""

from datetime import date
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from apps.accounts.selectors import user_regency_codes
from apps.core.roles import OFFICERS
from apps.regions.selectors import regency_codes_under
from apps.umkm import selectors

router = Router(tags=["umkm"], auth=django_auth)


class AreaQuery(Schema):
    regency: str = "33.03"
    year: int
    as_of: date | None = None


class BreakdownBy(StrEnum):
    kelas = "kelas"
    kecamatan = "kecamatan"
    sektor = "sektor"
    jenis_kelamin = "jenis_kelamin"


class KpiOut(Schema):
    regency: str
    year: int
    umkm_total: int
    umkm_per_kelas: dict[str, int]
    naik_kelas: dict[str, int]
    naik_kelas_angka_tetap: int = 0  # moves with unchanged capital and sales: caused by the law alone


class BreakdownRow(Schema):
    key: str
    label: str
    count: int
    per_kelas: dict[str, int]


class NaikKelasRow(Schema):
    district: str
    name: str
    moves: dict[str, int]
    total: int


def _codes(request: HttpRequest, region: str) -> list[str]:
    user: Any = request.user
    if not (user.is_superuser or user.role in OFFICERS):
        raise HttpError(403, "Hanya petugas dinas yang dapat membaca agregat registri.")
    wanted = regency_codes_under({region})
    allowed = user_regency_codes(user)
    if not wanted or (allowed is not None and not wanted <= allowed):
        raise HttpError(404, "Wilayah tidak dikenal atau di luar wilayah tugas Anda.")
    return sorted(wanted)


@router.get("/kpi", response=KpiOut, summary="Angka UMKM laporan pimpinan (SPEC §8)")
def umkm_kpi(request: HttpRequest, q: Query[AreaQuery]) -> dict[str, Any]:
    """`umkm_total`, `umkm_per_kelas` and `naik_kelas` of a regency (`33.03`) or province (`33`) for data
    year `year`, with the definitions of docs/architecture.md — the same numbers as `kpi_report`."""
    codes = _codes(request, q.regency)
    figures = selectors.umkm_kpi(regency_codes=codes, year=q.year, as_of=q.as_of or date.today())
    return {"regency": q.regency, "year": q.year, **figures}


@router.get("/breakdown", response=list[BreakdownRow], summary="UMKM per kelas, kecamatan, sektor atau jenis kelamin")
def umkm_breakdown(request: HttpRequest, q: Query[AreaQuery], by: BreakdownBy = BreakdownBy.kelas) -> Any:
    """Businesses counted in `umkm_total`, grouped by `by`, each with its count per class."""
    codes = _codes(request, q.regency)
    return selectors.umkm_breakdown(regency_codes=codes, year=q.year, by=by.value)


@router.get("/naik-kelas", response=list[NaikKelasRow], summary="Naik kelas per kecamatan")
def naik_kelas(request: HttpRequest, q: Query[AreaQuery]) -> Any:
    """Businesses whose class in `year` is higher than in `year − 1`, counted per kecamatan by kind of move."""
    codes = _codes(request, q.regency)
    return selectors.naik_kelas_by_district(regency_codes=codes, year=q.year)
