"""The leadership report (SPEC §7, §8) composed from what each domain exposes.

Every figure, breakdown and record list is defined once, in its domain's `report.py` (the interface is
`apps.core.reporting.DomainReport`; docs/architecture.md says how to add one). This module defines no
population of its own: it asks each domain of `SECTIONS`, in order, and `build_report` is the one
builder behind the page, the PDF and XLSX (page and background export job) and `manage.py kpi_report`,
so they cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from typing import Any, cast

from apps.core.reporting import (
    DomainReport,
    LinkMaker,
    Preparation,
    Records,
    Section,
    SectionData,
    SummaryItem,
    no_link,
)

# The domains with a section in the report, in the report's order: adding a section is one entry here
# (plus the domain's own `report.py`). The SPEC §8 keys of `kpi_report` follow the same order.
SECTIONS = [
    "apps.omzet.report",
    "apps.umkm.report",
    "apps.koperasi.report",
    "apps.program.report",
    "apps.pengembangan.report",
    "apps.pinjaman.report",
]

DOMAINS: dict[str, DomainReport] = {path.split(".")[1]: cast(DomainReport, import_module(path)) for path in SECTIONS}


@dataclass
class Report:
    """Figures (the SPEC §8 object) and, unless built for the plain command, each domain's breakdowns."""

    region: str
    year: int
    as_of: date
    figures: dict[str, Any]
    breakdowns: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)

    def sections(self, link: LinkMaker = no_link) -> list[Section]:
        """Every table of the report, each value linked to its records by `link` (none for exports)."""
        sections = []
        for key, domain in DOMAINS.items():
            data = SectionData(self.region, self.year, self.as_of, self.figures, self.breakdowns.get(key, {}), link)
            section = domain.section(data)
            if section is not None:
                sections.append(section)
        return sections

    def summary(self) -> list[SummaryItem]:
        """The SPEC §8 figures as labelled lines, in the contract's order (the summary of PDF and XLSX)."""
        return [item for domain in DOMAINS.values() for item in domain.summary(self.figures)]


@dataclass(frozen=True)
class HeadlineRow:
    """One figure of the summary beside the same figure a year earlier (same day of the year)."""

    label: str
    value: int
    previous: int | None  # None: the figure did not exist last year
    money: bool

    @property
    def change(self) -> int:
        return self.value - (self.previous or 0)

    @property
    def sign(self) -> str:
        return "+" if self.change > 0 else "−" if self.change < 0 else ""

    @property
    def change_size(self) -> int:
        return abs(self.change)

    @property
    def change_percent(self) -> Decimal | None:
        """The size of the change as a percentage of last year's figure, one decimal half up (the sign is
        `sign`); None when last year was 0 or nothing changed."""
        if not self.previous or not self.change:  # (also None)
            return None
        return (Decimal(self.change_size) * 100 / Decimal(self.previous)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def a_year_earlier(day: date) -> date:
    """The same date a year earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def headline(report: Report) -> list[HeadlineRow]:
    """The report's summary figures with last year's beside them: the same builder for year - 1 as of the
    same day a year earlier, so this year's and last year's numbers are defined once and alike."""
    before = build_report(
        region=report.region, year=report.year - 1, as_of=a_year_earlier(report.as_of), breakdowns=False
    )
    rows = []
    for domain in DOMAINS.values():
        now, then = domain.summary(report.figures), domain.summary(before.figures)
        # The same figure last year: the line of the same label, else the same place in the domain's list
        # (labels that name the year, "dibubarkan tahun 2018"), else none (a figure last year lacked).
        by_label = {str(item.label): item for item in then}
        for i, item in enumerate(now):
            match = by_label.get(str(item.label)) or (then[i] if len(then) == len(now) else None)
            rows.append(HeadlineRow(str(item.label), item.value, match.value if match else None, item.money))
    return rows


def build_report(*, region: str, year: int, as_of: date, breakdowns: bool = True) -> Report:
    """The report of a regency (`33.03`) or a province (`33`) for data year `year` as of `as_of`. Without
    breakdowns (the JSON of `kpi_report`) only the figures are computed, by the same functions."""
    figures: dict[str, Any] = {"regency": region, "year": year, "as_of": as_of.isoformat()}
    for domain in DOMAINS.values():
        figures.update(domain.kpi(region, year, as_of))
    report = Report(region=region, year=year, as_of=as_of, figures=figures)
    if breakdowns:
        report.breakdowns = {
            key: {by: domain.breakdown(region, year, as_of, by) for by in domain.BREAKDOWNS}
            for key, domain in DOMAINS.items()
        }
    return report


def records_domain(figure: str) -> DomainReport | None:
    """The domain whose records are behind `figure` (a drill-down kind: `omzet`, `umkm`, `naik_kelas` …)."""
    return next((d for d in DOMAINS.values() if figure in d.RECORDS), None)


def records(*, figure: str, region: str, year: int, as_of: date, filters: dict[str, str]) -> Records:
    """The records behind one figure of the report, filtered as the row it was linked from."""
    domain = records_domain(figure)
    if domain is None:
        raise ValueError(f"no records for {figure}")
    return domain.records(region, year, as_of, figure, **{k: v for k, v in filters.items() if k in domain.FILTERS})


def preparation(*, region: str, year: int) -> Preparation | None:
    """Derived data the report must compute first (the UMKM roll-ups of a data year nobody reported on),
    all domains together; None when there is nothing (or little) to compute."""
    found = [p for d in DOMAINS.values() if (p := d.preparation(region, year)) is not None]
    if not found:
        return None
    return Preparation(
        cost=sum(p.cost for p in found),
        message=found[0].message if len(found) == 1 else "",
        steps=[step for p in found for step in p.steps],
    )
