"""The Koperasi Award calculation (SPEC §11) as literal tables computed by hand.

Criteria K1 (bobot 60) and K2 (bobot 40): a judge's weighted total T = 0,6·K1 + 0,4·K2.
Objective weight 20: entry score = 0,8 × judges' mean + 0,2 × health score.
"""

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from apps.pengembangan.award_rules import AwardInput, CriterionIn, EntryIn, JudgeIn, calculate

K1, K2 = 1, 2
CRITERIA = [CriterionIn(K1, "Tata kelola", Decimal(60)), CriterionIn(K2, "Pelayanan anggota", Decimal(40))]
HARSH, LENIENT, SINGLE = 10, 20, 30
JUDGES = [JudgeIn(HARSH, "Juri keras"), JudgeIn(LENIENT, "Juri murah"), JudgeIn(SINGLE, "Juri satu entri")]
A, B, C, D, E = 1, 2, 3, 4, 5
HEALTH = {A: 80, B: 85, C: 70, D: 90, E: 75}
ENTRIES = [EntryIn(i, n, Decimal(HEALTH[i])) for i, n in [(A, "A"), (B, "B"), (C, "C"), (D, "D"), (E, "E")]]


def s(k1, k2):
    return {K1: Decimal(str(k1)), K2: Decimal(str(k2))}


# The harsh judge scores every entry: totals A 55 (0,6·50 + 0,4·62,5), B 45, C 65, D 35, E 50.
# The lenient judge recuses from C: totals A 90 (0,6·100 + 0,4·75), B 80, D 80, E 90.
# The third judge recuses from A–D and scores E only: 70.
SCORES = {
    (A, HARSH): s(50, 62.5),
    (B, HARSH): s(45, 45),
    (C, HARSH): s(65, 65),
    (D, HARSH): s(35, 35),
    (E, HARSH): s(50, 50),
    (A, LENIENT): s(100, 75),
    (B, LENIENT): s(80, 80),
    (D, LENIENT): s(80, 80),
    (E, LENIENT): s(90, 90),
    (E, SINGLE): s(70, 70),
}
RECUSALS = {(C, LENIENT), (A, SINGLE), (B, SINGLE), (C, SINGLE), (D, SINGLE)}


def data(metode="normalisasi", **kw):
    return AwardInput(
        criteria=CRITERIA,
        judges=JUDGES,
        entries=ENTRIES,
        scores=SCORES,
        recusals=RECUSALS,
        metode=metode,
        bobot_objektif=Decimal(20),
        **kw,
    )


# Per judge: entries, mean, population standard deviation, rescaled?
# harsh: (55+45+65+35+50)/5 = 50; deviations 5, −5, 15, −15, 0 → variance (25+25+225+225+0)/5 = 100 → sd 10.
# lenient: (90+80+80+90)/4 = 85; deviations ±5 → sd 5.   single: one entry → not rescaled.
JUDGE_TABLE = [
    (HARSH, 5, "50.000000", "10.000000", True, "diskalakan"),
    (LENIENT, 4, "85.000000", "5.000000", True, "diskalakan"),
    (SINGLE, 1, "70.000000", None, False, "satu_entri"),
]

# Normalised = 100 + 20·z: harsh A z=0,5 → 110, B −0,5 → 90, C 1,5 → 130, D −1,5 → 70, E 0 → 100;
# lenient A +1 → 120, B −1 → 80, D −1 → 80, E +1 → 120; single E 70 (raw).
NORMALISED = {
    (A, HARSH): "110.000000",
    (B, HARSH): "90.000000",
    (C, HARSH): "130.000000",
    (D, HARSH): "70.000000",
    (E, HARSH): "100.000000",
    (A, LENIENT): "120.000000",
    (B, LENIENT): "80.000000",
    (C, LENIENT): None,
    (D, LENIENT): "80.000000",
    (E, LENIENT): "120.000000",
    (E, SINGLE): "70.000000",
}

