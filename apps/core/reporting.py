"""The shapes of the leadership report (SPEC §7), shared by the domains that fill it and by
`apps.reports`, which composes them.

A domain that has a section in the report writes `apps/<domain>/report.py` (see docs/architecture.md,
"Adding a domain and its report section") with:

- `kpi(region, year, as_of) -> dict`: the SPEC §8 figures it owns, for a regency (`33.03`) or a
  province (`33`); each figure defined there once;
- `BREAKDOWNS` and `breakdown(region, year, as_of, by) -> list[dict]`: rows `{"key", "label", <value
  columns>}` splitting the population of one of its figures, adding up to it;
- `RECORDS` and `records(region, year, as_of, figure, **filter) -> Records`: the records behind a figure
  or a breakdown row (the drill-down), filtered as the row's link says;
- `section(data: SectionData) -> Section | None`: its tables, built from the above only (None: figures
  in `kpi_report` only, no section yet);
- `summary(figures) -> list[SummaryItem]`: its SPEC §8 figures as labelled lines (PDF/XLSX summary);
- `preparation(region, year) -> Preparation | None`: derived data to compute before a large report
  (shown as a background job with a progress bar); None for most domains.

This module is foundation: it imports no domain and no `apps.reports`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.formatting import WIB

# The key of a breakdown row for records without a value (no kecamatan, no sector): links carry it and
# `records` filters on "value missing" for it.
NO_VALUE = "-"

# A link maker: (records kind, filters) -> URL, or "" for no link. The exports pass none.
LinkMaker = Callable[[str, dict[str, str]], str]


def no_link(kind: str, filters: dict[str, str]) -> str:
    return ""


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]
    links: tuple[str, ...] = ()
    total: bool = False

    def cells(self) -> list[tuple[int, str]]:
        links = self.links or ("",) * len(self.values)
        return list(zip(self.values, links, strict=True))


@dataclass
class Table:
    key: str
    title: str
    headers: tuple[str, ...]  # the label column's header, then one per value column
    money: bool
    rows: list[Row] = field(default_factory=list)
    chart: str = "bar"  # "bar", "pie" or "" (no chart)

    def chart_data(self) -> dict[str, Any]:
        """Labels and the first value column, without the total row: what the charts draw."""
        rows = [r for r in self.rows if not r.total]
        return {"labels": [r.label for r in rows], "values": [r.values[0] for r in rows], "money": self.money}


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


@dataclass(frozen=True)
class SummaryItem:
    """One line of the report's summary (the SPEC §8 figures, in the contract's order)."""

    label: str
    value: int
    money: bool = False


@dataclass(frozen=True)
class SectionData:
    """What a domain's `section` builds its tables from: the report's figures (all domains'), its own
    breakdowns by name (empty for the plain command), and the link maker."""

    region: str
    year: int
    as_of: date
    figures: dict[str, Any]
    breakdowns: dict[str, list[dict[str, Any]]]
    link: LinkMaker = no_link

    @property
    def area_title(self) -> str:
        return str(area_label(self.region)).lower()


@dataclass
class Records:
    """The records behind one figure: a titled, paginated list on the drill-down page."""

    title: str
    columns: list[str]
    queryset: QuerySet[Any]
    cells: Callable[[Any], list[str]]
    sum_field: str = ""  # a money column whose total the page shows (it is the figure linked from)
    total: int | None = None  # that total when it is no column of the records (computed with them)


@dataclass(frozen=True)
class Preparation:
    """Derived data a report needs first: `cost` records to scan (decides between computing it while
    the user waits and a background job), `steps` run one by one with the progress shown."""

    cost: int
    message: str
    steps: list[tuple[str, Callable[[], Any]]]


class DomainReport(Protocol):
    """What `apps.reports` expects of a domain's `report.py` (checked by apps/reports/tests)."""

    BREAKDOWNS: tuple[str, ...]  # the `by` values of `breakdown`, in the section's order
    RECORDS: tuple[str, ...]  # the `figure` values of `records` (the drill-down kinds in links)
    FILTERS: tuple[str, ...]  # the filters `records` takes (query parameters of the drill-down page)

    def kpi(self, region: str, year: int, as_of: date) -> dict[str, Any]: ...

    def breakdown(self, region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]: ...

    def records(self, region: str, year: int, as_of: date, figure: str, **filter: str) -> Records: ...

    def section(self, data: SectionData) -> Section | None: ...

    def summary(self, figures: dict[str, Any]) -> list[SummaryItem]: ...

    def preparation(self, region: str, year: int) -> "Preparation | None": ...


# --- helpers for the domains' report modules -----------------------------------------------------


def is_province(region: str) -> bool:
    return len(region) == 2


def area_field(region: str) -> str:
    """A regency's report splits by kecamatan; a province's by regency."""
    return "regency_id" if is_province(region) else "district_id"


def area_label(region: str) -> str:
    return _("Kabupaten/kota") if is_province(region) else _("Kecamatan")


def wib_start(day: date) -> datetime:
    """Midnight WIB at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=WIB)


def sorted_rows(counts: dict[Any, dict[str, int]], labels: dict[Any, str]) -> list[dict[str, Any]]:
    """Breakdown rows from {key: {column: value}}, sorted by label; a missing key becomes `NO_VALUE`
    labelled "(tidak diisi)"."""
    rows = [{"key": k or NO_VALUE, "label": labels.get(k, k) or _("(tidak diisi)"), **v} for k, v in counts.items()]
    return sorted(rows, key=lambda r: str(r["label"]).lower())


def rows_from_breakdown(
    items: list[dict[str, Any]],
    columns: tuple[str, ...],
    kind: str,
    dimension: str,
    link: LinkMaker,
    column_filters: dict[str, dict[str, str]] | None = None,
) -> list[Row]:
    """Table rows of a breakdown, each value linked to `records(kind)` filtered by the row's key."""
    rows = []
    for item in items:
        values = tuple(int(item[c]) for c in columns)
        links = tuple(
            link(kind, {dimension: str(item["key"]), **(column_filters or {}).get(c, _period(c))}) for c in columns
        )
        rows.append(Row(label=str(item["label"]), values=values, links=links))
    return rows


def _period(column: str) -> dict[str, str]:
    return {"periode": "tahun"} if column == "tahun" else {}


def with_total(rows: list[Row], link_total: tuple[str, ...] = ()) -> list[Row]:
    """The rows and a total row summing each column (no rows: no total)."""
    if not rows:
        return rows
    width = len(rows[0].values)
    totals = tuple(sum(r.values[i] for r in rows) for i in range(width))
    return [*rows, Row(label=pgettext("baris total tabel", "Jumlah"), values=totals, links=link_total, total=True)]
