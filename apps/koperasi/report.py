"""The cooperatives section of the leadership report (SPEC §7): the interface `apps.reports` composes
(`apps.core.reporting`). The figures are `selectors.koperasi_kpi`'s, the breakdowns
`selectors.koperasi_breakdown`'s, the records `selectors.registered_on` narrowed by `selectors.with_status`:
the populations the figures count."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
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
    is_province,
    rows_from_breakdown,
    sorted_rows,
    with_total,
)
from apps.koperasi.models import Koperasi
from apps.koperasi.selectors import koperasi_breakdown, koperasi_kpi, registered_on, with_status
from apps.regions.selectors import regency_codes_under, region_names

BREAKDOWNS = ("wilayah", "jenis")
FILTERS = ("status", "tahun_bubar", "area", "jenis_koperasi")
RECORDS = ("koperasi",)
COLUMNS = ("total", "aktif", "tidak_aktif", "sehat", "tidak_sehat", "belum_dinilai")


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    """`koperasi_total`, `koperasi_aktif` … `koperasi_dibubarkan_per_tahun`: see `selectors.koperasi_kpi`."""
    return koperasi_kpi(regency_codes=_codes(region), year=year, as_of=as_of)


def _rows(
    by: str, codes: list[str], year: int, as_of: date, key_of: Any
) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    out: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for b in koperasi_breakdown(regency_codes=codes, year=year, as_of=as_of, by=by):
        key = key_of(b) or NO_VALUE
        row = out.setdefault(key, dict.fromkeys(COLUMNS, 0))
        for c in COLUMNS:
            row[c] += getattr(b, c)
        labels[key] = b.label
    return out, labels


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    """The cooperatives of `koperasi_total` by kecamatan (by regency for a province: `wilayah`) or kind
    (`jenis`): rows {key, label, total, aktif, tidak_aktif, sehat, tidak_sehat, belum_dinilai}."""
    codes = _codes(region)
    if by == "jenis":
        return sorted_rows(*_rows("jenis", codes, year, as_of, lambda b: b.key))
    if by != "wilayah":
        raise ValueError(f"unknown koperasi breakdown: {by}")
    if not is_province(region):
        return sorted_rows(*_rows("district", codes, year, as_of, lambda b: b.key))
    # A cooperative may lack a kecamatan but always has its regency: split per regency.
    by_area: dict[str, dict[str, int]] = {}
    for code in codes:
        counts, _labels = _rows("jenis", [code], year, as_of, lambda b, code=code: code)
        by_area.update(counts)
    return sorted_rows(by_area, region_names(set(by_area)))


def status_queryset(codes: list[str], year: int, as_of: date, status: str) -> QuerySet[Koperasi]:
    """Registered cooperatives, narrowed to a status of the report (aktif, tidak_aktif, sehat,
    tidak_sehat, belum_dinilai) as `koperasi_kpi` counts them."""
    qs = registered_on(Koperasi.objects.filter(regency_id__in=codes), as_of)
    if not status:
        return qs
    qs = with_status(qs, as_of=as_of, year=year)
    if status == "aktif":
        return qs.filter(aktif_pada=True)
    if status == "tidak_aktif":
        return qs.filter(aktif_pada=False)
    qs = qs.filter(aktif_pada=True)
    if status == "sehat":
        return qs.filter(sehat_tahun=True)
    if status == "tidak_sehat":
        return qs.filter(sehat_tahun=False)
    if status == "belum_dinilai":
        return qs.filter(sehat_tahun__isnull=True)
    return qs.none()


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """The cooperatives behind a figure: `status` (one of the KPI's, or `dibubarkan` with `tahun_bubar`),
    `area` (kecamatan, or regency for a province), `jenis_koperasi`."""
    if figure not in RECORDS:
        raise ValueError(f"unknown koperasi records: {figure}")
    codes = _codes(region)
    status = filter.get("status", "")
    if status == "dibubarkan":
        qs = Koperasi.objects.filter(regency_id__in=codes, tanggal_pembubaran__lte=as_of)
        if filter.get("tahun_bubar"):
            qs = qs.filter(tanggal_pembubaran__year=int(filter["tahun_bubar"]))
    else:
        qs = status_queryset(codes, year, as_of, status)
    if filter.get("area"):
        field = area_field(region)
        qs = qs.filter(**({f"{field}__isnull": True} if filter["area"] == NO_VALUE else {field: filter["area"]}))
    if filter.get("jenis_koperasi"):
        qs = qs.filter(jenis=filter["jenis_koperasi"])
    qs = qs.select_related("district").order_by("nama", "pk")
    return Records(
        _("Koperasi"),
        [
            _("Nomor badan hukum"),
            _("Nama"),
            _("Jenis"),
            _("Kecamatan"),
            _("Tanggal badan hukum"),
            _("Tanggal pembubaran"),
        ],
        qs,
        lambda k: [
            k.nomor_badan_hukum,
            k.nama,
            k.get_jenis_display(),
            k.district.name if k.district else "–",
            str(k.tanggal_badan_hukum),
            str(k.tanggal_pembubaran or "–"),
        ],
    )


def preparation(region: str, year: int) -> Preparation | None:
    """Nothing to compute before a report: the figures are read directly."""
    return None


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    items = [
        SummaryItem(_("Koperasi terdaftar"), int(figures["koperasi_total"])),
        SummaryItem(_("Koperasi aktif"), int(figures["koperasi_aktif"])),
        SummaryItem(_("Koperasi tidak aktif"), int(figures["koperasi_tidak_aktif"])),
        SummaryItem(_("Koperasi aktif yang sehat"), int(figures["koperasi_sehat"])),
        SummaryItem(_("Koperasi aktif yang tidak sehat"), int(figures["koperasi_tidak_sehat"])),
        SummaryItem(_("Koperasi aktif yang belum dinilai"), int(figures["koperasi_belum_dinilai"])),
    ]
    items += [
        SummaryItem(_("Koperasi dibubarkan tahun %(tahun)s") % {"tahun": y}, int(n))
        for y, n in sorted(figures["koperasi_dibubarkan_per_tahun"].items())
    ]
    return items


def section(data: SectionData) -> Section:
    figures, b, link = data.figures, data.breakdowns, data.link
    status_rows = [
        Row(_("Aktif"), (int(figures["koperasi_aktif"]),), (link("koperasi", {"status": "aktif"}),)),
        Row(_("Tidak aktif"), (int(figures["koperasi_tidak_aktif"]),), (link("koperasi", {"status": "tidak_aktif"}),)),
        Row(_("Jumlah koperasi terdaftar"), (int(figures["koperasi_total"]),), (link("koperasi", {}),), total=True),
    ]
    health_rows = [
        Row(_("Sehat"), (int(figures["koperasi_sehat"]),), (link("koperasi", {"status": "sehat"}),)),
        Row(_("Tidak sehat"), (int(figures["koperasi_tidak_sehat"]),), (link("koperasi", {"status": "tidak_sehat"}),)),
        Row(
            _("Belum dinilai"),
            (int(figures["koperasi_belum_dinilai"]),),
            (link("koperasi", {"status": "belum_dinilai"}),),
        ),
    ]
    health_rows = with_total(health_rows, (link("koperasi", {"status": "aktif"}),))
    dissolved = figures.get("koperasi_dibubarkan_per_tahun") or {}
    dissolved_rows = [
        Row(str(y), (int(n),), (link("koperasi", {"status": "dibubarkan", "tahun_bubar": str(y)}),))
        for y, n in sorted(dissolved.items())
    ]
    tables = [
        Table(
            "koperasi_status",
            _("Koperasi terdaftar menurut keaktifan"),
            (_("Status"), _("Jumlah")),
            False,
            status_rows,
            "pie",
        ),
        Table(
            "koperasi_kesehatan",
            _("Koperasi aktif menurut kesehatan"),
            (_("Predikat"), _("Jumlah")),
            False,
            health_rows,
            "pie",
        ),
        Table(
            "koperasi_dibubarkan",
            _("Koperasi dibubarkan per tahun"),
            (_("Tahun"), _("Jumlah")),
            False,
            with_total(dissolved_rows, (link("koperasi", {"status": "dibubarkan"}),)),
        ),
    ]
    headers = (_("Terdaftar"), _("Aktif"), _("Tidak aktif"), _("Sehat"), _("Tidak sehat"), _("Belum dinilai"))
    filters = {c: ({"status": c} if c != "total" else {}) for c in COLUMNS}
    for by, title, dim in (
        ("wilayah", _("Koperasi per %(area)s") % {"area": data.area_title}, "area"),
        ("jenis", _("Koperasi per jenis"), "jenis_koperasi"),
    ):
        if by in b:
            rows = rows_from_breakdown(b[by], COLUMNS, "koperasi", dim, link, filters)
            totals = tuple(link("koperasi", filters[c]) for c in COLUMNS)
            tables.append(Table(f"koperasi_per_{by}", title, (_("Uraian"), *headers), False, with_total(rows, totals)))
    return Section("koperasi", _("Koperasi"), tables)
