"""Pure rules of the programmes (SPEC §10), kept apart so they can be tested as literal tables."""

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any


def completes(
    *, attended: int, sessions: int, post_test: int | None, min_attendance_percent: Decimal, pass_mark: int
) -> bool:
    """Training completion (SPEC §10): attendance ≥ the minimum share of sessions (75% by default) and
    post-test ≥ the pass mark. Compared exactly: 3 of 4 sessions is 75% and passes at 75%."""
    if sessions <= 0 or post_test is None:
        return False
    return Decimal(attended) * 100 >= min_attendance_percent * sessions and post_test >= pass_mark


def priority_of(*, female_owner: bool, mikro: bool, priority_women: bool, priority_mikro: bool) -> int:
    """Waiting-list priority: one point per priority of the activity the business meets."""
    return int(priority_women and female_owner) + int(priority_mikro and mikro)


def verification_code(number: int, secret: str) -> str:
    """A short certificate code: readable (no 0/O/1/I), unguessable (keyed hash of the serial)."""

    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    digest = hmac.new(secret.encode(), f"sertifikat:{number}".encode(), hashlib.sha256).digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(10):
        value, r = divmod(value, len(alphabet))
        chars.append(alphabet[r])
    code = "".join(chars)
    return f"{code[:5]}-{code[5:]}"


# -- packaging aid: scoring and ranking (SPEC §10) ------------------------------------------------------
def weighted_total(scores: dict[int, int], weights: dict[int, Decimal]) -> Fraction:
    """One reviewer's weighted total on the 0–5 scale: Σ weight × score ÷ Σ weight, exact."""
    total_weight = sum((Fraction(w) for w in weights.values()), Fraction(0))
    if total_weight == 0:
        return Fraction(0)
    return sum((Fraction(weights[c]) * scores[c] for c in weights), Fraction(0)) / total_weight


def application_score(totals: list[Fraction]) -> Fraction | None:
    """The application's score: the mean of its reviewers' weighted totals (None without any)."""
    if not totals:
        return None
    return sum(totals, Fraction(0)) / len(totals)


@dataclass(frozen=True)
class RankEntry:
    key: Any
    score: Fraction
    kelas_rank: int  # 0 mikro … 3 besar; unknown sorts last
    submitted_at: Any


def rank(entries: list[RankEntry], tie_breaks: list[str]) -> list[tuple[int, RankEntry]]:
    """Order by the configured tie-breaks (`skor`: higher first, `kelas`: smaller class first, `waktu`:
    earlier first); entries equal on every configured key share a rank (1, 2, 2, 4)."""

    def sort_key(e: RankEntry) -> tuple[Any, ...]:
        parts: list[Any] = []
        for name in tie_breaks:
            if name == "skor":
                parts.append(-e.score)
            elif name == "kelas":
                parts.append(e.kelas_rank)
            elif name == "waktu":
                parts.append(e.submitted_at)
        return tuple(parts)

    ordered = sorted(entries, key=sort_key)
    ranked: list[tuple[int, RankEntry]] = []
    for i, e in enumerate(ordered):
        if i and sort_key(ordered[i - 1]) == sort_key(e):
            ranked.append((ranked[-1][0], e))
        else:
            ranked.append((i + 1, e))
    return ranked


def suggest_selection(ranked: list[tuple[Any, int]], *, quota: int | None, budget: int | None) -> list[Any]:
    """(key, cost) in rank order → the keys that fit: take each in turn while the quota lasts, skipping one
    whose cost would exceed what is left of the budget (the next cheaper one may still fit)."""
    chosen: list[Any] = []
    left = budget
    for key, cost in ranked:
        if quota is not None and len(chosen) >= quota:
            break
        if left is not None and cost > left:
            continue
        chosen.append(key)
        if left is not None:
            left -= cost
    return chosen


# -- festivals: booth allocation ---------------------------------------------------------------------------
def spread_by_category(items: list[tuple[Any, Any]]) -> list[Any]:
    """(key, category) in application order → keys in an order that spreads categories: repeatedly take
    the next applicant of the category with the most left (ties: the category met first), never the
    category just taken while another is left. Booths filled in this order rarely put two of a kind side
    by side, and never when it can be avoided this way."""
    queues: dict[Any, list[Any]] = {}
    for key, category in items:
        queues.setdefault(category, []).append(key)
    order = list(queues)
    result: list[Any] = []
    last = None
    while any(queues.values()):
        candidates = [c for c in order if queues[c] and c != last] or [c for c in order if queues[c]]
        best = max(candidates, key=lambda c: (len(queues[c]), -order.index(c)))
        result.append(queues[best].pop(0))
        last = best
    return result
