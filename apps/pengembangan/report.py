"""Cooperative development in the leadership report (SPEC §7, §11): the interface `apps.reports` composes
(`apps.core.reporting`). The figures are `selectors.ujikom.ujikom_kpi`'s, the records behind them
`selectors.ujikom.ujikom_records`."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from apps.core.reporting import Preparation, Records, Section, SectionData, SummaryItem
from apps.pengembangan.selectors.ujikom import ujikom_kpi, ujikom_records
from apps.regions.selectors import regency_codes_under

BREAKDOWNS: tuple[str, ...] = ()
RECORDS = ("uji_kompetensi",)
FILTERS = ("hasil",)


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    """`uji_kompetensi`: managers tested in Y (`peserta`) and found kompeten in Y: see
    `selectors.ujikom.ujikom_kpi`."""
    return ujikom_kpi(regency_codes=_codes(region), year=year, as_of=as_of)


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    raise ValueError(f"unknown competency-test breakdown: {by}")


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """The managers behind `uji_kompetensi.peserta`, or `.kompeten` with `hasil=kompeten`."""
    if figure not in RECORDS:
        raise ValueError(f"unknown competency-test records: {figure}")
    kompeten = filter.get("hasil") == "kompeten"
    managers = ujikom_records(regency_codes=_codes(region), year=year, kompeten_only=kompeten)
    return Records(
        _("Pengelola koperasi kompeten") if kompeten else _("Pengelola koperasi yang diuji"),
        [_("Koperasi"), _("Nama"), _("Jabatan")],
        managers,
        lambda m: [m.koperasi.nama, m.nama, m.get_jabatan_display()],
    )


def preparation(region: str, year: int) -> Preparation | None:
    """Nothing to compute before a report: the figures are read directly."""
    return None


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    """None yet: the PDF/XLSX summary of these figures comes with their section."""
    return []


def section(data: SectionData) -> Section | None:
    """None yet: "managers tested and found competent in Y" (SPEC §7) is the domain's to add as a table of
    its own section (or of the cooperatives' section) from these figures and records."""
    return None
