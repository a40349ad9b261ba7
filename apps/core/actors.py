"""Who acts: the `Actor` that services, selectors and the audit log take, and the regions it may see.

An actor is one of
- a signed-in user (`apps.accounts.models.User`): `has_role`, `regency_codes` and the model's fields;
- a guest (Django's `AnonymousUser`): `is_authenticated` is False, and it has no roles or regions;
- `COMMAND_LINE`, the person running `manage.py` on the server: they already hold the database and the
  keys, so a command acts for the department as a whole. It is not a user account (`is_authenticated` is
  False, so checks scoped to a user's regions or shops do not apply to it), and the audit log records it
  as "sistem". Services that refuse anonymous callers accept it explicitly where a command needs them
  (e.g. the bulk product upload drafting products into the shop named with `--toko`).

`Actor` is what a signed-in user and the command line both answer (`is_authenticated`, `has_role`). A guest
answers only `is_authenticated` (False): code that accepts guests asks that first, and reads a user's
regions through `user_regency_codes`, which gives a guest none. Roles are compared with the names of
`apps.core.roles`, never with strings.
"""

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    """What services may ask of whoever acts: a signed-in user or the command line."""

    @property
    def is_authenticated(self) -> bool: ...

    def has_role(self, *roles: str) -> bool: ...


class CommandLine:
    is_authenticated = False
    is_anonymous = False

    def has_role(self, *roles: str) -> bool:
        return False

    def __str__(self) -> str:
        return "sistem"

    def __repr__(self) -> str:
        return "COMMAND_LINE"


COMMAND_LINE = CommandLine()


def user_regency_codes(user: Any) -> set[str] | None:
    """Regency codes an officer may see; None means every regency (administrators).

    Buyers, sellers, guests and the command line get an empty set: they see no department records
    through a user's scope (commands that act for the department pass their regions explicitly).
    """
    return user.regency_codes() if getattr(user, "is_authenticated", False) else set()


def user_can_see_regency(user: Any, regency_code: str) -> bool:
    codes = user_regency_codes(user)
    return codes is None or regency_code in codes
