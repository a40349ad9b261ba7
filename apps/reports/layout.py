"""The report's shape: sections of tables, built once from the figures and breakdowns.

The page, the PDF and the XLSX all render these same tables, so they cannot disagree on a number:
the figures come from the domain KPI selectors (`selectors.kpi_figures`), the breakdowns from
`breakdowns.report_breakdowns`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

KELAS_KEYS = ("mikro", "kecil", "menengah", "besar")
KOPERASI_COLUMNS = ("total", "aktif", "tidak_aktif", "sehat", "tidak_sehat", "belum_dinilai")

# A link maker: (drill-down kind, filters) -> URL, or "" for no link. Exports pass none.
LinkMaker = Callable[[str, dict[str, str]], str]


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


def kelas_label(key: str) -> str:
    return {"mikro": _("Mikro"), "kecil": _("Kecil"), "menengah": _("Menengah"), "besar": _("Besar")}.get(key, key)


def naik_kelas_label(key: str) -> str:
    parts = key.split("_")
    if len(parts) == 2:
        return f"{kelas_label(parts[0])} → {kelas_label(parts[1])}"
    return key


def _no_link(kind: str, filters: dict[str, str]) -> str:
    return ""


def _rows_from_breakdown(
    items: list[dict[str, Any]],
    columns: tuple[str, ...],
    kind: str,
    dimension: str,
    link: LinkMaker,
    column_filters: dict[str, dict[str, str]] | None = None,
) -> list[Row]:
    rows = []
    for item in items:
        values = tuple(int(item[c]) for c in columns)
        links = tuple(
            link(kind, {dimension: str(item["key"]), **(column_filters or {}).get(c, _scope(c))}) for c in columns
        )
        rows.append(Row(label=str(item["label"]), values=values, links=links))
    return rows


def _scope(column: str) -> dict[str, str]:
    return {"periode": "tahun"} if column == "tahun" else {}


def _with_total(rows: list[Row], link_total: tuple[str, ...] = ()) -> list[Row]:
    if not rows:
        return rows
    width = len(rows[0].values)
    totals = tuple(sum(r.values[i] for r in rows) for i in range(width))
    return [*rows, Row(label=_("Jumlah"), values=totals, links=link_total, total=True)]


def report_sections(
    figures: dict[str, Any], breakdowns: dict[str, list[dict[str, Any]]] | None = None, link: LinkMaker | None = None
) -> list[Section]:
    """Every figure of SPEC §7 as titled tables. Without breakdowns (the plain command), only the
    SPEC §8 figures appear."""
    link = link or _no_link
    b = breakdowns or {}
    area = b.get("area_label") or _("Kecamatan")
    area_title = str(area)
    sections: list[Section] = []

    # Omzet Tuka-Tuku
    omzet_cols = (_("Kumulatif s.d. tanggal posisi"), _("Dalam tahun"))
    omzet_tables = [
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
    for key, title, dim in (
        ("omzet_per_kanal", _("Omzet per kanal penjualan"), "kanal"),
        ("omzet_per_wilayah", _("Omzet per %(area)s") % {"area": area_title.lower()}, "area"),
        ("omzet_per_sektor", _("Omzet per sektor"), "sektor"),
    ):
        if key in b:
            rows = _rows_from_breakdown(b[key], ("kumulatif", "tahun"), "omzet", dim, link)
            totals = (link("omzet", {}), link("omzet", {"periode": "tahun"}))
            omzet_tables.append(Table(key, title, (_("Uraian"), *omzet_cols), True, _with_total(rows, totals)))
    if "omzet_per_bulan" in b:
        rows = _rows_from_breakdown(b["omzet_per_bulan"], ("tahun",), "omzet", "bulan", link)
        omzet_tables.append(
            Table(
                "omzet_per_bulan",
                _("Omzet per bulan dalam tahun"),
                (_("Bulan"), _("Rupiah")),
                True,
                _with_total(rows, (link("omzet", {"periode": "tahun"}),)),
            )
        )
    sections.append(Section("omzet", _("Omzet Tuka-Tuku"), omzet_tables))

    # UMKM
    per_kelas = figures.get("umkm_per_kelas") or {}
    umkm_tables = [
        Table(
            "umkm_per_kelas",
            _("UMKM terdaftar per kelas usaha"),
            (_("Kelas usaha"), _("Jumlah UMKM")),
            False,
            [
                Row(kelas_label(k), (int(per_kelas.get(k, 0)),), (link("umkm", {"kelas": k}),))
                for k in (*KELAS_KEYS, *[k for k in per_kelas if k not in KELAS_KEYS])
            ]
            + [Row(_("Jumlah UMKM terdaftar"), (int(figures["umkm_total"]),), (link("umkm", {}),), total=True)],
            chart="pie",
        )
    ]
    for key, title, dim, chart in (
        ("umkm_per_wilayah", _("UMKM per %(area)s") % {"area": area_title.lower()}, "area", "bar"),
        ("umkm_per_sektor", _("UMKM per sektor"), "sektor", "bar"),
        ("umkm_per_jenis_kelamin", _("UMKM per jenis kelamin pemilik"), "jenis_kelamin", "pie"),
    ):
        if key in b:
            rows = _rows_from_breakdown(b[key], ("jumlah",), "umkm", dim, link)
            umkm_tables.append(
                Table(key, title, (_("Uraian"), _("Jumlah UMKM")), False, _with_total(rows, (link("umkm", {}),)), chart)
            )
    naik = figures.get("naik_kelas") or {}
    naik_rows = [Row(naik_kelas_label(k), (int(v),), (link("naik_kelas", {"jenis": k}),)) for k, v in naik.items()]
    umkm_tables.append(
        Table(
            "naik_kelas",
            _("UMKM naik kelas dalam tahun"),
            (_("Jenis kenaikan"), _("Jumlah UMKM")),
            False,
            _with_total(naik_rows, (link("naik_kelas", {}),)),
        )
    )
    sections.append(Section("umkm", _("UMKM"), umkm_tables))

    # Koperasi
    kop_status = [
        Row(_("Aktif"), (int(figures["koperasi_aktif"]),), (link("koperasi", {"status": "aktif"}),)),
        Row(_("Tidak aktif"), (int(figures["koperasi_tidak_aktif"]),), (link("koperasi", {"status": "tidak_aktif"}),)),
        Row(_("Jumlah koperasi terdaftar"), (int(figures["koperasi_total"]),), (link("koperasi", {}),), total=True),
    ]
    kop_health = [
        Row(_("Sehat"), (int(figures["koperasi_sehat"]),), (link("koperasi", {"status": "sehat"}),)),
        Row(_("Tidak sehat"), (int(figures["koperasi_tidak_sehat"]),), (link("koperasi", {"status": "tidak_sehat"}),)),
        Row(
            _("Belum dinilai"),
            (int(figures["koperasi_belum_dinilai"]),),
            (link("koperasi", {"status": "belum_dinilai"}),),
        ),
    ]
    kop_health = _with_total(kop_health, (link("koperasi", {"status": "aktif"}),))
    dissolved = figures.get("koperasi_dibubarkan_per_tahun") or {}
    dis_rows = [
        Row(str(y), (int(n),), (link("koperasi", {"status": "dibubarkan", "tahun_bubar": str(y)}),))
        for y, n in sorted(dissolved.items())
    ]
    kop_tables = [
        Table(
            "koperasi_status",
            _("Koperasi terdaftar menurut keaktifan"),
            (_("Status"), _("Jumlah")),
            False,
            kop_status,
            "pie",
        ),
        Table(
            "koperasi_kesehatan",
            _("Koperasi aktif menurut kesehatan"),
            (_("Predikat"), _("Jumlah")),
            False,
            kop_health,
            "pie",
        ),
        Table(
            "koperasi_dibubarkan",
            _("Koperasi dibubarkan per tahun"),
            (_("Tahun"), _("Jumlah")),
            False,
            _with_total(dis_rows, (link("koperasi", {"status": "dibubarkan"}),)),
        ),
    ]
    kop_cols = (_("Terdaftar"), _("Aktif"), _("Tidak aktif"), _("Sehat"), _("Tidak sehat"), _("Belum dinilai"))
    kop_filters = {c: ({"status": c} if c != "total" else {}) for c in KOPERASI_COLUMNS}
    for key, title, dim in (
        ("koperasi_per_wilayah", _("Koperasi per %(area)s") % {"area": area_title.lower()}, "area"),
        ("koperasi_per_jenis", _("Koperasi per jenis"), "jenis_koperasi"),
    ):
        if key in b:
            rows = _rows_from_breakdown(b[key], KOPERASI_COLUMNS, "koperasi", dim, link, kop_filters)
            kop_totals = tuple(link("koperasi", kop_filters[c]) for c in KOPERASI_COLUMNS)
            kop_tables.append(Table(key, title, (_("Uraian"), *kop_cols), False, _with_total(rows, kop_totals)))
    sections.append(Section("koperasi", _("Koperasi"), kop_tables))
    return sections


SUMMARY_KEYS: tuple[tuple[str, bool], ...] = (
    ("tukatuku_omzet_kumulatif", True),
    ("tukatuku_omzet_tahun", True),
    ("umkm_total", False),
    ("koperasi_total", False),
    ("koperasi_aktif", False),
    ("koperasi_tidak_aktif", False),
    ("koperasi_sehat", False),
    ("koperasi_tidak_sehat", False),
    ("koperasi_belum_dinilai", False),
)


def summary_label(key: str) -> str:
    return {
        "tukatuku_omzet_kumulatif": _("Omzet Tuka-Tuku kumulatif s.d. tanggal posisi"),
        "tukatuku_omzet_tahun": _("Omzet Tuka-Tuku dalam tahun"),
        "umkm_total": _("UMKM terdaftar"),
        "koperasi_total": _("Koperasi terdaftar"),
        "koperasi_aktif": _("Koperasi aktif"),
        "koperasi_tidak_aktif": _("Koperasi tidak aktif"),
        "koperasi_sehat": _("Koperasi aktif yang sehat"),
        "koperasi_tidak_sehat": _("Koperasi aktif yang tidak sehat"),
        "koperasi_belum_dinilai": _("Koperasi aktif yang belum dinilai"),
    }.get(key, key)
