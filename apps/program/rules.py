"""Pure rules of the programmes (SPEC §10), kept apart so they can be tested as literal tables."""

from decimal import Decimal


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
    import hashlib
    import hmac

    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    digest = hmac.new(secret.encode(), f"sertifikat:{number}".encode(), hashlib.sha256).digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(10):
        value, r = divmod(value, len(alphabet))
        chars.append(alphabet[r])
    code = "".join(chars)
    return f"{code[:5]}-{code[5:]}"
