"""The Koperasi Award calculation (SPEC §11), pure so it can be tested as tables by hand.

For one category:

1. **raw**: a judge's weighted total for an entry = Σ(nilai × bobot) ÷ Σ bobot over the category's
   criteria (0–100); only complete score sets count, a recused judge has none.
2. **normalised** (method `normalisasi`): per judge, over the entries that judge scored in the category,
   the mean m and the population standard deviation s (divide by n) of the weighted totals;
   z = (total − m) ÷ s and the normalised score = 100 + 20·z. A judge with one entry, or whose totals are
   all equal (s = 0), is not rescaled (normalised = raw). Method `mentah`: normalised = raw.
3. **judges' mean** = the mean of the normalised scores over the judges who scored the entry;
   **raw mean** = the mean of their raw totals.
4. **entry score** = judges' mean × (100 − w) ÷ 100 + health score × w ÷ 100, w = the category's weight
   of the objective component (the health score is the cooperative's latest assessment total).
5. **rank**: by entry score, highest first; entries with equal scores go through the category's
   tie-breaks in order (`objektif`: higher objective component; `rata_mentah`: higher raw mean;
   `panel`: the panel's recorded order, used only when it is recorded for every entry still tied);
   entries still tied share a rank (1, 1, 3).

Everything except the square root is exact (fractions). The square root is taken with 50 significant
digits, and scores are compared rounded to 9 decimals (`COMPARE_PLACES`), so that two scores equal in
exact arithmetic are equal here too.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

COMPARE_PLACES = 9
SHOW_PLACES = 6
NORMAL_CENTRE = 100
NORMAL_SPREAD = 20


@dataclass(frozen=True)
class CriterionIn:
    id: int
    nama: str
    bobot: Decimal


@dataclass(frozen=True)
class JudgeIn:
    id: int
    nama: str


@dataclass(frozen=True)
class EntryIn:
    id: int
    nama: str
    objektif: Decimal | None  # the health score (0–100), None when there is no assessment
    urutan_panel: int | None = None


@dataclass
class AwardInput:
    criteria: list[CriterionIn]
    judges: list[JudgeIn]
    entries: list[EntryIn]
    scores: dict[tuple[int, int], dict[int, Decimal]]  # (entry id, judge id) → criterion id → nilai
    recusals: set[tuple[int, int]] = field(default_factory=set)  # (entry id, judge id)
    metode: str = "normalisasi"
    bobot_objektif: Decimal = Decimal(30)
    tie_breaks: list[str] = field(default_factory=lambda: ["objektif", "rata_mentah", "panel"])


def _to_decimal(value: Fraction | Decimal) -> Decimal:
    if isinstance(value, Decimal):
        return value
    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(value.numerator) / Decimal(value.denominator)


def _text(value: Fraction | Decimal | None, places: int = SHOW_PLACES) -> str | None:
    if value is None:
        return None
    return str(_to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _key(value: Fraction | Decimal) -> Decimal:
    return _to_decimal(value).quantize(Decimal(1).scaleb(-COMPARE_PLACES), rounding=ROUND_HALF_UP)


def weighted_total(criteria: list[CriterionIn], nilai: dict[int, Decimal]) -> Fraction | None:
    """Σ(nilai × bobot) ÷ Σ bobot, or None when a criterion has no score."""
    if any(c.id not in nilai for c in criteria) or not criteria:
        return None
    total_bobot = sum((Fraction(c.bobot) for c in criteria), Fraction(0))
    return sum((Fraction(nilai[c.id]) * Fraction(c.bobot) for c in criteria), Fraction(0)) / total_bobot


def calculate(data: AwardInput) -> dict[str, Any]:
    """The whole calculation, as a JSON-ready dict (numbers as strings), line by line."""
    w = Fraction(data.bobot_objektif)
    normalise = data.metode == "normalisasi"
    # 1. raw weighted totals
    totals: dict[tuple[int, int], Fraction] = {}
    for entry in data.entries:
        for judge in data.judges:
            if (entry.id, judge.id) in data.recusals:
                continue
            t = weighted_total(data.criteria, data.scores.get((entry.id, judge.id), {}))
            if t is not None:
                totals[(entry.id, judge.id)] = t
    # 2. per-judge statistics and normalised scores
    judges_out = []
    normalised: dict[tuple[int, int], Decimal | Fraction] = {}
    z_scores: dict[tuple[int, int], Decimal] = {}
    for judge in data.judges:
        mine = {e: t for (e, j), t in totals.items() if j == judge.id}
        n = len(mine)
        mean = sum(mine.values(), Fraction(0)) / n if n else None
        variance = sum(((t - mean) ** 2 for t in mine.values()), Fraction(0)) / n if n and mean is not None else None
        sd: Decimal | None = None
        if variance:
            with localcontext() as ctx:
                ctx.prec = 50
                sd = _to_decimal(variance).sqrt()
        rescaled = normalise and n >= 2 and sd is not None
        if not normalise:
            alasan = "metode_mentah"
        elif n == 0:
            alasan = "belum_menilai"
        elif n == 1:
            alasan = "satu_entri"
        elif sd is None:
            alasan = "tanpa_sebaran"
        else:
            alasan = "diskalakan"
        for e, t in mine.items():
            if rescaled and sd is not None and mean is not None:
                with localcontext() as ctx:
                    ctx.prec = 50
                    z = _to_decimal(t - mean) / sd
                    z_scores[(e, judge.id)] = z
                    normalised[(e, judge.id)] = NORMAL_CENTRE + NORMAL_SPREAD * z
            else:
                normalised[(e, judge.id)] = t
        judges_out.append(
            {
                "id": judge.id,
                "nama": judge.nama,
                "jumlah_entri": n,
                "rata_rata": _text(mean),
                "simpangan_baku": _text(sd),
                "diskalakan": rescaled,
                "alasan": alasan,
            }
        )
    # 3–4. per entry
    entries_out = []
    for entry in data.entries:
        lines = []
        scored: list[int] = []
        for judge in data.judges:
            key = (entry.id, judge.id)
            raw = data.scores.get(key, {})
            if key in data.recusals:
                status = "mundur"
            elif key in totals:
                status = "dinilai"
                scored.append(judge.id)
            else:
                status = "belum_lengkap" if raw else "belum_menilai"
            lines.append(
                {
                    "juri_id": judge.id,
                    "juri": judge.nama,
                    "status": status,
                    "nilai": [
                        {
                            "kriteria_id": c.id,
                            "kriteria": c.nama,
                            "bobot": str(c.bobot),
                            "nilai": str(raw[c.id]) if c.id in raw else None,
                        }
                        for c in data.criteria
                    ],
                    "total": _text(totals.get(key)),
                    "z": _text(z_scores.get(key)),
                    "ternormalisasi": _text(normalised.get(key)),
                }
            )
        k = len(scored)
        judges_mean = None
        raw_mean = None
        if k:
            with localcontext() as ctx:
                ctx.prec = 50
                judges_mean = sum((_to_decimal(normalised[(entry.id, j)]) for j in scored), Decimal(0)) / k
            raw_mean = sum((totals[(entry.id, j)] for j in scored), Fraction(0)) / k
        objektif = Fraction(entry.objektif) if entry.objektif is not None else Fraction(0)
        komponen_objektif = objektif * w / 100
        komponen_juri = None
        final = None
        if judges_mean is not None:
            with localcontext() as ctx:
                ctx.prec = 50
                komponen_juri = judges_mean * _to_decimal((100 - w) / 100)
                final = komponen_juri + _to_decimal(komponen_objektif)
        entries_out.append(
            {
                "id": entry.id,
                "nama": entry.nama,
                "juri": lines,
                "jumlah_juri": k,
                "rata_juri": _text(judges_mean),
                "rata_mentah": _text(raw_mean),
                "komponen_juri": _text(komponen_juri),
                "skor_kesehatan": str(entry.objektif) if entry.objektif is not None else None,
                "komponen_objektif": _text(komponen_objektif),
                "nilai_akhir": _text(final),
                "urutan_panel": entry.urutan_panel,
                "peringkat": None,
                "seri_dengan": [],
                "pemutus": [],
                "_final": final,
                "_objektif": komponen_objektif,
                "_raw": raw_mean,
            }
        )
    _rank(entries_out, data.tie_breaks)
    for out in entries_out:
        for private in ("_final", "_objektif", "_raw"):
            out.pop(private)
    ranked = sorted(entries_out, key=lambda e: (e["peringkat"] is None, e["peringkat"] or 0, e["nama"], e["id"]))
    return {
        "metode": data.metode,
        "bobot_objektif": str(data.bobot_objektif),
        "tie_breaks": list(data.tie_breaks),
        "kriteria": [{"id": c.id, "nama": c.nama, "bobot": str(c.bobot)} for c in data.criteria],
        "juri": judges_out,
        "entri": ranked,
    }


def _tie_key(entry: dict[str, Any], rule: str) -> Any:
    if rule == "objektif":
        return -_key(entry["_objektif"])
    if rule == "rata_mentah":
        return -_key(entry["_raw"])
    return entry["urutan_panel"]


def _rank(entries: list[dict[str, Any]], tie_breaks: list[str]) -> None:
    scored = [e for e in entries if e["_final"] is not None]
    scored.sort(key=lambda e: -_key(e["_final"]))
    groups: list[list[dict[str, Any]]] = []
    for e in scored:
        if groups and _key(groups[-1][0]["_final"]) == _key(e["_final"]):
            groups[-1].append(e)
        else:
            groups.append([e])
    for group in groups:
        if len(group) > 1:
            names = [e["nama"] for e in group]
            for e in group:
                e["seri_dengan"] = [n for n in names if n != e["nama"]]
    for rule in tie_breaks:
        refined: list[list[dict[str, Any]]] = []
        for group in groups:
            if len(group) == 1:
                refined.append(group)
                continue
            if rule == "panel" and any(e["urutan_panel"] is None for e in group):
                for e in group:
                    e["pemutus"].append({"aturan": "panel", "putus": False})
                refined.append(group)
                continue
            group.sort(key=lambda e, r=rule: _tie_key(e, r))  # type: ignore[misc]
            parts: list[list[dict[str, Any]]] = []
            for e in group:
                if parts and _tie_key(parts[-1][0], rule) == _tie_key(e, rule):
                    parts[-1].append(e)
                else:
                    parts.append([e])
            for e in group:
                e["pemutus"].append({"aturan": rule, "putus": len(parts) > 1})
            refined.extend(parts)
        groups = refined
    position = 1
    for group in groups:
        for e in group:
            e["peringkat"] = position
            e["seri_akhir"] = len(group) > 1
        position += len(group)
    for e in entries:
        e.setdefault("seri_akhir", False)
