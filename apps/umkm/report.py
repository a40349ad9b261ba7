"""The UMKM section of the leadership report (SPEC §7): the interface `apps.reports` composes
(`apps.core.reporting`). The figures are `selectors.umkm_kpi`'s, the breakdowns `selectors.umkm_breakdown`'s,
read per regency from the roll-ups (`rollups.py`); the records are `selectors.latest_records` and
`selectors.naik_kelas_records`, the populations the figures count."""

from datetime import date
from functools import partial
from typing import Any

from django.db.models import F, Q, QuerySet
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
from apps.regions.selectors import regency_codes_under, region_names
from apps.umkm.models import Business, BusinessYear
from apps.umkm.rollups import (
    rollups_to_compute,
    umkm_rollup_figures,
    umkm_rollup_refresh,
    umkm_rollups,
)
from apps.umkm.selectors import (
    KELAS_KEYS,
    latest_records,
    naik_kelas_records,
    naik_kelas_with_unchanged_figures,
)

BREAKDOWNS = ("wilayah", "sektor", "jenis_kelamin")
FILTERS = ("area", "sektor", "jenis_kelamin", "kelas", "jenis", "angka_tetap")
RECORDS = ("umkm", "naik_kelas")
_STORED = {by: f"umkm_per_{by}" for by in BREAKDOWNS}  # the keys of `rollups.ROW_BREAKDOWNS`


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    """`umkm_total`, `umkm_per_kelas`, `naik_kelas`: `selectors.umkm_kpi` of each regency (kept in the
    roll-ups), summed over the region's regencies (a business belongs to one regency)."""
    return umkm_rollup_figures(regency_codes=_codes(region), year=year, as_of=as_of)


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    """The businesses of `umkm_total` by kecamatan (by regency for a province: `wilayah`), sector
    (`sektor`) or the owner's gender (`jenis_kelamin`): rows {key, label, jumlah}, read from the roll-ups
    (each regency's `selectors.umkm_breakdown`); a province's rows are the sums of its regencies'."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown UMKM breakdown: {by}")
    rows = umkm_rollups(regency_codes=_codes(region), year=year, as_of=as_of)
    stored = _STORED[by]
    if not is_province(region):
        return rows[0].breakdowns[stored] if rows else []
    if by == "wilayah":
        per_regency = {
            r.regency_id: {"jumlah": n} for r in rows if (n := sum(x["jumlah"] for x in r.breakdowns[stored]))
        }
        return sorted_rows(per_regency, region_names(set(per_regency)))
    counts: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for r in rows:
        for item in r.breakdowns[stored]:
            counts.setdefault(item["key"], {"jumlah": 0})["jumlah"] += item["jumlah"]
            labels[item["key"]] = item["label"]
    out = [{"key": k, "label": labels[k], **counts[k]} for k in counts]
    if by == "sektor":
        return sorted(out, key=lambda x: str(x["label"]).lower())
    return sorted(out, key=lambda x: x["key"])


def _area_q(region: str, code: str, prefix: str) -> Q:
    field = prefix + area_field(region)
    return Q(**{f"{field}__isnull": True}) if code == NO_VALUE else Q(**{field: code})


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """`umkm`: the businesses counted in `umkm_total` (their latest yearly record ≤ Y), filtered by
    `area`, `sektor`, `jenis_kelamin`, `kelas`; `naik_kelas`: the records of Y a class higher than Y−1,
    filtered by `jenis` (e.g. `mikro_kecil`) and `area`."""
    codes = _codes(region)
    if figure == "umkm":
        qs: QuerySet[BusinessYear] = latest_records(regency_codes=codes, year=year)
        if filter.get("area"):
            qs = qs.filter(_area_q(region, filter["area"], ""))
        if "sektor" in filter:
            sector = filter["sektor"]
            qs = qs.filter(
                Q(business__sector__isnull=True) | Q(business__sector="")
                if sector == NO_VALUE
                else Q(business__sector=sector)
            )
        if filter.get("jenis_kelamin"):
            qs = qs.filter(business__owner__gender=filter["jenis_kelamin"])
        if filter.get("kelas"):
            qs = qs.filter(kelas=filter["kelas"])
        qs = qs.select_related("business__owner", "district").order_by("district_id", "business__name", "business_id")
        return Records(
            _("UMKM terdaftar"),
            [_("Nama usaha"), _("Pemilik"), _("Jenis kelamin"), _("Sektor"), _("Kecamatan"), _("Kelas")],
            qs,
            lambda r: [
                r.business.name,
                r.business.owner.name,
                r.business.owner.get_gender_display(),
                r.business.sector,
                r.district.name,
                r.kelas,
            ],
        )
    if figure == "naik_kelas":
        move = filter.get("jenis", "")
        moves = naik_kelas_records(regency_codes=codes, year=year, move=move if "_" in move else "")
        if filter.get("angka_tetap"):  # the moves caused by the law alone
            moves = naik_kelas_with_unchanged_figures(regency_codes=codes, year=year)
        if filter.get("area"):
            moves = moves.filter(_area_q(region, filter["area"], ""))
        moves = (
            moves.annotate(kelas_lalu=F("previous__kelas"))
            .select_related("business__owner", "district")
            .order_by("district_id", "business__name", "business_id")
        )
        return Records(
            _("UMKM naik kelas tahun %(year)s") % {"year": year},
            [
                _("Nama usaha"),
                _("Pemilik"),
                _("Kecamatan"),
                _("Kelas %(y)s") % {"y": year - 1},
                _("Kelas %(y)s") % {"y": year},
            ],
            moves,
            lambda r: [r.business.name, r.business.owner.name, r.district.name, r.kelas_lalu, r.kelas],
        )
    raise ValueError(f"unknown UMKM records: {figure}")


def preparation(region: str, year: int) -> Preparation | None:
    """The roll-ups a report of this region and year must compute first (a data year nobody reported on,
    or regencies changed since): None when at most one regency is missing."""
    todo = rollups_to_compute(regency_codes=_codes(region), year=year)
    if len(todo) <= 1:
        return None
    return Preparation(
        cost=Business.objects.filter(regency_id__in=todo).count(),
        message=_("Menghitung ringkasan UMKM per kabupaten/kota"),
        steps=[
            (code, partial(umkm_rollup_refresh, regency_codes=[code], year=year, as_of=date(year, 12, 31)))
            for code in todo
        ],
    )


def kelas_label(key: str) -> str:
    return {"mikro": _("Mikro"), "kecil": _("Kecil"), "menengah": _("Menengah"), "besar": _("Besar")}.get(key, key)


def naik_kelas_label(key: str) -> str:
    """`Mikro → Kecil`; a jump of two or three classes, counted under its own key (SPEC §4), says so."""
    parts = key.split("_")
    if len(parts) != 2 or parts[0] not in KELAS_KEYS or parts[1] not in KELAS_KEYS:
        return key
    label = f"{kelas_label(parts[0])} → {kelas_label(parts[1])}"
    jump = KELAS_KEYS.index(parts[1]) - KELAS_KEYS.index(parts[0])
    return label + (" " + _("(lompat %(n)s kelas)") % {"n": jump} if jump > 1 else "")


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    per_kelas = figures["umkm_per_kelas"]
    items = [SummaryItem(_("UMKM terdaftar"), int(figures["umkm_total"]))]
    items += [
        SummaryItem(_("UMKM kelas %(kelas)s") % {"kelas": kelas_label(k).lower()}, int(per_kelas.get(k, 0)))
        for k in KELAS_KEYS
    ]
    items += [
        SummaryItem(_("Naik kelas %(jenis)s") % {"jenis": naik_kelas_label(k)}, int(v))
        for k, v in figures["naik_kelas"].items()
    ]
    return items


def section(data: SectionData) -> Section:
    figures, b, link = data.figures, data.breakdowns, data.link
    per_kelas = figures.get("umkm_per_kelas") or {}
    tables = [
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
    for by, title, dim, chart in (
        ("wilayah", _("UMKM per %(area)s") % {"area": data.area_title}, "area", "bar"),
        ("sektor", _("UMKM per sektor"), "sektor", "bar"),
        ("jenis_kelamin", _("UMKM per jenis kelamin pemilik"), "jenis_kelamin", "pie"),
    ):
        if by in b:
            rows = rows_from_breakdown(b[by], ("jumlah",), "umkm", dim, link)
            tables.append(
                Table(
                    f"umkm_per_{by}",
                    title,
                    (_("Uraian"), _("Jumlah UMKM")),
                    False,
                    with_total(rows, (link("umkm", {}),)),
                    chart,
                )
            )
    naik = figures.get("naik_kelas") or {}
    naik_rows = [Row(naik_kelas_label(k), (int(v),), (link("naik_kelas", {"jenis": k}),)) for k, v in naik.items()]
    tables.append(
        Table(
            "naik_kelas",
            _("UMKM naik kelas dalam tahun"),
            (_("Jenis kenaikan"), _("Jumlah UMKM")),
            False,
            with_total(naik_rows, (link("naik_kelas", {}),)),
        )
    )
    if "naik_kelas_angka_tetap" in figures:  # how many of those moves the change of law alone made
        tables.append(
            Table(
                "naik_kelas_angka_tetap",
                _("Naik kelas karena perubahan aturan"),
                (_("Uraian"), _("Jumlah UMKM")),
                False,
                [
                    Row(
                        _("Naik kelas dengan modal dan omzet sama dengan tahun sebelumnya"),
                        (int(figures["naik_kelas_angka_tetap"]),),
                        (link("naik_kelas", {"angka_tetap": "1"}),),
                    )
                ],
                chart="",
            )
        )
    return Section("umkm", _("UMKM"), tables)