# entry: judges' mean, raw mean, judges' component (0,8 × mean), objective (0,2 × health), score, rank
# A: (110+120)/2 = 115 → 92 + 16 = 108;  B: (90+80)/2 = 85 → 68 + 17 = 85;  C: 130 → 104 + 14 = 118;
# D: (70+80)/2 = 75 → 60 + 18 = 78;  E: (100+120+70)/3 = 96,6667 → 77,3333 + 15 = 92,3333.
ENTRY_TABLE = [
    (C, "130.000000", "65.000000", "104.000000", "14.000000", "118.000000", 1),
    (A, "115.000000", "72.500000", "92.000000", "16.000000", "108.000000", 2),
    (E, "96.666667", "70.000000", "77.333333", "15.000000", "92.333333", 3),
    (B, "85.000000", "62.500000", "68.000000", "17.000000", "85.000000", 4),
    (D, "75.000000", "57.500000", "60.000000", "18.000000", "78.000000", 5),
]
# Raw means instead (a category setting): A 0,8·72,5 + 16 = 74; E 56 + 15 = 71; B 50 + 17 = 67;
# C 52 + 14 = 66; D 46 + 18 = 64. Entry C, scored only by the harsh judge, drops from first to fourth.
RAW_TABLE = [(A, "74.000000", 1), (E, "71.000000", 2), (B, "67.000000", 3), (C, "66.000000", 4), (D, "64.000000", 5)]


def test_judges_statistics():
    out = calculate(data())
    got = [
        (j["id"], j["jumlah_entri"], j["rata_rata"], j["simpangan_baku"], j["diskalakan"], j["alasan"])
        for j in out["juri"]
    ]
    assert got == JUDGE_TABLE


def test_normalised_scores_and_recusal():
    out = calculate(data())
    got = {}
    for e in out["entri"]:
        for line in e["juri"]:
            if line["status"] == "dinilai":
                got[(e["id"], line["juri_id"])] = line["ternormalisasi"]
            elif (e["id"], line["juri_id"]) == (C, LENIENT):
                assert line["status"] == "mundur" and line["total"] is None
                got[(C, LENIENT)] = None
    assert got == NORMALISED


def test_entry_scores_and_ranks_normalised():
    out = calculate(data())
    got = [
        (
            e["id"],
            e["rata_juri"],
            e["rata_mentah"],
            e["komponen_juri"],
            e["komponen_objektif"],
            e["nilai_akhir"],
            e["peringkat"],
        )
        for e in out["entri"]
    ]
    assert got == ENTRY_TABLE


def test_entry_scores_and_ranks_raw_means():
    out = calculate(data(metode="mentah"))
    assert [(e["id"], e["nilai_akhir"], e["peringkat"]) for e in out["entri"]] == RAW_TABLE
    assert {j["alasan"] for j in out["juri"]} == {"metode_mentah"}


def test_judge_without_spread_is_not_rescaled():
    scores = {(A, HARSH): s(60, 60), (B, HARSH): s(60, 60)}
    out = calculate(AwardInput(CRITERIA, [JUDGES[0]], ENTRIES[:2], scores, set(), "normalisasi", Decimal(0), ["panel"]))
    assert out["juri"][0]["alasan"] == "tanpa_sebaran"
    assert [(e["nilai_akhir"], e["peringkat"], e["seri_akhir"]) for e in out["entri"]] == [
        ("60.000000", 1, True),
        ("60.000000", 1, True),
    ]


# Exact ties (raw means, objective weight 20, one judge), broken by each rule in turn.
P, Q = 101, 102
ONE = [JudgeIn(HARSH, "Juri")]


def tie(scores, health_p, health_q, tie_breaks, metode="mentah", panel=(None, None), judges=ONE):
    entries = [EntryIn(P, "P", Decimal(health_p), panel[0]), EntryIn(Q, "Q", Decimal(health_q), panel[1])]
    out = calculate(AwardInput(CRITERIA, judges, entries, scores, set(), metode, Decimal(20), tie_breaks))
    return [(e["nama"], e["nilai_akhir"], e["peringkat"]) for e in out["entri"]], out


# P: raw 80, health 80 → 64 + 16 = 80;  Q: raw 78,75, health 85 → 63 + 17 = 80. A tie on 80.
TIE_OBJ = {(P, HARSH): s(80, 80), (Q, HARSH): s(78.75, 78.75)}


def test_tie_broken_by_objective_component():
    ranks, out = tie(TIE_OBJ, 80, 85, ["objektif", "rata_mentah", "panel"])
    assert ranks == [("Q", "80.000000", 1), ("P", "80.000000", 2)]
    q = next(e for e in out["entri"] if e["nama"] == "Q")
    assert q["seri_dengan"] == ["P"] and q["pemutus"] == [{"aturan": "objektif", "putus": True}]


