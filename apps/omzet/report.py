"""The omzet section of the leadership report (SPEC §7): the interface `apps.reports` composes
(`apps.core.reporting`). The figures are `selectors.omzet_kpi`'s; every breakdown and record list here
is the same population (`selectors.ledger_until`), split or filtered."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext as _

from apps.core.formatting import BULAN, WIB, number_id, rupiah, wib
from apps.core.reporting import (
    NO_VALUE,
    Preparation,
    Records,
    Row,
    Section,
    SectionData,
    SummaryItem,
    Table,
    area_field,
    rows_from_breakdown,
    sorted_rows,
    wib_start,
    with_total,
)
from apps.omzet.models import OmzetLine
from apps.omzet.selectors import ledger_until, omzet_kpi
from apps.regions.selectors import regency_codes_under, region_names

BREAKDOWNS = ("kanal", "wilayah", "sektor", "bulan")
FILTERS = ("periode", "kanal", "area", "sektor", "bulan")
RECORDS = ("omzet",)
SECTOR = "seller__business__sector"


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    """`tukatuku_omzet_kumulatif` and `tukatuku_omzet_tahun`: see `selectors.omzet_kpi`."""
    return omzet_kpi(regency_codes=sorted(regency_codes_under({region})), year=year, as_of=as_of)


def in_year_q(year: int) -> Q:
    return Q(counted_at__gte=wib_start(date(year, 1, 1)), counted_at__lt=wib_start(date(year + 1, 1, 1)))


def _lines(region: str, as_of: date) -> QuerySet[OmzetLine]:
    return ledger_until(regency_codes=sorted(regency_codes_under({region})), as_of=as_of)


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    """The omzet figures split by channel (`kanal`), kecamatan or regency (`wilayah`), the seller's sector
    (`sektor`): rows {key, label, kumulatif, tahun} by label; or the in-year figure by month (`bulan`):
    rows {key "YYYY-MM", label, tahun} from January to the month of D (all twelve for a past year).
    Lines without a kecamatan or sector are under the key `NO_VALUE`."""
    lines = _lines(region, as_of).order_by()
    sums = {"kumulatif": Sum("amount"), "tahun": Sum("amount", filter=in_year_q(year))}

    def grouped(field: str) -> dict[Any, dict[str, int]]:
        out: dict[Any, dict[str, int]] = {}
        groups: Any = lines.values(field).annotate(**sums)
        for g in groups:
            row = out.setdefault(g[field] or "", {"kumulatif": 0, "tahun": 0})
            row["kumulatif"] += int(g["kumulatif"] or 0)
            row["tahun"] += int(g["tahun"] or 0)
        return out

    if by == "kanal":
        by_channel: dict[str, dict[str, int]] = {}
        labels: dict[str, str] = {}
        channel_groups: Any = lines.values("channel__code", "channel__name").annotate(**sums)
        for g in channel_groups:
            row = by_channel.setdefault(g["channel__code"], {"kumulatif": 0, "tahun": 0})
            row["kumulatif"] += int(g["kumulatif"] or 0)
            row["tahun"] += int(g["tahun"] or 0)
            labels[g["channel__code"]] = g["channel__name"]
        return sorted_rows(by_channel, labels)
    if by == "wilayah":
        by_area = grouped(area_field(region))
        return sorted_rows(by_area, region_names(set(by_area)))
    if by == "sektor":
        by_sector = grouped(SECTOR)
        return sorted_rows(by_sector, {k: k for k in by_sector if k})
    if by == "bulan":
        months = {
            g["m"]: int(g["s"] or 0)
            for g in lines.filter(in_year_q(year))
            .annotate(m=ExtractMonth("counted_at", tzinfo=WIB))
            .values("m")
            .annotate(s=Sum("amount"))
        }
        last_month = 12 if as_of.year > year else (as_of.month if as_of.year == year else 0)
        return [
            {"key": f"{year}-{m:02d}", "label": f"{BULAN[m - 1]} {year}", "tahun": months.get(m, 0)}
            for m in range(1, last_month + 1)
        ]
    raise ValueError(f"unknown omzet breakdown: {by}")


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """The ledger lines behind an omzet figure or breakdown row: `periode=tahun` (in year Y), `kanal`,
    `area` (kecamatan, or regency for a province), `sektor`, `bulan` (YYYY-MM)."""
    if figure not in RECORDS:
        raise ValueError(f"unknown omzet records: {figure}")
    qs = _lines(region, as_of)
    if filter.get("periode") == "tahun":
        qs = qs.filter(in_year_q(year))
    if filter.get("kanal"):
        qs = qs.filter(channel__code=filter["kanal"])
    if filter.get("area"):
        field = area_field(region)
        qs = qs.filter(**({f"{field}__isnull": True} if filter["area"] == NO_VALUE else {field: filter["area"]}))
    if "sektor" in filter:
        if filter["sektor"] == NO_VALUE:
            qs = qs.filter(Q(**{f"{SECTOR}__isnull": True}) | Q(**{SECTOR: ""}))
        else:
            qs = qs.filter(**{SECTOR: filter["sektor"]})
    if filter.get("bulan"):
        y, m = (int(x) for x in filter["bulan"].split("-"))
        end = date(y + (m == 12), m % 12 + 1, 1)
        qs = qs.filter(counted_at__gte=wib_start(date(y, m, 1)), counted_at__lt=wib_start(end))
    qs = qs.select_related("channel", "seller", "district").order_by("-counted_at", "-pk")
    return Records(
        _("Baris omzet Tuka-Tuku"),
        [_("Tanggal"), _("Produk"), _("Penjual"), _("Kanal"), _("Kecamatan"), _("Jumlah"), _("Nilai")],
        qs,
        lambda line: [
            wib(line.counted_at),
            line.product_name,
            line.seller.shop_name if line.seller else "–",
            line.channel.name,
            line.district.name if line.district else "–",
            number_id(line.quantity),
            rupiah(line.amount),
        ],
        sum_field="amount",
    )


def preparation(region: str, year: int) -> Preparation | None:
    """Nothing to compute before a report: the figures are read directly."""
    return None


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    return [
        SummaryItem(_("Omzet Tuka-Tuku kumulatif s.d. tanggal posisi"), int(figures["tukatuku_omzet_kumulatif"]), True),
        SummaryItem(_("Omzet Tuka-Tuku dalam tahun"), int(figures["tukatuku_omzet_tahun"]), True),
    ]


def section(data: SectionData) -> Section:
    figures, b, link = data.figures, data.breakdowns, data.link
    columns = (_("Kumulatif s.d. tanggal posisi"), _("Dalam tahun"))
    tables = [
        Table(
            "omzet_ringkas",
            _("Omzet Tuka-Tuku"),
            (_("Uraian"), _("Rupiah")),
            True,
            [
                Row(
                    _("Omzet kumulatif s.d. tanggal posisi"),
                    (int(figures["tukatuku_omzet_kumulatif"]),),
                    (link("omzet", {}),),
                ),
                Row(
                    _("Omzet dalam tahun"),
                    (int(figures["tukatuku_omzet_tahun"]),),
                    (link("omzet", {"periode": "tahun"}),),
                ),
            ],
            chart="",
        )
    ]
    for by, title, dim in (
        ("kanal", _("Omzet per kanal penjualan"), "kanal"),
        ("wilayah", _("Omzet per %(area)s") % {"area": data.area_title}, "area"),
        ("sektor", _("Omzet per sektor"), "sektor"),
    ):
        if by in b:
            rows = rows_from_breakdown(b[by], ("kumulatif", "tahun"), "omzet", dim, link)
            totals = (link("omzet", {}), link("omzet", {"periode": "tahun"}))
            tables.append(Table(f"omzet_per_{by}", title, (_("Uraian"), *columns), True, with_total(rows, totals)))
    if "bulan" in b:
        rows = rows_from_breakdown(b["bulan"], ("tahun",), "omzet", "bulan", link)
        tables.append(
            Table(
                "omzet_per_bulan",
                _("Omzet per bulan dalam tahun"),
                (_("Bulan"), _("Rupiah")),
                True,
                with_total(rows, (link("omzet", {"periode": "tahun"}),)),
            )
        )
    return Section("omzet", _("Omzet Tuka-Tuku"), tables)
