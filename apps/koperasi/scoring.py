"""The health-assessment engine (Perdep KUKM 06/Per/Dep.6/IV/2016 by default): pure functions over a
table definition and a report's figures, in exact arithmetic (fractions; no floats, no rounding).

Rules the engine applies, whatever the table version (SPEC §5: ratios, scores and the total are
compared with the bands exactly, no rounding before banding):
- a ratio is pembilang × 100 / penyebut in percent, kept as an exact fraction; the bands compare that;
- a band list is ascending upper bounds; the first band whose bound the ratio does not exceed (or
  stay under, when the bound is exclusive) gives the nilai; the last band has no bound;
- a zero denominator takes the component's stated nilai, else the worst band, and is noted;
- score = weight × nilai / Σ(weights of the components that apply); for a lending cooperative that
  sum is 100, for a non-lending one the lending-only components drop out and the rest rescale to 100;
- the total is the exact sum of the scores, and the predikat is the first band (highest first) whose
  minimum the total reaches: a total of 79,995 is Cukup Sehat;
- what is stored is exact where the decimal expansion ends within 15 places, else cut (never rounded
  up) at 15 places, which keeps it on the same side of every band edge; what is shown is two decimals,
  and as many more as it takes for the shown figure not to cross a band edge (`shown`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
STORED_PLACES = 15


def stored(value: Fraction | Decimal) -> Decimal:
    """An exact value as stored: exact when its decimal expansion ends within 15 places (at least two
    places shown), else cut toward zero at 15 places, so it stays on the same side of every band edge
    that is written with 15 places or fewer."""
    exact = Fraction(value)
    for places in range(2, STORED_PLACES + 1):
        scaled = exact * 10**places
        if scaled.denominator == 1:
            return Decimal(scaled.numerator).scaleb(-places)
    cut = int(exact * 10**STORED_PLACES)  # int() truncates toward zero
    return Decimal(cut).scaleb(-STORED_PLACES)


def _half_up(exact: Fraction, places: int) -> Decimal:
    scaled = abs(exact) * 10**places + Fraction(1, 2)
    magnitude = scaled.numerator // scaled.denominator
    return Decimal(magnitude if exact >= 0 else -magnitude).scaleb(-places)


def shown(value: Fraction | Decimal, edges: Sequence[Decimal | Fraction | None]) -> Decimal:
    """The value to show: two decimals (half up), and more where two would put it on the other side of
    a band edge than the exact value is (79,995 is shown 79,995, not 80,00, because it is under 80)."""
    exact = Fraction(value)
    bounds = [Fraction(e) for e in edges if e is not None]

    def side(x: Fraction, e: Fraction) -> int:
        return (x > e) - (x < e)

    for places in range(2, STORED_PLACES + 1):
        rounded = _half_up(exact, places)
        if all(side(Fraction(rounded), e) == side(exact, e) for e in bounds):
            return rounded
    return stored(exact)


@dataclass(frozen=True)
class Band:
    batas: Decimal | None  # upper bound in percent; None for the last band
    inklusif: bool
    nilai: Decimal


@dataclass(frozen=True)
class ComponentDef:
    nomor: int
    aspek: str
    nama: str
    jenis: str  # "band" | "persen" | "skala"
    pembilang: tuple[tuple[str, Decimal], ...]
    penyebut: tuple[tuple[str, Decimal], ...]
    bobot: Decimal
    bands: tuple[Band, ...] = ()
    nilai_penyebut_nol: Decimal | None = None
    hanya_simpan_pinjam: bool = False


@dataclass(frozen=True)
class PredikatBand:
    minimum: Decimal
    kode: str
    label: str
    sehat: bool


@dataclass(frozen=True)
class TableDef:
    versi: str
    components: tuple[ComponentDef, ...]
    predikat: tuple[PredikatBand, ...]
    skala_manajemen: int = 15


@dataclass
class Result:
    versi: str
    simpan_pinjam: bool
    baris: list[dict[str, Any]]
    total: Fraction  # exact
    predikat: PredikatBand
    catatan: list[str] = field(default_factory=list)


def _terms(raw: Sequence[Sequence[Any]]) -> tuple[tuple[str, Decimal], ...]:
    return tuple((str(name), Decimal(str(coef))) for name, coef in raw)


def component_from_data(data: Mapping[str, Any]) -> ComponentDef:
    """A component from its stored form (the ScoringComponent row as a dict)."""
    bands = tuple(
        Band(
            batas=None if b.get("batas") in (None, "") else Decimal(str(b["batas"])),
            inklusif=bool(b.get("inklusif", False)),
            nilai=Decimal(str(b["nilai"])),
        )
        for b in data.get("bands") or []
    )
    zero = data.get("nilai_penyebut_nol")
    return ComponentDef(
        nomor=int(data["nomor"]),
        aspek=str(data["aspek"]),
        nama=str(data["nama"]),
        jenis=str(data["jenis"]),
        pembilang=_terms(data.get("pembilang") or []),
        penyebut=_terms(data.get("penyebut") or []),
        bobot=Decimal(str(data["bobot"])),
        bands=bands,
        nilai_penyebut_nol=None if zero in (None, "") else Decimal(str(zero)),
        hanya_simpan_pinjam=bool(data.get("hanya_simpan_pinjam", False)),
    )


def predikat_from_data(raw: Sequence[Mapping[str, Any]]) -> tuple[PredikatBand, ...]:
    bands = [
        PredikatBand(minimum=Decimal(str(p["min"])), kode=str(p["kode"]), label=str(p["label"]), sehat=bool(p["sehat"]))
        for p in raw
    ]
    return tuple(sorted(bands, key=lambda p: p.minimum, reverse=True))


def applicable(table: TableDef, simpan_pinjam: bool) -> list[ComponentDef]:
    return [c for c in table.components if simpan_pinjam or not c.hanya_simpan_pinjam]


def needed_fields(table: TableDef, simpan_pinjam: bool) -> list[str]:
    """Report columns the assessment reads, in table order, without repeats."""
    names: list[str] = []
    for c in applicable(table, simpan_pinjam):
        for name, _coef in (*c.pembilang, *c.penyebut):
            if name not in names:
                names.append(name)
    return names


def missing_fields(table: TableDef, inputs: Mapping[str, Any], simpan_pinjam: bool) -> list[str]:
    return [name for name in needed_fields(table, simpan_pinjam) if inputs.get(name) is None]


def combine(terms: Sequence[tuple[str, Decimal]], inputs: Mapping[str, Any]) -> Decimal:
    return sum((Decimal(inputs[name]) * coef for name, coef in terms), Decimal(0))


def ratio_percent(pembilang: Decimal, penyebut: Decimal) -> Fraction | None:
    """pembilang / penyebut in percent, exact; None when penyebut is zero."""
    if penyebut == 0:
        return None
    return Fraction(pembilang) * 100 / Fraction(penyebut)


def band_index(value: Fraction | Decimal, bands: Sequence[Band]) -> int:
    for i, band in enumerate(bands):
        if band.batas is None or value < band.batas or (band.inklusif and value == band.batas):
            return i
    return len(bands) - 1


def _pct(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return text.replace(".", ",") + "%"


def band_label(bands: Sequence[Band], index: int) -> str:
    """Human text of a band, e.g. `> 20% s.d. ≤ 40%`."""
    band = bands[index]
    lower = bands[index - 1] if index > 0 else None
    parts = []
    if lower is not None and lower.batas is not None:
        parts.append(("> " if lower.inklusif else "≥ ") + _pct(lower.batas))
    if band.batas is not None:
        parts.append(("≤ " if band.inklusif else "< ") + _pct(band.batas))
    return " s.d. ".join(parts) or _("semua nilai")


def worst_nilai(bands: Sequence[Band]) -> Decimal:
    return min((b.nilai for b in bands), default=Decimal(0))


def formula_text(c: ComponentDef) -> str:
    def side(terms: Sequence[tuple[str, Decimal]]) -> str:
        out = []
        for name, coef in terms:
            out.append(name if coef == 1 else f"{_pct(coef * HUNDRED)} × {name}")
        text = " + ".join(out)
        return f"({text})" if len(out) > 1 else text

    if c.jenis == "skala":
        return side(c.pembilang)
    return f"{side(c.pembilang)} / {side(c.penyebut)}"


def _plain(d: Decimal) -> str:
    return format(d, "f")


def score_component(
    c: ComponentDef, inputs: Mapping[str, Any], *, bobot_total: Decimal, skala_manajemen: int
) -> dict[str, Any]:
    """One explained line: the figures, the ratio, the band, nilai, the effective weight and the score.
    `rasio`, `nilai` and `skor` are stored exactly (see `stored`); `rasio_tampil` is what a page shows."""
    line: dict[str, Any] = {
        "nomor": c.nomor,
        "aspek": c.aspek,
        "nama": c.nama,
        "jenis": c.jenis,
        "rumus": formula_text(c),
        "bobot_tabel": _plain(c.bobot),
        "bobot": _plain((c.bobot * HUNDRED / bobot_total).quantize(CENT, rounding=ROUND_HALF_UP)),
        "dilewati": False,
        "catatan": "",
    }
    pembilang = combine(c.pembilang, inputs)
    line["pembilang"] = _plain(pembilang)
    nilai: Fraction
    if c.jenis == "skala":
        value = min(max(Fraction(pembilang), Fraction(0)), Fraction(skala_manajemen))
        nilai = value * 100 / skala_manajemen
        line.update(
            penyebut=str(skala_manajemen), rasio=None, rentang=_("skor kuesioner / %(max)s") % {"max": skala_manajemen}
        )
    else:
        penyebut = combine(c.penyebut, inputs)
        line["penyebut"] = _plain(penyebut)
        ratio = ratio_percent(pembilang, penyebut)
        line["rasio"] = None if ratio is None else _plain(stored(ratio))
        if ratio is not None:
            edges = [b.batas for b in c.bands] if c.jenis == "band" else [HUNDRED]
            line["rasio_tampil"] = _plain(shown(ratio, edges))
        if ratio is None:
            nilai = Fraction(c.nilai_penyebut_nol if c.nilai_penyebut_nol is not None else worst_nilai(c.bands))
            line["rentang"] = _("penyebut nol")
            line["catatan"] = _("penyebut nol: dinilai %(n)s") % {"n": _plain(stored(nilai))}
        elif c.jenis == "persen":
            nilai = min(max(ratio, Fraction(0)), Fraction(100))
            line["rentang"] = _("rasio dalam persen, maksimum 100")
        else:
            i = band_index(ratio, c.bands)
            nilai = Fraction(c.bands[i].nilai)
            line["rentang"] = band_label(c.bands, i)
    score = Fraction(c.bobot) * nilai / Fraction(bobot_total)
    line["nilai"] = _plain(stored(nilai))
    line["skor"] = _plain(stored(score))
    line["skor_pecahan"] = f"{score.numerator}/{score.denominator}"  # the exact score, for reproduction
    return line


def predikat_for(total: Fraction | Decimal, bands: Sequence[PredikatBand]) -> PredikatBand:
    ordered = sorted(bands, key=lambda p: p.minimum, reverse=True)
    for band in ordered:
        if total >= band.minimum:
            return band
    return ordered[-1]


def total_shown(total: Fraction | Decimal, bands: Sequence[PredikatBand]) -> Decimal:
    """The total as a page shows it: two decimals, more where rounding would cross a predikat edge."""
    return shown(total, [b.minimum for b in bands])


def assess(table: TableDef, inputs: Mapping[str, Any], *, simpan_pinjam: bool) -> Result:
    """Score a report's figures with a table. The caller checks `missing_fields` first."""
    used = applicable(table, simpan_pinjam)
    bobot_total = sum((c.bobot for c in used), Decimal(0))
    notes: list[str] = []
    baris: list[dict[str, Any]] = []
    total = Fraction(0)
    for c in table.components:
        if c not in used:
            baris.append(
                {
                    "nomor": c.nomor,
                    "aspek": c.aspek,
                    "nama": c.nama,
                    "jenis": c.jenis,
                    "rumus": formula_text(c),
                    "bobot_tabel": _plain(c.bobot),
                    "bobot": "0",
                    "dilewati": True,
                    "catatan": _("koperasi tidak memberi pinjaman: komponen dilewati"),
                }
            )
            continue
        line = score_component(c, inputs, bobot_total=bobot_total, skala_manajemen=table.skala_manajemen)
        if line["catatan"]:
            notes.append(f"{c.nomor}. {c.nama}: {line['catatan']}")
        numerator, denominator = line["skor_pecahan"].split("/")
        total += Fraction(int(numerator), int(denominator))
        baris.append(line)
    if not simpan_pinjam and len(used) < len(table.components):
        skipped = ", ".join(str(c.nomor) for c in table.components if c not in used)
        notes.insert(
            0,
            _("Koperasi tidak memberi pinjaman: komponen %(n)s dilewati, bobot lainnya diskalakan ke 100.")
            % {"n": skipped},
        )
    return Result(
        versi=table.versi,
        simpan_pinjam=simpan_pinjam,
        baris=baris,
        total=total,
        predikat=predikat_for(total, table.predikat),
        catatan=notes,
    )
