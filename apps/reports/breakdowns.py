"""The report page's breakdowns (SPEC §7) and the record lists behind every number.

The totals are the domain KPI selectors' (`selectors.kpi_figures`); these split the same populations by
kecamatan (or regency, for a province), sector, owner's gender, channel and month. They read the
domain models read-only and follow the definitions of docs/architecture.md; tests check that each
breakdown adds up to its domain total, so the two cannot drift apart unnoticed.

Each breakdown is a list of {"key", "label", <value columns>}; the page links each value to
`drill_queryset(kind, ...)` with the row's key as a filter.
"""

from collections import defaultdict
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from apps.core.formatting import BULAN, WIB
from apps.regions.models import Region

NO_SECTOR = "-"


def area_field(region_code: str) -> str:
    """A regency report splits by kecamatan; a province report by regency."""
    return "regency_id" if len(region_code) == 2 else "district_id"


def area_label(region_code: str) -> str:
    return _("Kabupaten/kota") if len(region_code) == 2 else _("Kecamatan")


def wib_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=WIB)


def _region_names(codes: set[str]) -> dict[str, str]:
    codes = {c for c in codes if c}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def _sorted_rows(counts: dict[Any, dict[str, int]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    rows = [{"key": k or NO_SECTOR, "label": labels.get(k, k) or _("(tidak diisi)"), **v} for k, v in counts.items()]
    return sorted(rows, key=lambda r: str(r["label"]).lower())


# --- UMKM ---------------------------------------------------------------------------------------


def umkm_population(*, regency_codes: list[str], year: int) -> QuerySet[Any]:
    """Businesses counted in `umkm_total`: of the regencies, not closed, with a yearly record for a
    data year ≤ Y (docs/architecture.md)."""
    from apps.umkm.models import Business, BusinessStatus, BusinessYear

    recorded = BusinessYear.objects.filter(business=OuterRef("pk"), year__lte=year)
    return (
        Business.objects.filter(regency_id__in=regency_codes)
        .exclude(status=BusinessStatus.CLOSED)
        .filter(Exists(recorded))
    )


def with_latest_kelas(qs: QuerySet[Any], year: int) -> QuerySet[Any]:
    """Annotate `kelas_terakhir`: the class in the business's latest data year ≤ Y."""
    from apps.umkm.models import BusinessYear

    latest = BusinessYear.objects.filter(business=OuterRef("pk"), year__lte=year).order_by("-year").values("kelas")[:1]
    return qs.annotate(kelas_terakhir=Subquery(latest))


def umkm_breakdowns(*, region_code: str, regency_codes: list[str], year: int) -> dict[str, list[dict[str, Any]]]:
    """UMKM per kecamatan (or regency), sector and owner's gender, from one grouped query."""
    from apps.umkm.models import Gender

    field = area_field(region_code)
    grouped = (
        umkm_population(regency_codes=regency_codes, year=year)
        .order_by()
        .values(field, "sector", "owner__gender")
        .annotate(n=Count("id"))
    )
    by_area: dict[Any, dict[str, int]] = defaultdict(lambda: {"jumlah": 0})
    by_sector: dict[Any, dict[str, int]] = defaultdict(lambda: {"jumlah": 0})
    by_gender: dict[Any, dict[str, int]] = defaultdict(lambda: {"jumlah": 0})
    for g in grouped:
        by_area[g[field]]["jumlah"] += g["n"]
        by_sector[g["sector"]]["jumlah"] += g["n"]
        by_gender[g["owner__gender"]]["jumlah"] += g["n"]
    gender_labels = {k: str(v) for k, v in Gender.choices}
    return {
        "umkm_per_wilayah": _sorted_rows(by_area, _region_names(set(by_area))),
        "umkm_per_sektor": _sorted_rows(by_sector, {k: k for k in by_sector}),
        "umkm_per_jenis_kelamin": sorted(
            _sorted_rows(by_gender, gender_labels),
            key=lambda r: list(gender_labels).index(r["key"]) if r["key"] in gender_labels else 99,
        ),
    }


def naik_kelas_queryset(*, regency_codes: list[str], year: int) -> QuerySet[Any]:
    """Businesses of the regencies with a class recorded in both Y−1 and Y, annotated `kelas_lalu`
    and `kelas_tahun` (filter them to a kind of move)."""
    from apps.umkm.models import Business, BusinessYear

    def kelas_in(y: int) -> Subquery:
        return Subquery(BusinessYear.objects.filter(business=OuterRef("pk"), year=y).values("kelas")[:1])

    return (
        Business.objects.filter(regency_id__in=regency_codes)
        .annotate(kelas_lalu=kelas_in(year - 1), kelas_tahun=kelas_in(year))
        .filter(kelas_lalu__isnull=False, kelas_tahun__isnull=False)
    )


# --- Omzet --------------------------------------------------------------------------------------


def omzet_ledger(*, regency_codes: list[str], as_of: date) -> QuerySet[Any]:
    """Ledger lines of the regencies dated ≤ D (end of day, WIB): the `tukatuku_omzet_kumulatif`
    population, as the omzet domain defines it."""
    from apps.omzet.selectors import ledger_until

    return ledger_until(regency_codes=regency_codes, as_of=as_of)


def in_year_q(year: int) -> Q:
    return Q(counted_at__gte=wib_start(date(year, 1, 1)), counted_at__lt=wib_start(date(year + 1, 1, 1)))


def omzet_breakdowns(
    *, region_code: str, regency_codes: list[str], year: int, as_of: date
) -> dict[str, list[dict[str, Any]]]:
    """Omzet cumulative and in year by channel, kecamatan (or regency), sector; in year by month."""
    from django.db.models.functions import ExtractMonth

    lines = omzet_ledger(regency_codes=regency_codes, as_of=as_of)
    field = area_field(region_code)
    sums = {"kumulatif": Sum("amount"), "tahun": Sum("amount", filter=in_year_q(year))}

    def grouped(*fields: str) -> list[dict[str, Any]]:
        return list(lines.order_by().values(*fields).annotate(**sums))

    def clean(d: dict[str, Any]) -> dict[str, int]:
        return {"kumulatif": int(d["kumulatif"] or 0), "tahun": int(d["tahun"] or 0)}

    by_channel: dict[Any, dict[str, int]] = {}
    channel_labels: dict[Any, str] = {}
    for g in grouped("channel__code", "channel__name"):
        row = by_channel.setdefault(g["channel__code"], {"kumulatif": 0, "tahun": 0})
        for k, v in clean(g).items():
            row[k] += v
        channel_labels[g["channel__code"]] = g["channel__name"]
    by_area = {g[field]: clean(g) for g in grouped(field)}
    by_sector = {g["seller__business__sector"]: clean(g) for g in grouped("seller__business__sector")}
    months = {
        g["m"]: int(g["s"] or 0)
        for g in lines.filter(in_year_q(year))
        .order_by()
        .annotate(m=ExtractMonth("counted_at", tzinfo=WIB))
        .values("m")
        .annotate(s=Sum("amount"))
    }
    last_month = 12 if as_of.year > year else (as_of.month if as_of.year == year else 0)
    return {
        "omzet_per_kanal": _sorted_rows(by_channel, channel_labels),
        "omzet_per_wilayah": _sorted_rows(by_area, _region_names({k for k in by_area if k})),
        "omzet_per_sektor": _sorted_rows(by_sector, {k: k for k in by_sector if k}),
        "omzet_per_bulan": [
            {"key": f"{year}-{m:02d}", "label": f"{BULAN[m - 1]} {year}", "tahun": months.get(m, 0)}
            for m in range(1, last_month + 1)
        ],
    }


# --- Koperasi -----------------------------------------------------------------------------------


KOPERASI_COLUMNS = ("total", "aktif", "tidak_aktif", "sehat", "tidak_sehat", "belum_dinilai")


def koperasi_registered(*, regency_codes: list[str], as_of: date) -> QuerySet[Any]:
    """Cooperatives counted in `koperasi_total`, as the koperasi domain defines it."""
    from apps.koperasi.models import Koperasi
    from apps.koperasi.selectors import registered_on

    return registered_on(Koperasi.objects.filter(regency_id__in=regency_codes), as_of)


def koperasi_breakdowns(
    *, region_code: str, regency_codes: list[str], year: int, as_of: date
) -> dict[str, list[dict[str, Any]]]:
    """The koperasi domain's status split (`koperasi_breakdown`) by kecamatan (summed to regencies for a
    province) and by kind of cooperative."""
    from apps.koperasi.selectors import koperasi_breakdown

    def rows(by: str, codes: list[str], key_of: Any) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
        out: dict[str, dict[str, int]] = {}
        labels: dict[str, str] = {}
        for b in koperasi_breakdown(regency_codes=codes, year=year, as_of=as_of, by=by):
            key = key_of(b) or NO_SECTOR
            row = out.setdefault(key, dict.fromkeys(KOPERASI_COLUMNS, 0))
            for c in KOPERASI_COLUMNS:
                row[c] += getattr(b, c)
            labels[key] = b.label
        return out, labels

    if len(region_code) == 2:
        # A cooperative may lack a kecamatan but always has its regency: split per regency.
        by_area: dict[str, dict[str, int]] = {}
        for code in regency_codes:
            counts, _labels = rows("jenis", [code], lambda b, code=code: code)
            by_area.update(counts)
        area_rows = _sorted_rows(by_area, _region_names(set(by_area)))
    else:
        area_rows = _sorted_rows(*rows("district", regency_codes, lambda b: b.key))
    return {
        "koperasi_per_wilayah": area_rows,
        "koperasi_per_jenis": _sorted_rows(*rows("jenis", regency_codes, lambda b: b.key)),
    }


# --- All ----------------------------------------------------------------------------------------


def umkm_rollups_available() -> bool:
    """Roll-ups hold the umkm domain's `umkm_kpi` results: usable once that selector exists."""
    try:
        from apps.umkm import selectors
    except ImportError:
        return False
    return hasattr(selectors, "umkm_kpi")


def report_breakdowns(*, region_code: str, year: int, as_of: date) -> dict[str, Any]:
    """Every breakdown of the page whose domain app is installed."""
    from apps.regions.selectors import regency_codes_under

    codes = sorted(regency_codes_under({region_code}))
    out: dict[str, Any] = {"area_label": area_label(region_code)}
    if apps.is_installed("apps.omzet"):
        out.update(omzet_breakdowns(region_code=region_code, regency_codes=codes, year=year, as_of=as_of))
    if apps.is_installed("apps.umkm"):
        if umkm_rollups_available():
            from apps.reports.rollups import umkm_province_breakdowns, umkm_rollups

            if len(region_code) == 2:
                out.update(umkm_province_breakdowns(regency_codes=codes, year=year, as_of=as_of))
            else:
                rows = umkm_rollups(regency_codes=codes, year=year, as_of=as_of)
                out.update(rows[0].breakdowns if rows else {})
        else:
            out.update(umkm_breakdowns(region_code=region_code, regency_codes=codes, year=year))
    if apps.is_installed("apps.koperasi"):
        out.update(koperasi_breakdowns(region_code=region_code, regency_codes=codes, year=year, as_of=as_of))
    return out