def test_tie_broken_by_raw_mean_when_configured_first():
    ranks, _out = tie(TIE_OBJ, 80, 85, ["rata_mentah", "objektif", "panel"])
    assert ranks == [("P", "80.000000", 1), ("Q", "80.000000", 2)]


# Normalised: judge 1 gives P 60, Q 80 (mean 70, sd 10 → 80, 120); judge 2 gives P 95, Q 85 (mean 90, sd 5
# → 120, 80). Both judges' means are 100 and the health scores equal (80): the objective component does not
# split them; raw means P 77,5 < Q 82,5 do.
TIE_RAW = {
    (P, HARSH): s(60, 60),
    (Q, HARSH): s(80, 80),
    (P, LENIENT): s(95, 95),
    (Q, LENIENT): s(85, 85),
}


def test_tie_broken_by_raw_mean_after_objective_does_not_split():
    ranks, out = tie(TIE_RAW, 80, 80, ["objektif", "rata_mentah", "panel"], metode="normalisasi", judges=JUDGES[:2])
    assert ranks == [("Q", "96.000000", 1), ("P", "96.000000", 2)]
    q = next(e for e in out["entri"] if e["nama"] == "Q")
    assert q["pemutus"] == [{"aturan": "objektif", "putus": False}, {"aturan": "rata_mentah", "putus": True}]


# Identical scores and health: only the panel's recorded decision separates them.
TIE_ALL = {(P, HARSH): s(80, 80), (Q, HARSH): s(80, 80)}


def test_tie_broken_by_panel_decision():
    ranks, _out = tie(TIE_ALL, 80, 80, ["objektif", "rata_mentah", "panel"], panel=(2, 1))
    assert ranks == [("Q", "80.000000", 1), ("P", "80.000000", 2)]


def test_tie_unbroken_without_panel_decision_shares_the_rank():
    ranks, out = tie(TIE_ALL, 80, 80, ["objektif", "rata_mentah", "panel"], panel=(1, None))
    assert [r[2] for r in ranks] == [1, 1]
    assert all(e["seri_akhir"] for e in out["entri"])
    assert out["entri"][0]["pemutus"][-1] == {"aturan": "panel", "putus": False}


# ---------------------------------------------------------------- properties


score = st.integers(min_value=0, max_value=80)


@given(
    grid=st.lists(st.lists(st.tuples(score, score), min_size=4, max_size=4), min_size=3, max_size=3),
    shift=st.integers(min_value=1, max_value=20),
    judge=st.integers(min_value=0, max_value=2),
    health=st.lists(st.integers(min_value=0, max_value=100), min_size=4, max_size=4),
)
def test_uniform_shift_of_a_judge_changes_no_rank_under_normalisation(grid, shift, judge, health):
    """Shifting every score of one judge by the same amount shifts their totals, mean and nothing else:
    z-scores, normalised scores, entry scores and ranks stay (that judge rates 4 entries with a spread)."""
    judges = [JudgeIn(j, f"J{j}") for j in range(3)]
    entries = [EntryIn(e, f"E{e}", Decimal(health[e])) for e in range(4)]

    def build(extra):
        scores = {
            (e, j): s(grid[j][e][0] + (extra if j == judge else 0), grid[j][e][1] + (extra if j == judge else 0))
            for j in range(3)
            for e in range(4)
        }
        return calculate(AwardInput(CRITERIA, judges, entries, scores, set(), "normalisasi", Decimal(30), ["objektif"]))

    before = build(0)
    assume(before["juri"][judge]["diskalakan"])
    after = build(shift)
    assert [(e["id"], e["nilai_akhir"], e["peringkat"]) for e in after["entri"]] == [
        (e["id"], e["nilai_akhir"], e["peringkat"]) for e in before["entri"]
    ]


@given(totals=st.lists(st.integers(min_value=0, max_value=100), min_size=2, max_size=8))
def test_normalised_scores_of_a_judge_have_mean_100_and_sd_20(totals):
    assume(len(set(totals)) > 1)
    entries = [EntryIn(i, f"E{i}", None) for i in range(len(totals))]
    scores = {(i, HARSH): s(t, t) for i, t in enumerate(totals)}
    out = calculate(AwardInput(CRITERIA, [JUDGES[0]], entries, scores, set(), "normalisasi", Decimal(0), ["panel"]))
    values = [Decimal(line["ternormalisasi"]) for e in out["entri"] for line in e["juri"]]
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    assert abs(mean - 100) < Decimal("0.00001")
    assert abs(variance - 400) < Decimal("0.001")
