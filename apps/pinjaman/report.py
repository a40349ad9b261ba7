"""Kredit Mawar's read interface for the leadership report (SPEC §7; `apps.core.reporting.DomainReport`):
its figures (`kpi`), breakdowns (`breakdown`) and the records behind any figure (`records`). One definition
per figure: `kpi` is `selectors.pinjaman_kpi`, and every breakdown adds up to it. The section of the
report (`section`, `summary`) is still to be written: the figures are in `kpi_report` only."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from apps.core.reporting import Preparation, Records, Section, SectionData, SummaryItem
from apps.pinjaman import selectors
from apps.pinjaman.models import Loan
from apps.regions.selectors import regency_codes_under

KOLEKTIBILITAS_LABELS = {
    1: "Lancar",
    2: "Dalam Perhatian Khusus",
    3: "Kurang Lancar",
    4: "Diragukan",
    5: "Macet",
}
BREAKDOWNS = ("kecamatan", "kolektibilitas", "skema", "bulan")
FIGURES = ("debitur", "pencairan", "baki_debet", "kolektibilitas", "subsidi")
RECORDS = FIGURES
FILTERS = ("by", "key")


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    return selectors.pinjaman_kpi(regency_codes=_codes(region), year=year, as_of=as_of)


def _portfolio(regency_codes: list[str], as_of: date) -> QuerySet[Loan]:
    return selectors.regency_loans(regency_codes).filter(disbursed_on__lte=as_of)


def _in_year(regency_codes: list[str], year: int, as_of: date) -> QuerySet[Loan]:
    return _portfolio(regency_codes, as_of).filter(disbursed_on__gte=date(year, 1, 1), disbursed_on__year=year)


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    """Rows of {key, label, debitur, pencairan, baki_debet, subsidi} (the figures that split that way).

    - `kecamatan`: the debtor's district (from `kode_wilayah`; "tidak diketahui" when the file had none);
    - `skema`: the scheme; `bulan`: months of Y (disbursements and the subsidy of the month);
    - `kolektibilitas`: baki debet on D and the number of loans in each class.
    """
    if by not in BREAKDOWNS:
        raise ValueError(by)
    regency_codes = _codes(region)
    year_start, year_end = date(year, 1, 1), min(date(year, 12, 31), as_of)
    if by == "kolektibilitas":
        rows: dict[int, dict[str, Any]] = {
            k: {"key": str(k), "label": f"{k} {KOLEKTIBILITAS_LABELS[k]}", "pinjaman": 0, "baki_debet": 0}
            for k in range(1, 6)
        }
        for p in selectors.positions_on(_portfolio(regency_codes, as_of), as_of):
            rows[p.kolektibilitas]["pinjaman"] += 1
            rows[p.kolektibilitas]["baki_debet"] += p.baki_debet
        return list(rows.values())
    field = {"kecamatan": "district_id", "skema": "scheme__code", "bulan": None}[by]
    portfolio = _portfolio(regency_codes, as_of)
    loan_key: dict[int, str] = {}
    out: dict[str, dict[str, Any]] = defaultdict(lambda: {"debitur": 0, "pencairan": 0, "baki_debet": 0, "subsidi": 0})
    if field is not None:
        for loan_id, key in portfolio.values_list("id", field):
            loan_key[loan_id] = key or ""
        for row in (
            _in_year(regency_codes, year, as_of)
            .values(field)
            .annotate(debitur=Count("nik_hash", distinct=True), pencairan=Sum("plafon"))
        ):
            out[row[field] or ""].update(debitur=row["debitur"], pencairan=int(row["pencairan"] or 0))
        for p in selectors.positions_on(portfolio, as_of):
            out[loan_key[p.loan_id]]["baki_debet"] += p.baki_debet
        for (loan_id, _y, _m), amount in selectors.loan_month_subsidies(portfolio, year_start, year_end).items():
            out[loan_key[loan_id]]["subsidi"] += amount
    else:
        for disbursed_on, plafon in _in_year(regency_codes, year, as_of).values_list("disbursed_on", "plafon"):
            out[f"{disbursed_on.month:02d}"]["pencairan"] += plafon
        for row in (
            _in_year(regency_codes, year, as_of)
            .values("disbursed_on__month")
            .annotate(debitur=Count("nik_hash", distinct=True))
        ):
            out[f"{row['disbursed_on__month']:02d}"]["debitur"] = row["debitur"]
        for (_loan, _y, m), amount in selectors.loan_month_subsidies(portfolio, year_start, year_end).items():
            out[f"{m:02d}"]["subsidi"] += amount
    labels = _labels(by, list(out))
    return [{"key": key, "label": labels.get(key, key), **values} for key, values in sorted(out.items())]


def _labels(by: str, keys: list[str]) -> dict[str, str]:
    from apps.core.formatting import BULAN

    if by == "bulan":
        return {k: BULAN[int(k) - 1] for k in keys}
    if by == "kecamatan":
        from apps.regions.models import Region

        names = dict(Region.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))
        return {k: (names.get(k, k).title() if k else _("tidak diketahui")) for k in keys}
    return {k: k for k in keys}


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """The loans behind a figure (and a breakdown row `by`=`key`): debitur/pencairan → the loans disbursed
    in Y up to D; baki_debet/kolektibilitas → the loans outstanding on D (of class `key` for
    kolektibilitas); subsidi → the loans with subsidy days in Y up to D."""
    loans = _loans_behind(_codes(region), year, as_of, figure, filter.get("by", ""), filter.get("key", ""))
    return Records(
        _("Pinjaman Kredit Mawar"),
        [_("Nomor rekening"), _("Skema"), _("Tanggal pencairan"), _("Plafon")],
        loans,
        lambda loan: [loan.account_number, loan.scheme.code, str(loan.disbursed_on), str(loan.plafon)],
    )


def _loans_behind(regency_codes: list[str], year: int, as_of: date, figure: str, by: str, key: str) -> QuerySet[Loan]:
    if figure not in FIGURES:
        raise ValueError(figure)
    year_start, year_end = date(year, 1, 1), min(date(year, 12, 31), as_of)
    portfolio = _portfolio(regency_codes, as_of)
    if figure in ("debitur", "pencairan"):
        qs = _in_year(regency_codes, year, as_of)
    elif figure == "subsidi":
        ids = {loan_id for loan_id, _y, _m in selectors.loan_month_subsidies(portfolio, year_start, year_end)}
        qs = portfolio.filter(pk__in=ids)
    else:
        positions = selectors.positions_on(portfolio, as_of)
        if figure == "kolektibilitas" or by == "kolektibilitas":
            positions = [p for p in positions if not key or str(p.kolektibilitas) == key]
        qs = portfolio.filter(pk__in=[p.loan_id for p in positions])
    if by == "kecamatan" and key:
        qs = qs.filter(district_id=key)
    elif by == "skema" and key:
        qs = qs.filter(scheme__code=key)
    elif by == "bulan" and key and figure in ("debitur", "pencairan"):
        qs = qs.filter(disbursed_on__month=int(key))
    return qs.select_related("scheme").order_by("disbursed_on", "account_number")


def preparation(region: str, year: int) -> Preparation | None:
    """Nothing to compute before a report: the figures are read directly."""
    return None


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    """None yet: the PDF/XLSX summary of these figures comes with their section."""
    return []


def section(data: SectionData) -> Section | None:
    """None yet: the Kredit Mawar section (SPEC §7) is the domain's to build from these figures and records."""
    return None
