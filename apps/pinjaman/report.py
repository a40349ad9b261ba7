"""Kredit Mawar in the leadership report (SPEC §7 "debtors and value disbursed in Y, baki debet and
collectibility on D, interest subsidy for the days of Y up to D", §9): the interface `apps.reports`
composes (`apps.core.reporting`). One definition per figure: `kpi` is `selectors.pinjaman_kpi`, every
breakdown adds up to it, and `records` lists the loans behind any number of the section (the debtors,
the disbursements, the loans outstanding on D by collectibility, the loans with subsidy days)."""

import calendar
from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Count, Min, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.formatting import decimal_id, month_name, number_id, rupiah, tanggal
from apps.core.reporting import (
    NO_VALUE,
    LinkMaker,
    Preparation,
    Records,
    Row,
    Section,
    SectionData,
    SummaryItem,
    Table,
    area_field,
    with_total,
)
from apps.pinjaman import selectors
from apps.pinjaman.models import Loan
from apps.regions.models import Region
from apps.regions.selectors import regency_codes_under

BREAKDOWNS: tuple[str, ...] = ("wilayah", "skema", "bulan", "kolektibilitas")
FIGURES = ("debitur", "pencairan", "baki_debet", "kolektibilitas", "subsidi")
RECORDS: tuple[str, ...] = FIGURES
FILTERS: tuple[str, ...] = ("area", "skema", "bulan", "kolektibilitas")
# `kolektibilitas=npl`: the loans in collectibility 3–5 (non-performing, SPEC §9)
NPL = "npl"
MONEY_COLUMNS = ("pencairan", "baki_debet", "subsidi")


def kolektibilitas_label(k: int) -> str:
    return {
        1: _("Lancar"),
        2: _("Dalam Perhatian Khusus"),
        3: _("Kurang Lancar"),
        4: _("Diragukan"),
        5: _("Macet"),
    }[k]


def _codes(region: str) -> list[str]:
    return sorted(regency_codes_under({region}))


def _period(year: int, as_of: date) -> tuple[date, date]:
    return date(year, 1, 1), min(date(year, 12, 31), as_of)


def kpi(region: str, year: int, as_of: date) -> dict[str, Any]:
    return selectors.pinjaman_kpi(regency_codes=_codes(region), year=year, as_of=as_of)


def _portfolio(regency_codes: list[str], as_of: date) -> QuerySet[Loan]:
    return selectors.regency_loans(regency_codes).filter(disbursed_on__lte=as_of)


def _in_year(loans: QuerySet[Loan], year: int, as_of: date) -> QuerySet[Loan]:
    start, end = _period(year, as_of)
    return loans.filter(disbursed_on__gte=start, disbursed_on__lte=end)


