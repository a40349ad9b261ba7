import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.umkm.models import RuleSet
from apps.umkm.rules import DEFAULT_RULE_SETS, MILIAR, Rule, classify, default_rules, rules_load

JT = 1_000_000
RULES = default_rules()

# (modal, omzet, data year) -> (kelas, rule code)
UU_20_2008 = [
    # mikro: net worth ≤ Rp50 juta or sales ≤ Rp300 juta (inclusive); the lower class of the two wins
    (50 * JT, 300 * JT, "mikro"),
    (50 * JT + 1, 300 * JT, "mikro"),  # sales still mikro
    (50 * JT, 300 * JT + 1, "mikro"),  # net worth still mikro
    (50 * JT + 1, 300 * JT + 1, "kecil"),
    (0, 0, "mikro"),
    (500 * JT, 2_500 * JT, "kecil"),
    (500 * JT + 1, 2_500 * JT, "kecil"),
    (500 * JT, 2_500 * JT + 1, "kecil"),
    (500 * JT + 1, 2_500 * JT + 1, "menengah"),
    (10 * MILIAR, 50 * MILIAR, "menengah"),
    (10 * MILIAR + 1, 50 * MILIAR, "menengah"),
    (10 * MILIAR, 50 * MILIAR + 1, "menengah"),
    (10 * MILIAR + 1, 50 * MILIAR + 1, "besar"),
    (20 * MILIAR, 100 * JT, "mikro"),  # rich in assets, small sales: the lower class
    (10 * JT, 60 * MILIAR, "mikro"),
    (600 * JT, 100 * MILIAR, "menengah"),
    # one criterion missing: the other decides
    (None, 300 * JT, "mikro"),
    (None, 300 * JT + 1, "kecil"),
    (50 * JT + 1, None, "kecil"),
    (50 * JT, None, "mikro"),
    (None, 50 * MILIAR + 1, "besar"),
]

PP_7_2021 = [
    # sales decide; capital is ignored when sales are present
    (0, 2 * MILIAR, "mikro"),
    (0, 2 * MILIAR + 1, "kecil"),
    (9 * MILIAR, 2 * MILIAR, "mikro"),
    (0, 15 * MILIAR, "kecil"),
    (0, 15 * MILIAR + 1, "menengah"),
    (0, 50 * MILIAR, "menengah"),
    (0, 50 * MILIAR + 1, "besar"),
    (20 * MILIAR, 0, "mikro"),
    # capital only when sales are missing
    (1 * MILIAR, None, "mikro"),
    (1 * MILIAR + 1, None, "kecil"),
    (5 * MILIAR, None, "kecil"),
    (5 * MILIAR + 1, None, "menengah"),
    (10 * MILIAR, None, "menengah"),
    (10 * MILIAR + 1, None, "besar"),
]


@pytest.mark.parametrize("year", [2000, 2019, 2020])
@pytest.mark.parametrize(("modal", "omzet", "kelas"), UU_20_2008)
def test_uu_20_2008_up_to_2020(modal, omzet, kelas, year):
    assert classify(modal, omzet, year, RULES) == (kelas, "UU-20-2008")


@pytest.mark.parametrize("year", [2021, 2025])
@pytest.mark.parametrize(("modal", "omzet", "kelas"), PP_7_2021)
def test_pp_7_2021_from_2021(modal, omzet, kelas, year):
    assert classify(modal, omzet, year, RULES) == (kelas, "PP-7-2021")


@pytest.mark.parametrize(
    ("modal", "omzet", "y2020", "y2021"),
    [
        # the same business changes class with the law, not with its numbers
        (100 * JT, 400 * JT, "kecil", "mikro"),
        (600 * JT, 3 * MILIAR, "menengah", "kecil"),
        (40 * JT, 20 * MILIAR, "mikro", "menengah"),
    ],
)
def test_law_changes_between_2020_and_2021(modal, omzet, y2020, y2021):
    assert classify(modal, omzet, 2020, RULES)[0] == y2020
    assert classify(modal, omzet, 2021, RULES)[0] == y2021


@pytest.mark.parametrize("year", [2019, 2021])
def test_both_missing_is_an_error(year):
    with pytest.raises(ValueError):
        classify(None, None, year, RULES)


def test_a_new_regulation_is_a_new_row():
    rules = [*RULES[:1], Rule("PP-7-2021", "omzet_dahulu", 2021, 2029, RULES[1].modal_max, RULES[1].omzet_max)]
    rules.append(Rule("BARU-2030", "omzet_dahulu", 2030, None, (1, 2, 3), (10, 20, 30)))
    assert classify(0, 11, 2030, rules) == ("kecil", "BARU-2030")
    assert classify(0, 11, 2029, rules) == ("mikro", "PP-7-2021")


@pytest.mark.django_db
def test_migration_seeded_the_rule_table():
    assert RuleSet.objects.count() == 2
    assert rules_load() == sorted(default_rules(), key=lambda r: r.code != "UU-20-2008")
    assert {r.code for r in rules_load()} == {r["code"] for r in DEFAULT_RULE_SETS}


money = st.integers(min_value=0, max_value=200 * MILIAR)


@given(modal=money, omzet=money, extra=money, year=st.integers(min_value=2000, max_value=2030))
def test_more_money_never_lowers_the_class(modal, omzet, extra, year):
    rank = ["mikro", "kecil", "menengah", "besar"].index
    base = rank(classify(modal, omzet, year, RULES)[0])
    assert rank(classify(modal + extra, omzet, year, RULES)[0]) >= base
    assert rank(classify(modal, omzet + extra, year, RULES)[0]) >= base


@pytest.mark.django_db
def test_an_emptied_rule_table_falls_back_to_the_shipped_rules():
    RuleSet.objects.all().delete()
    assert rules_load() == default_rules()
