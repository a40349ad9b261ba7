"""Business size classification (kelas usaha) by the law in force for the data year (SPEC §4).

- UU 20/2008 (data years up to 2020): net worth (excluding land and buildings) *or* annual sales; the
  law reads "or", so a business meeting a lower class's ceiling on either criterion is in that class:
  the lower of the two classes.
- PP 7/2021 (data years from 2021): annual sales for empowerment programmes; business capital only
  when sales are missing.

Ceilings are inclusive: "paling banyak Rp50.000.000" means Rp50.000.000 is still mikro. The rule
sets are data (`RuleSet` rows seeded by a migration); `classify` is a pure function over them.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F

from apps.umkm.models import KELAS_BY_RANK, ClassificationMethod, RuleSet

JUTA = 1_000_000
MILIAR = 1_000_000_000

# The seed of the rule table (migration 0003 writes these rows; tests check the table against them).
DEFAULT_RULE_SETS: list[dict[str, object]] = [
    {
        "code": "UU-20-2008",
        "title": "UU 20/2008 tentang Usaha Mikro, Kecil, dan Menengah",
        "method": ClassificationMethod.LOWER_OF_TWO.value,
        "first_year": None,
        "last_year": 2020,
        "mikro_modal_max": 50 * JUTA,
        "mikro_omzet_max": 300 * JUTA,
        "kecil_modal_max": 500 * JUTA,
        "kecil_omzet_max": 2_500 * JUTA,
        "menengah_modal_max": 10 * MILIAR,
        "menengah_omzet_max": 50 * MILIAR,
    },
    {
        "code": "PP-7-2021",
        "title": "PP 7/2021 tentang Kemudahan, Pelindungan, dan Pemberdayaan Koperasi dan UMKM",
        "method": ClassificationMethod.SALES_FIRST.value,
        "first_year": 2021,
        "last_year": None,
        "mikro_modal_max": 1 * MILIAR,
        "mikro_omzet_max": 2 * MILIAR,
        "kecil_modal_max": 5 * MILIAR,
        "kecil_omzet_max": 15 * MILIAR,
        "menengah_modal_max": 10 * MILIAR,
        "menengah_omzet_max": 50 * MILIAR,
    },
]


@dataclass(frozen=True)
class Rule:
    code: str
    method: str
    first_year: int | None
    last_year: int | None
    modal_max: tuple[int, int, int]  # mikro, kecil, menengah ceilings (inclusive)
    omzet_max: tuple[int, int, int]

    def applies_to(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )

    @classmethod
    def from_row(cls, row: RuleSet | dict[str, object]) -> "Rule":
        def get(name: str) -> object:
            return row[name] if isinstance(row, dict) else getattr(row, name)

        def ceilings(criterion: str) -> tuple[int, int, int]:
            values = [get(f"{k}_{criterion}_max") for k in ("mikro", "kecil", "menengah")]
            return (int(str(values[0])), int(str(values[1])), int(str(values[2])))

        first, last = get("first_year"), get("last_year")
        return cls(
            code=str(get("code")),
            method=str(get("method")),
            first_year=None if first is None else int(str(first)),
            last_year=None if last is None else int(str(last)),
            modal_max=ceilings("modal"),
            omzet_max=ceilings("omzet"),
        )


class NoRule(ValueError):
    pass


def _rank(value: int, ceilings: tuple[int, int, int]) -> int:
    for rank, ceiling in enumerate(ceilings):
        if value <= ceiling:
            return rank
    return 3


def rule_for(year: int, rules: Sequence[Rule]) -> Rule:
    for rule in rules:
        if rule.applies_to(year):
            return rule
    raise NoRule(f"tidak ada aturan kelas usaha untuk tahun data {year}")


_PUNCTUATION_AND_SPACE = re.compile(r"[\W_]+")


def normalize_business_name(name: str) -> str:
    """The business name as identity (SPEC §4): case-folded, punctuation removed, whitespace collapsed,
    so `Bu. Sri` = `BU SRI` and `UD.Sri_Rejeki` = `ud sri rejeki`. A punctuation mark counts as a word
    break (`Bu.Sri` = `bu sri`), as people write it."""
    return " ".join(_PUNCTUATION_AND_SPACE.sub(" ", name.casefold()).split())[:200]


def figures_missing(modal: int | None, omzet: int | None) -> bool:
    """The one-figure rule (SPEC §4), the same for the importer and the edit service: a yearly record
    needs at least one of business capital and annual sales; with one, the class is decided by that one,
    in UU 20/2008 years too. True when both are missing (the row or edit is refused)."""
    return modal is None and omzet is None


def decided_by(modal: int | None, omzet: int | None) -> str:
    """Which figure decided the class when only one was given ("modal" or "omzet"); "" with both."""
    if modal is None and omzet is not None:
        return "omzet"
    if omzet is None and modal is not None:
        return "modal"
    return ""


def classify(modal: int | None, omzet: int | None, year: int, rules: Sequence[Rule]) -> tuple[str, str]:
    """(class, rule code) of a business with capital `modal` and annual sales `omzet` in data year `year`.

    Raises ValueError when both values are missing or no rule covers the year.
    """
    if figures_missing(modal, omzet):
        raise ValueError("modal usaha dan omzet tahunan keduanya kosong")
    rule = rule_for(year, rules)
    if rule.method == ClassificationMethod.SALES_FIRST:
        rank = _rank(omzet, rule.omzet_max) if omzet is not None else _rank(modal or 0, rule.modal_max)
    else:
        ranks = []
        if modal is not None:
            ranks.append(_rank(modal, rule.modal_max))
        if omzet is not None:
            ranks.append(_rank(omzet, rule.omzet_max))
        rank = min(ranks)
    return KELAS_BY_RANK[rank], rule.code


def rules_load() -> list[Rule]:
    """The rule table from the database, for one run of classifications.

    An empty table (a database flushed after its migrations, as transactional tests do) falls back to
    the shipped defaults, which are exactly what the seeding migration writes."""
    rows = [Rule.from_row(r) for r in RuleSet.objects.order_by(F("first_year").asc(nulls_first=True), "code")]
    return rows or default_rules()


def default_rules() -> list[Rule]:
    return [Rule.from_row(r) for r in DEFAULT_RULE_SETS]