def breakdown(region: str, year: int, as_of: date, by: str) -> list[dict[str, Any]]:
    """Rows `{key, label, ...}` adding up to the figures:

    - `wilayah` (the debtor's kecamatan from `kode_wilayah`, the regency for a province) and `skema`:
      `pinjaman` and `pencairan` (loans disbursed in Y up to D), `baki_debet` on D, `subsidi` of Y up to D;
    - `bulan`: the months of Y with disbursements or subsidy: `pinjaman`, `pencairan`, `subsidi`;
    - `kolektibilitas`: classes 1–5 with the loans outstanding on D (`pinjaman`) and their `baki_debet`.
    """
    codes = _codes(region)
    portfolio = _portfolio(codes, as_of)
    start, end = _period(year, as_of)
    if by == "kolektibilitas":
        rows: dict[int, dict[str, Any]] = {
            k: {"key": str(k), "label": f"{k} {kolektibilitas_label(k)}", "pinjaman": 0, "baki_debet": 0}
            for k in range(1, 6)
        }
        for p in selectors.positions_on(portfolio, as_of, next_due=False):
            rows[p.kolektibilitas]["pinjaman"] += 1
            rows[p.kolektibilitas]["baki_debet"] += p.baki_debet
        return list(rows.values())
    zero = {"pinjaman": 0, "pencairan": 0, "baki_debet": 0, "subsidi": 0}
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict(zero))
    if by == "bulan":
        for row in (
            _in_year(portfolio, year, as_of)
            .values("disbursed_on__month")
            .annotate(pinjaman=Count("id"), pencairan=Sum("plafon"))
        ):
            key = f"{row['disbursed_on__month']:02d}"
            out[key].update(pinjaman=row["pinjaman"], pencairan=int(row["pencairan"] or 0))
        for (_loan, _y, m), amount in selectors.loan_month_subsidies(portfolio, start, end).items():
            out[f"{m:02d}"]["subsidi"] += amount
        return [
            {"key": key, "label": month_name(int(key)), **{k: v for k, v in values.items() if k != "baki_debet"}}
            for key, values in sorted(out.items())
        ]
    if by not in ("wilayah", "skema"):
        raise ValueError(f"unknown Kredit Mawar breakdown: {by}")
    field = area_field(region) if by == "wilayah" else "scheme__code"
    loan_key = {loan_id: key or NO_VALUE for loan_id, key in portfolio.values_list("id", field)}
    for row in _in_year(portfolio, year, as_of).values(field).annotate(pinjaman=Count("id"), pencairan=Sum("plafon")):
        out[row[field] or NO_VALUE].update(pinjaman=row["pinjaman"], pencairan=int(row["pencairan"] or 0))
    for p in selectors.positions_on(portfolio, as_of, next_due=False):
        out[loan_key[p.loan_id]]["baki_debet"] += p.baki_debet
    for (loan_id, _y, _m), amount in selectors.loan_month_subsidies(portfolio, start, end).items():
        out[loan_key[loan_id]]["subsidi"] += amount
    if by == "wilayah":
        names = dict(Region.objects.filter(code__in=[k for k in out if k != NO_VALUE]).values_list("code", "name"))
    else:
        names = {k: k for k in out}
    labelled = [{"key": k, "label": names.get(k) or _("(tidak diisi)"), **v} for k, v in out.items()]
    return sorted(labelled, key=lambda r: (r["key"] == NO_VALUE, str(r["label"]).lower()))


def _narrowed(region: str, loans: QuerySet[Loan], filter: dict[str, str]) -> QuerySet[Loan]:
    if area := filter.get("area"):
        field = area_field(region)
        loans = loans.filter(**({f"{field}__isnull": True} if area == NO_VALUE else {field: area}))
    if scheme := filter.get("skema"):
        loans = loans.filter(scheme__code=scheme)
    return loans


def _month(filter: dict[str, str]) -> int | None:
    value = filter.get("bulan", "")
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 12:
        raise ValueError(f"bulan {value}")
    return int(value)


def records(region: str, year: int, as_of: date, figure: str, **filter: str) -> Records:
    """The loans behind a figure, narrowed as the row it was linked from (`area`, `skema`, `bulan`,
    `kolektibilitas` 1–5 or `npl`):

    - `debitur`: one loan per debtor (their first disbursement in Y up to D), so the count is the figure;
    - `pencairan`: the loans disbursed in Y up to D (total = their plafon);
    - `baki_debet` / `kolektibilitas`: the loans outstanding on D with baki debet, days past due and class;
    - `subsidi`: the loans with subsidy days in Y up to D (or in month `bulan`), with their subsidy.
    """
    if figure not in FIGURES:
        raise ValueError(figure)
    loans = _narrowed(region, _portfolio(_codes(region), as_of), filter)
    month = _month(filter)
    base_columns = [_("Nomor rekening"), _("Debitur"), _("Skema"), _("Tanggal pencairan"), _("Plafon")]

    def base(loan: Loan) -> list[str]:
        return [
            loan.account_number,
            loan.debtor_name,
            loan.scheme.code,
            tanggal(loan.disbursed_on),
            rupiah(loan.plafon),
        ]

    if figure in ("debitur", "pencairan"):
        disbursed = _in_year(loans, year, as_of)
        if month is not None:
            disbursed = disbursed.filter(disbursed_on__month=month)
        if figure == "debitur":
            first = disbursed.values("nik_hash").annotate(first=Min("id")).values("first")
            disbursed = Loan.objects.filter(pk__in=first)
        return Records(
            _("Debitur Kredit Mawar") if figure == "debitur" else _("Pencairan Kredit Mawar"),
            base_columns,
            _ordered(disbursed),
            base,
            sum_field="" if figure == "debitur" else "plafon",
        )
    if figure == "subsidi":
        start, end = _period(year, as_of)
        if month is not None:
            start, end = max(start, date(year, month, 1)), min(end, _month_end(year, month))
        amounts: dict[int, int] = defaultdict(int)
        for (loan_id, _y, _m), amount in selectors.loan_month_subsidies(loans, start, end).items():
            amounts[loan_id] += amount
        return Records(
            _("Subsidi bunga Kredit Mawar"),
            [*base_columns, _("Subsidi bunga")],
            _ordered(loans.filter(pk__in=list(amounts))),
            lambda loan: [*base(loan), rupiah(amounts[loan.pk])],
            total=sum(amounts.values()),
        )
    positions = {p.loan_id: p for p in selectors.positions_on(loans, as_of, next_due=False)}
    wanted = filter.get("kolektibilitas", "")
    if wanted == NPL:
        positions = {k: p for k, p in positions.items() if p.kolektibilitas >= 3}
    elif wanted:
        positions = {k: p for k, p in positions.items() if str(p.kolektibilitas) == wanted}
    return Records(
        _("Pinjaman Kredit Mawar yang beredar"),
        [*base_columns, _("Baki debet"), _("Hari tunggakan"), _("Kolektibilitas")],
        _ordered(loans.filter(pk__in=list(positions))),
        lambda loan: [
            *base(loan),
            rupiah(positions[loan.pk].baki_debet),
            number_id(positions[loan.pk].days_past_due),
            f"{positions[loan.pk].kolektibilitas} {kolektibilitas_label(positions[loan.pk].kolektibilitas)}",
        ],
        total=sum(p.baki_debet for p in positions.values()),
    )


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _ordered(loans: QuerySet[Loan]) -> QuerySet[Loan]:
    return loans.select_related("scheme").order_by("disbursed_on", "account_number")


