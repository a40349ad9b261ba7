"""The programmes section of the leadership report (SPEC §7 "programmes of Y by kind: activities, participants,
graduates, recipients, with their outcomes", §10): the interface `apps.reports` composes
(`apps.core.reporting`).

- The figures are `selectors.programme_kpi`'s (the `program` key of `kpi_report`), nothing else.
- Breakdowns: `wilayah` splits the businesses behind each figure (and certificates and the UMKM reached, every
  business once) by the business's kecamatan (regency for a province); `tempat` the activities by the
  kecamatan they were held in; `nilai` the rupiah of packaging aid handed over and of festival booth sales
  per kecamatan; `hasil` the outcomes (`outcomes.outcome`: participants against the comparison group of
  SPEC §10), a comparison, not a causal claim.
- Records: `program` (activities or businesses), `program_nilai` (handovers or booth sales, summed) and
  `program_hasil` (the businesses of one outcome figure).
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from apps.core.formatting import number_id, rupiah, tanggal
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
from apps.program.models import COUNTED, Kind
from apps.program.outcomes import outcome, outcome_businesses, share_text
from apps.program.selectors import (
    AREA_COLUMNS,
    REACH,
    festival_sales,
    packaging_deliveries,
    programme_activity_counts,
    programme_area_counts,
    programme_businesses,
    programme_kpi,
    programme_value_counts,
    programmes_of_year,
)
from apps.regions.models import Region
from apps.regions.selectors import regency_codes_under
from apps.umkm.models import Business

BREAKDOWNS: tuple[str, ...] = ("wilayah", "tempat", "nilai", "hasil")
RECORDS = ("program", "program_nilai", "program_hasil")
FILTERS = ("jenis", "angka", "area", "tempat", "kelompok")

# `angka` of `program` records that are not a kind's figure: certificates (training) and the UMKM reached
EXTRA_FIGURES = ("sertifikat", REACH)
VALUE_COLUMNS = ("kemasan", "festival_omzet")
OUTCOME_COLUMNS = ("peserta_data", "peserta_naik", "pembanding_data", "pembanding_naik")
OUTCOME_MONEY = ("peserta_sebelum", "peserta_sesudah", "pembanding_sebelum", "pembanding_sesudah")


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def _area_filter(region: str, value: str) -> tuple[str, str | None]:
    return area_field(region), (None if value == NO_VALUE else value)


def _region_labels(keys: list[Any]) -> dict[Any, str]:
    return dict(Region.objects.filter(code__in=[k for k in keys if k]).values_list("code", "name"))


def _column_filter(column: str) -> dict[str, str]:
    """The `program` records filter of a per-area column (`pelatihan_lulus` → jenis + angka)."""
    if column == REACH:
        return {"angka": REACH}
    kind = next(k for c, k, _s in AREA_COLUMNS if c == column)
    return {"jenis": str(kind), "angka": column.split("_", 1)[1] if column != "sertifikat" else "sertifikat"}


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    """`program`: per kind, the activities starting in Y and the businesses per figure (see
    `selectors.programme_kpi`)."""
    return programme_kpi(regency_codes=_codes(region), year=year, as_of=as_of)


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    codes = _codes(region)
    if by == "wilayah":
        counts: dict[Any, dict[str, int]] = programme_area_counts(
            regency_codes=codes, year=year, as_of=as_of, field=area_field(region)
        )
    elif by == "tempat":
        counts = programme_activity_counts(regency_codes=codes, year=year, as_of=as_of, field=area_field(region))
    elif by == "nilai":
        counts = programme_value_counts(regency_codes=codes, year=year, as_of=as_of, field=area_field(region))
    elif by == "hasil":
        return [_outcome_row(codes, year, as_of, kind) for kind in Kind.values]
    else:
        raise ValueError(f"unknown programme breakdown: {by}")
    return sorted_rows(counts, _region_labels(list(counts)))


def _outcome_row(codes: list[str], year: int, as_of: date, kind: str) -> dict[str, Any]:
    o = outcome(regency_codes=codes, year=year, as_of=as_of, kind=kind)
    return {
        "key": kind,
        "label": str(Kind(kind).label),
        "peserta": len(o.participants.businesses),
        "peserta_data": len(o.participants.with_data),
        "peserta_naik": len(o.participants.moved_up),
        "pembanding": len(o.comparison.businesses),
        "pembanding_data": len(o.comparison.with_data),
        "pembanding_naik": len(o.comparison.moved_up),
        "peserta_persen": share_text(o.participants.share),
        "pembanding_persen": share_text(o.comparison.share),
        "peserta_sebelum": o.participants.omzet_before,
        "peserta_sesudah": o.participants.omzet_after,
        "pembanding_sebelum": o.comparison.omzet_before,
        "pembanding_sesudah": o.comparison.omzet_after,
    }


def figure_label(figure: str) -> str:
    return {
        "kegiatan": _("Kegiatan"),
        "peserta": _("Peserta"),
        "lulus": _("Lulus"),
        "penerima": _("Penerima"),
        "sertifikat": _("Bersertifikat"),
        REACH: _("UMKM terjangkau program"),
    }.get(figure, figure)


def _business_records(title: str, businesses: Any) -> Records:
    return Records(
        title,
        [_("Nama usaha"), _("Pemilik"), _("Kecamatan")],
        businesses,
        lambda b: [b.name, b.owner.name, b.district.name if b.district else "–"],
    )


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """`program` filtered by `jenis` (pelatihan, bantuan_kemasan, festival; none: every kind) and `angka`:
    `kegiatan` (the default) lists the activities (narrowed by `tempat`, the kecamatan held in); a kind's
    figure (`peserta`, `lulus`, `penerima`), `sertifikat` (training) or `jangkauan` (no kind) the businesses
    counted (narrowed by `area`, the business's kecamatan). `program_nilai` with `angka` `kemasan` (the
    handovers) or `festival_omzet` (the booth sales), narrowed by `area`. `program_hasil`: the businesses of
    `jenis`'s outcome (default pelatihan), `kelompok` peserta or pembanding,
    `angka` semua, data (class known in Y and Y+1) or naik."""
    codes = _codes(region)
    kind, number = filter.get("jenis", ""), filter.get("angka", "kegiatan")
    if kind and kind not in Kind.values:
        raise ValueError(f"unknown programme kind: {kind}")
    if figure == "program_hasil":
        group, number = filter.get("kelompok", "peserta"), filter.get("angka", "semua")
        return _outcome_records(codes, year, as_of, kind or Kind.TRAINING, group, number)
    if figure == "program_nilai":
        return _value_records(region, codes, year, as_of, filter.get("angka", "kemasan"), filter.get("area", ""))
    if figure != "program":
        raise ValueError(f"unknown programme records: {figure}")
    if number == "kegiatan":
        return _activity_records(region, codes, year, as_of, kind, filter.get("tempat", ""))
    if number == REACH:
        column = REACH
    elif kind == Kind.TRAINING and number == "sertifikat":
        column = "sertifikat"
    elif kind and number in COUNTED[kind]:
        column = next(c for c, k, s in AREA_COLUMNS if k == kind and s == COUNTED[kind][number] and c != "sertifikat")
    else:
        raise ValueError(f"unknown programme figure: {kind} {number}")
    field, area = ("", "") if not filter.get("area") else _area_filter(region, filter["area"])
    businesses = programme_businesses(
        regency_codes=codes, year=year, as_of=as_of, column=column, area_field=field, area=area
    )
    title = f"{Kind(kind).label} · {figure_label(number)}" if kind and number != REACH else str(figure_label(number))
    return _business_records(title, businesses)


def _activity_records(region: str, codes: list[str], year: int, as_of: date, kind: str, place: str) -> Records:
    activities = programmes_of_year(regency_codes=codes, year=year, as_of=as_of)
    if kind:
        activities = activities.filter(kind=kind)
    if place:
        field, value = _area_filter(region, place)
        activities = activities.filter(**({f"{field}__isnull": True} if value is None else {field: value}))
    activities = activities.select_related("district").order_by("start_date", "code", "pk")
    title = f"{Kind(kind).label} · {figure_label('kegiatan')}" if kind else str(_("Kegiatan program"))
    return Records(
        title,
        [_("Kode kegiatan"), _("Nama kegiatan"), _("Jenis"), _("Tanggal mulai"), _("Tanggal selesai"), _("Kecamatan")],
        activities,
        lambda p: [
            p.code,
            p.title,
            str(p.get_kind_display()),
            tanggal(p.start_date),
            tanggal(p.end_date),
            p.district.name if p.district else "–",
        ],
    )


def _value_records(region: str, codes: list[str], year: int, as_of: date, number: str, area: str) -> Records:
    field, value = ("", "") if not area else _area_filter(region, area)
    if number == "kemasan":
        prefix = "application__participant__business__"
        deliveries = packaging_deliveries(regency_codes=codes, year=year, as_of=as_of)
        if field:
            deliveries = deliveries.filter(
                **({f"{prefix}{field}__isnull": True} if value is None else {f"{prefix}{field}": value})
            )
        deliveries = deliveries.select_related(
            "application__participant__programme", "application__participant__business"
        ).order_by("handover_date", "bast_number")
        return Records(
            _("Bantuan kemasan yang diserahkan"),
            [_("Nomor BAST"), _("Tanggal serah terima"), _("Kegiatan"), _("Nama usaha"), _("Jumlah"), _("Nilai")],
            deliveries,
            lambda d: [
                d.bast_number,
                tanggal(d.handover_date),
                d.application.participant.programme.title,
                d.application.participant.business.name,
                number_id(d.quantity),
                rupiah(d.nilai),
            ],
            sum_field="nilai",
        )
    if number == "festival_omzet":
        prefix = "exhibitor__participant__business__"
        sales = festival_sales(regency_codes=codes, year=year, as_of=as_of)
        if field:
            sales = sales.filter(
                **({f"{prefix}{field}__isnull": True} if value is None else {f"{prefix}{field}": value})
            )
        sales = sales.select_related("exhibitor__participant__programme", "exhibitor__seller").order_by(
            "date", "exhibitor__seller__shop_name", "pk"
        )
        return Records(
            _("Penjualan stan festival"),
            [_("Tanggal"), _("Kegiatan"), _("Penjual"), _("Penjualan")],
            sales,
            lambda s: [
                tanggal(s.date),
                s.exhibitor.participant.programme.title,
                s.exhibitor.seller.shop_name,
                rupiah(s.amount),
            ],
            sum_field="amount",
        )
    raise ValueError(f"unknown programme value: {number}")


def _outcome_records(codes: list[str], year: int, as_of: date, kind: str, group: str, number: str) -> Records:
    if group not in ("peserta", "pembanding") or number not in ("semua", "data", "naik"):
        raise ValueError(f"unknown outcome records: {kind} {group} {number}")
    o = outcome(regency_codes=codes, year=year, as_of=as_of, kind=kind)
    ids = outcome_businesses(o, group=group, figure=number)
    businesses = Business.objects.filter(pk__in=ids).select_related("owner", "district").order_by("name", "id")
    title = {
        ("peserta", "semua"): _("Peserta"),
        ("peserta", "data"): _("Peserta dengan data kelas tahun berikutnya"),
        ("peserta", "naik"): _("Peserta yang naik kelas tahun berikutnya"),
        ("pembanding", "semua"): _("Kelompok pembanding"),
        ("pembanding", "data"): _("Pembanding dengan data kelas tahun berikutnya"),
        ("pembanding", "naik"): _("Pembanding yang naik kelas tahun berikutnya"),
    }[(group, number)]
    return _business_records(f"{Kind(kind).label} · {title}", businesses)


def preparation(region: str, year: int) -> Preparation | None:
    """Nothing to compute before a report: the figures are read directly."""
    return None


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    """The SPEC §8 `program` figures as the PDF/XLSX summary lines."""
    p = figures.get("program")
    if p is None:  # figures assembled without this domain (e.g. another domain's tests)
        return []
    t, k, f = p[Kind.TRAINING], p[Kind.PACKAGING], p[Kind.FESTIVAL]
    return [
        SummaryItem(_("Kegiatan pelatihan UMKM"), int(t["kegiatan"])),
        SummaryItem(_("Peserta pelatihan (hadir atau lulus)"), int(t["peserta"])),
        SummaryItem(_("Lulus pelatihan"), int(t["lulus"])),
        SummaryItem(_("Kegiatan bantuan kemasan"), int(k["kegiatan"])),
        SummaryItem(_("Penerima bantuan kemasan"), int(k["penerima"])),
        SummaryItem(_("Kegiatan festival/pameran"), int(f["kegiatan"])),
        SummaryItem(_("Peserta festival/pameran (hadir)"), int(f["peserta"])),
    ]


def section(data: SectionData) -> Section | None:
    p, b, link = data.figures.get("program"), data.breakdowns, data.link
    if p is None:  # figures assembled without this domain
        return None
    t, k, f = p[Kind.TRAINING], p[Kind.PACKAGING], p[Kind.FESTIVAL]
    per_area = b.get("wilayah", [])

    def total(column: str) -> int:
        return sum(int(r[column]) for r in per_area)

    rows = [
        Row(_("Kegiatan pelatihan"), (int(t["kegiatan"]),), (link("program", {"jenis": Kind.TRAINING}),)),
        Row(
            _("Peserta pelatihan (hadir atau lulus)"),
            (int(t["peserta"]),),
            (link("program", {"jenis": Kind.TRAINING, "angka": "peserta"}),),
        ),
        Row(_("Lulus pelatihan"), (int(t["lulus"]),), (link("program", {"jenis": Kind.TRAINING, "angka": "lulus"}),)),
    ]
    if "wilayah" in b:
        rows.append(
            Row(
                _("Lulus dengan sertifikat terbit"),
                (total("sertifikat"),),
                (link("program", {"jenis": Kind.TRAINING, "angka": "sertifikat"}),),
            )
        )
    rows += [
        Row(_("Kegiatan bantuan kemasan"), (int(k["kegiatan"]),), (link("program", {"jenis": Kind.PACKAGING}),)),
        Row(
            _("Penerima bantuan kemasan (diserahkan)"),
            (int(k["penerima"]),),
            (link("program", {"jenis": Kind.PACKAGING, "angka": "penerima"}),),
        ),
        Row(_("Kegiatan festival/pameran"), (int(f["kegiatan"]),), (link("program", {"jenis": Kind.FESTIVAL}),)),
        Row(
            _("Peserta festival/pameran (hadir)"),
            (int(f["peserta"]),),
            (link("program", {"jenis": Kind.FESTIVAL, "angka": "peserta"}),),
        ),
    ]
    if "wilayah" in b:
        rows.append(
            Row(_("UMKM terjangkau program (tiap usaha sekali)"), (total(REACH),), (link("program", {"angka": REACH}),))
        )
    tables = [
        Table(
            "program",
            _("Program UMKM tahun %(tahun)s") % {"tahun": data.year},
            (_("Uraian"), _("Jumlah")),
            False,
            rows,
            "",
        )
    ]
    if "tempat" in b:
        kinds = tuple(Kind.values)
        place_rows = rows_from_breakdown(
            b["tempat"], kinds, "program", "tempat", link, {kind: {"jenis": kind} for kind in kinds}
        )
        tables.append(
            Table(
                "program_kegiatan_per_wilayah",
                _("Kegiatan per %(area)s tempat kegiatan") % {"area": data.area_title},
                (_("Uraian"), *(str(Kind(kind).label) for kind in kinds)),
                False,
                with_total(place_rows, tuple(link("program", {"jenis": kind}) for kind in kinds)),
            )
        )
    if per_area:
        columns = tuple(c for c, _k, _s in AREA_COLUMNS) + (REACH,)
        filters = {c: _column_filter(c) for c in columns}
        area_rows = rows_from_breakdown(per_area, columns, "program", "area", link, filters)
        tables.append(
            Table(
                "program_per_wilayah",
                _("Usaha peserta program per %(area)s usaha") % {"area": data.area_title},
                (
                    _("Uraian"),
                    _("Peserta pelatihan"),
                    _("Lulus pelatihan"),
                    _("Bersertifikat"),
                    _("Penerima bantuan kemasan"),
                    _("Peserta festival"),
                    _("UMKM terjangkau"),
                ),
                False,
                with_total(area_rows, tuple(link("program", filters[c]) for c in columns)),
            )
        )
    if "nilai" in b:
        filters = {c: {"angka": c} for c in VALUE_COLUMNS}
        value_rows = rows_from_breakdown(b["nilai"], VALUE_COLUMNS, "program_nilai", "area", link, filters)
        tables.append(
            Table(
                "program_nilai_per_wilayah",
                _("Nilai bantuan kemasan dan omzet festival per %(area)s usaha") % {"area": data.area_title},
                (_("Uraian"), _("Bantuan kemasan diserahkan"), _("Omzet festival (kanal festival)")),
                True,
                with_total(value_rows, tuple(link("program_nilai", filters[c]) for c in VALUE_COLUMNS)),
            )
        )
    if "hasil" in b:
        tables += _outcome_tables(data.year, b["hasil"], link)
    return Section("program", _("Program UMKM"), tables)


def _outcome_tables(year: int, items: list[dict[str, Any]], link: Any) -> list[Table]:
    def links(kind: str, columns: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for column in columns:
            group, what = column.split("_", 1)
            number = {"data": "data", "naik": "naik"}.get(what, "semua")
            out.append(link("program_hasil", {"jenis": kind, "kelompok": group, "angka": number}))
        return tuple(out)

    share_rows = [
        Row(
            _("%(jenis)s: naik kelas peserta %(p)s, pembanding %(c)s")
            % {"jenis": item["label"], "p": item["peserta_persen"], "c": item["pembanding_persen"]},
            tuple(int(item[c]) for c in OUTCOME_COLUMNS),
            links(item["key"], OUTCOME_COLUMNS),
        )
        for item in items
    ]
    omzet_rows = [
        Row(str(item["label"]), tuple(int(item[c]) for c in OUTCOME_MONEY), links(item["key"], OUTCOME_MONEY))
        for item in items
    ]
    return [
        Table(
            "program_hasil_naik_kelas",
            _(
                "Hasil program %(tahun)s: naik kelas %(next)s, peserta dibanding kelompok pembanding "
                "(perbandingan, bukan bukti sebab-akibat)"
            )
            % {"tahun": year, "next": year + 1},
            (
                _("Jenis program"),
                _("Peserta dengan data kelas"),
                _("Peserta naik kelas"),
                _("Pembanding dengan data kelas"),
                _("Pembanding naik kelas"),
            ),
            False,
            share_rows,
            "",
        ),
        Table(
            "program_hasil_omzet",
            _("Hasil program %(tahun)s: omzet Tuka-Tuku 12 bulan sebelum dan sesudah (perbandingan)") % {"tahun": year},
            (
                _("Jenis program"),
                _("Peserta: sebelum"),
                _("Peserta: sesudah"),
                _("Pembanding: sebelum"),
                _("Pembanding: sesudah"),
            ),
            True,
            omzet_rows,
            "",
        ),
    ]
