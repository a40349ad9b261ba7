"""Cooperative development in the leadership report (SPEC §7 "managers tested and found competent in Y",
§11): the interface `apps.reports` composes (`apps.core.reporting`). The figures are
`selectors.ujikom.ujikom_kpi`'s, split by the cooperatives' kecamatan (regency for a province) and kind by
`selectors.ujikom.ujikom_breakdown`, the managers behind them `selectors.ujikom.ujikom_records`; the
Koperasi Award's approved categories of Y and their entries come from `selectors.award`."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

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
    with_total,
)
from apps.koperasi.models import Jenis
from apps.pengembangan.selectors.award import award_records, award_summary
from apps.pengembangan.selectors.ujikom import ujikom_breakdown, ujikom_kpi, ujikom_records_filtered
from apps.regions.models import Region
from apps.regions.selectors import regency_codes_under

BREAKDOWNS: tuple[str, ...] = ("wilayah", "jenis", "award")
RECORDS = ("uji_kompetensi", "award")
FILTERS = ("hasil", "area", "jenis_koperasi", "kategori", "pemenang")
COLUMNS = ("peserta", "kompeten")


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    """`uji_kompetensi`: managers tested in Y (`peserta`) and found kompeten in Y: see
    `selectors.ujikom.ujikom_kpi`."""
    return ujikom_kpi(regency_codes=_codes(region), year=year, as_of=as_of)


def _region_labels(keys: list[str]) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    """`wilayah`: per kecamatan of the manager's cooperative (per regency for a province); `jenis`: per
    kind of cooperative; both `{"key", "label", "peserta", "kompeten"}` adding up to the figures.
    `award`: the approved Koperasi Award categories of Y with their entries and winners."""
    codes = _codes(region)
    if by == "award":
        return award_summary(regency_codes=codes, year=year)
    if by == "wilayah":
        counts = ujikom_breakdown(regency_codes=codes, year=year, field=area_field(region))
        return sorted_rows(counts, _region_labels([k for k in counts if k]))
    if by == "jenis":
        counts = ujikom_breakdown(regency_codes=codes, year=year, field="jenis")
        return sorted_rows(counts, {k: str(v) for k, v in Jenis.choices})
    raise ValueError(f"unknown competency-test breakdown: {by}")


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """`uji_kompetensi`: the managers behind `peserta` (or `kompeten` with `hasil=kompeten`), narrowed by
    `area` or `jenis_koperasi`; `award`: the entries of Y's approved categories (`kategori`, `pemenang=1`)."""
    codes = _codes(region)
    if figure == "award":
        entries = award_records(
            regency_codes=codes,
            year=year,
            category_id=filter.get("kategori", ""),
            winners_only=bool(filter.get("pemenang")),
        )
        return Records(
            _("Entri Koperasi Award"),
            [_("Kategori"), _("Peringkat"), _("Koperasi"), _("Nilai akhir")],
            entries,
            lambda n: [n.category.nama, str(n.peringkat or "–"), n.koperasi.nama, str(n.nilai_akhir or "–")],
        )
    if figure != "uji_kompetensi":
        raise ValueError(f"unknown competency-test records: {figure}")
    kompeten = filter.get("hasil") == "kompeten"
    field, value = "", None
    if filter.get("area"):
        field, value = area_field(region), (None if filter["area"] == NO_VALUE else filter["area"])
    elif filter.get("jenis_koperasi"):
        field, value = "jenis", filter["jenis_koperasi"]
    managers = ujikom_records_filtered(regency_codes=codes, year=year, kompeten_only=kompeten, field=field, value=value)
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
    u = figures.get("uji_kompetensi")
    if u is None:  # figures assembled without this domain (e.g. another domain's tests)
        return []
    return [
        SummaryItem(_("Pengelola koperasi yang diuji kompetensinya"), int(u["peserta"])),
        SummaryItem(_("Pengelola koperasi yang kompeten"), int(u["kompeten"])),
    ]


def section(data: SectionData) -> Section | None:
    u, b, link = data.figures.get("uji_kompetensi"), data.breakdowns, data.link
    if u is None:  # figures assembled without this domain
        return None
    hasil = {"peserta": {}, "kompeten": {"hasil": "kompeten"}}
    tables = [
        Table(
            "uji_kompetensi",
            _("Uji kompetensi pengelola koperasi tahun %(tahun)s") % {"tahun": data.year},
            (_("Uraian"), _("Jumlah")),
            False,
            [
                Row(_("Pengelola yang diuji"), (int(u["peserta"]),), (link("uji_kompetensi", {}),)),
                Row(_("Pengelola yang kompeten"), (int(u["kompeten"]),), (link("uji_kompetensi", hasil["kompeten"]),)),
            ],
            "",
        )
    ]
    headers = (_("Uraian"), _("Diuji"), _("Kompeten"))
    for by, title, dim in (
        ("wilayah", _("Uji kompetensi per %(area)s") % {"area": data.area_title}, "area"),
        ("jenis", _("Uji kompetensi per jenis koperasi"), "jenis_koperasi"),
    ):
        if by in b:
            rows = rows_from_breakdown(b[by], COLUMNS, "uji_kompetensi", dim, link, hasil)
            totals = tuple(link("uji_kompetensi", hasil[c]) for c in COLUMNS)
            tables.append(Table(f"uji_kompetensi_per_{by}", title, headers, False, with_total(rows, totals)))
    if b.get("award"):
        rows = [
            Row(
                str(item["label"]),
                (int(item["nominasi"]), int(item["pemenang"])),
                (link("award", {"kategori": item["key"]}), link("award", {"kategori": item["key"], "pemenang": "1"})),
            )
            for item in b["award"]
        ]
        tables.append(
            Table(
                "koperasi_award",
                _("Koperasi Award %(tahun)s (kategori yang disetujui)") % {"tahun": data.year},
                (_("Kategori"), _("Nominasi"), _("Pemenang")),
                False,
                rows,
                "",
            )
        )
    return Section("pengembangan", _("Pengembangan koperasi"), tables)