def preparation(region: str, year: int) -> Preparation | None:
    """Nothing to compute before a report: the figures are read directly."""
    return None


def npl(figures: dict[str, Any]) -> tuple[int, Fraction | None]:
    """Baki debet in collectibility 3–5 on D and its share of the total (None when nothing is outstanding)."""
    kol = figures["kredit_mawar_kolektibilitas"]
    bad = sum(int(kol[k]) for k in ("3", "4", "5"))
    total = int(figures["kredit_mawar_baki_debet"])
    return bad, (Fraction(bad, total) if total else None)


def _percent(share: Fraction | None) -> str:
    if share is None:
        return "–"
    hundredths = (share * 10000 + Fraction(1, 2)).__floor__()  # half up to two decimals
    return decimal_id(f"{hundredths // 100}.{hundredths % 100:02d}") + "%"


def summary(figures: dict[str, Any]) -> list[SummaryItem]:
    if "kredit_mawar_debitur_tahun" not in figures:  # figures assembled without this domain
        return []
    kol = figures["kredit_mawar_kolektibilitas"]
    return [
        SummaryItem(
            _("Kredit Mawar: debitur dengan pencairan dalam tahun"), int(figures["kredit_mawar_debitur_tahun"])
        ),
        SummaryItem(_("Kredit Mawar: pencairan dalam tahun"), int(figures["kredit_mawar_pencairan_tahun"]), True),
        SummaryItem(_("Kredit Mawar: baki debet pada tanggal posisi"), int(figures["kredit_mawar_baki_debet"]), True),
        *(
            SummaryItem(
                _("Kredit Mawar: baki debet kolektibilitas %(k)s (%(label)s)")
                % {"k": k, "label": kolektibilitas_label(k)},
                int(kol[str(k)]),
                True,
            )
            for k in range(1, 6)
        ),
        SummaryItem(
            _("Kredit Mawar: subsidi bunga hari-hari tahun s.d. tanggal posisi"),
            int(figures["kredit_mawar_subsidi_bunga_tahun"]),
            True,
        ),
    ]


