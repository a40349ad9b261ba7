"""The programmes section of the leadership report (SPEC §7, §10): the interface `apps.reports` composes
(`apps.core.reporting`). The figures are `selectors.programme_kpi`'s; the records behind them
`selectors.programmes_of_year` (the activities) and `selectors.programme_kpi_records` (the businesses)."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from apps.core.reporting import Preparation, Records, Section, SectionData, SummaryItem
from apps.program.models import COUNTED, Kind
from apps.program.selectors import programme_kpi, programme_kpi_records, programmes_of_year
from apps.regions.selectors import regency_codes_under

BREAKDOWNS: tuple[str, ...] = ()
RECORDS = ("program",)
FILTERS = ("jenis", "angka")


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    """`program`: per kind, the activities starting in Y and the businesses per figure (see
    `selectors.programme_kpi`)."""
    return programme_kpi(regency_codes=_codes(region), year=year, as_of=as_of)


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    raise ValueError(f"unknown programme breakdown: {by}")


def figure_label(figure: str) -> str:
    return {
        "kegiatan": _("Kegiatan"),
        "peserta": _("Peserta"),
        "lulus": _("Lulus"),
        "penerima": _("Penerima"),
    }.get(figure, figure)


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """`program` filtered by `jenis` (pelatihan, bantuan_kemasan, festival; none: every kind) and `angka`:
    `kegiatan` (the default) lists the activities, the other figures (`peserta`, `lulus`, `penerima`, of one
    kind) the businesses counted."""
    kind, number = filter.get("jenis", ""), filter.get("angka", "kegiatan")
    if figure not in RECORDS or (kind and kind not in Kind.values):
        raise ValueError(f"unknown programme records: {figure} {kind}")
    if number != "kegiatan" and (not kind or number not in COUNTED[kind]):
        raise ValueError(f"unknown programme figure: {kind} {number}")
    codes = _codes(region)
    title = f"{Kind(kind).label} · {figure_label(number)}" if kind else str(_("Kegiatan program"))
    if number == "kegiatan":
        activities = programmes_of_year(regency_codes=codes, year=year, as_of=as_of)
        if kind:
            activities = activities.filter(kind=kind)
        activities = activities.select_related("district").order_by("start_date", "code", "pk")
        return Records(
            title,
            [_("Kode kegiatan"), _("Nama kegiatan"), _("Tanggal mulai"), _("Tanggal selesai"), _("Kecamatan")],
            activities,
            lambda p: [p.code, p.title, str(p.start_date), str(p.end_date), p.district.name if p.district else "–"],
        )
    businesses = programme_kpi_records(regency_codes=codes, year=year, as_of=as_of, kind=kind, figure=number)
    return Records(
        title,
        [_("Nama usaha"), _("Pemilik"), _("Kecamatan")],
        businesses,
        lambda b: [b.name, b.owner.name, b.district.name if b.district else "–"],
    )


def preparation(region: str, year: int) -> Preparation | None:
    """Nothing to compute before a report: the figures are read directly."""
    return None


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    """None yet: the PDF/XLSX summary of the programme figures comes with the programmes' section."""
    return []


def section(data: SectionData) -> Section | None:
    """None yet: the programmes' section of the report (SPEC §7: activities, participants, graduates,
    recipients with their outcomes) is the programme domain's to build from these figures and records."""
    return None