def section(data: SectionData) -> Section | None:
    f, b, link = data.figures, data.breakdowns, data.link
    if "kredit_mawar_debitur_tahun" not in f:  # figures assembled without this domain
        return None
    bad, share = npl(f)
    kol_rows = b.get("kolektibilitas", [])
    tables = [
        Table(
            "kredit_mawar",
            _("Kredit Mawar tahun %(tahun)s, posisi %(per)s") % {"tahun": data.year, "per": tanggal(data.as_of)},
            (_("Uraian"), pgettext("cacah", "Jumlah")),
            False,
            [
                Row(
                    _("Debitur dengan pencairan dalam tahun"),
                    (int(f["kredit_mawar_debitur_tahun"]),),
                    (link("debitur", {}),),
                ),  # fmt: skip
                *(
                    [
                        Row(
                            _("Pinjaman dicairkan dalam tahun"),
                            (sum(int(r["pinjaman"]) for r in b["skema"]),),
                            (link("pencairan", {}),),
                        ),  # fmt: skip
                    ]
                    if "skema" in b
                    else []
                ),
                *(
                    [
                        Row(
                            _("Pinjaman beredar pada tanggal posisi"),
                            (sum(int(r["pinjaman"]) for r in kol_rows),),
                            (link("baki_debet", {}),),
                        ),  # fmt: skip
                    ]
                    if kol_rows
                    else []
                ),
            ],
            chart="",
        ),
        Table(
            "kredit_mawar_nilai",
            _(
                "Nilai Kredit Mawar (subsidi bunga sedang dihitung ulang setelah perubahan skema; angkanya dihitung "
                "langsung dari transaksi)"
            )  # fmt: skip
            if selectors.subsidy_days_pending(regency_codes=_codes(data.region))
            else _("Nilai Kredit Mawar"),
            (_("Uraian"), _("Rupiah")),
            True,
            [
                Row(_("Pencairan dalam tahun"), (int(f["kredit_mawar_pencairan_tahun"]),), (link("pencairan", {}),)),
                Row(
                    _("Baki debet pada tanggal posisi"), (int(f["kredit_mawar_baki_debet"]),), (link("baki_debet", {}),)
                ),  # fmt: skip
                Row(
                    _("Baki debet bermasalah (kolektibilitas 3–5), NPL %(npl)s") % {"npl": _percent(share)},
                    (bad,),
                    (link("kolektibilitas", {"kolektibilitas": NPL}),),
                ),
                Row(
                    _("Subsidi bunga hari-hari tahun s.d. tanggal posisi"),
                    (int(f["kredit_mawar_subsidi_bunga_tahun"]),),
                    (link("subsidi", {}),),
                ),  # fmt: skip
            ],
            chart="",
        ),
    ]
    if kol_rows:
        rows = [
            Row(str(r["label"]), (int(r["baki_debet"]),), (link("kolektibilitas", {"kolektibilitas": str(r["key"])}),))
            for r in kol_rows
        ]
        tables.append(
            Table(
                "kredit_mawar_kolektibilitas",
                _("Baki debet per kolektibilitas pada tanggal posisi"),
                (_("Kolektibilitas"), _("Baki debet")),
                True,
                with_total(rows, (link("baki_debet", {}),)),
                chart="pie",
            )
        )
    headers = (_("Uraian"), _("Pencairan dalam tahun"), _("Baki debet"), _("Subsidi bunga"))
    totals = (link("pencairan", {}), link("baki_debet", {}), link("subsidi", {}))
    for by, title, dim in (
        ("wilayah", _("Kredit Mawar per %(area)s") % {"area": data.area_title}, "area"),
        ("skema", _("Kredit Mawar per skema"), "skema"),
    ):
        if by in b:
            rows = _linked_rows(b[by], MONEY_COLUMNS, dim, link)
            tables.append(Table(f"kredit_mawar_per_{by}", title, headers, True, with_total(rows, totals)))
    if "bulan" in b:
        rows = _linked_rows(b["bulan"], ("pencairan", "subsidi"), "bulan", link)
        tables.append(
            Table(
                "kredit_mawar_per_bulan",
                _("Kredit Mawar per bulan dalam tahun"),
                (_("Bulan"), _("Pencairan"), _("Subsidi bunga")),
                True,
                with_total(rows, (link("pencairan", {}), link("subsidi", {}))),
            )
        )
    return Section("pinjaman", _("Kredit Mawar"), tables)


def _linked_rows(items: list[dict[str, Any]], columns: tuple[str, ...], dimension: str, link: LinkMaker) -> list[Row]:
    """Rows whose every value drills to the records of its own figure (each column is another figure)."""
    rows = []
    for item in items:
        values = tuple(int(item[c]) for c in columns)
        links = tuple(link(c, {dimension: str(item["key"])}) for c in columns)
        rows.append(Row(label=str(item["label"]), values=values, links=links))
    return rows
