"""Who acts: the `Actor` that services, selectors and the audit log take, and the regions it may see.

An actor is one of
- a signed-in user (`apps.accounts.models.User`): `has_role`, `regency_codes` and the model's fields;
- a guest (Django's `AnonymousUser`): `is_authenticated` is False, and it has no roles or regions;
- `COMMAND_LINE`, the person running `manage.py` on the server: they already hold the database and the
  keys, so a command acts for the department as a whole. It is not a user account (`is_authenticated` is
  False, so checks scoped to a user's regions or shops do not apply to it), and the audit log records it
  as "sistem". Services that refuse anonymous callers accept it explicitly where a command needs them
  (e.g. the bulk product upload drafting products into the shop named with `--toko`).

The types, for signatures:
- `Actor` = a signed-in user or the command line: what a service that changes data takes. Both answer
  `is_authenticated` and `has_role`; anything else of a user (`pk`, `role`, `regency_codes()`) needs the
  user, so narrow first (`isinstance(actor, User)` above `apps.accounts`, or `actor_user(actor)`).
- `Visitor` = an `Actor` or a guest: what the shopping paths (cart, checkout, payment links) and the
  selectors that show a page to anyone take. A guest has no `has_role`: ask `is_authenticated` first.
- `actor_user(actor)` is the user to store in a field that names who did it (`created_by`,
  `recorded_by`, the audit entry's `actor`): the user, or None for a guest, the command line or nobody.
  `signed_in_user(actor)` is the user where only a person may act (a required `created_by`, an assessor's
  scores, a judge): PermissionDenied otherwise.

A user's regions are read through `user_regency_codes`, which gives a guest and the command line none.
Roles are compared with the names of `apps.core.roles`, never with strings.
"""

from typing import TYPE_CHECKING, TypeAlias, Union, cast

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User


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

# A signed-in user or the command line: whoever a service that changes data acts for.
Actor: TypeAlias = Union["User", CommandLine]
# Anyone a page or a shopping service serves: an `Actor` or a guest.
Visitor: TypeAlias = Union["User", CommandLine, "AnonymousUser"]


def actor_user(actor: Visitor | None) -> "User | None":
    """The signed-in user behind `actor`, or None (a guest, the command line, a system task passing None):
    the value for a field that stores who did something."""
    return cast("User", actor) if getattr(actor, "is_authenticated", False) else None


def signed_in_user(actor: Visitor | None) -> "User":
    """The user behind an actor that must be a person (an assessor's scores, a bank officer's application,
    a judge, a shop member): PermissionDenied for a guest or the command line. The pages that call such a
    service already require a signed-in user; this makes the service hold it too."""
    user = actor_user(actor)
    if user is None:
        raise PermissionDenied
    return user


def user_regency_codes(user: Visitor | None) -> set[str] | None:
    """Regency codes an officer may see; None means every regency (administrators).

    Buyers, sellers, guests and the command line get an empty set: they see no department records
    through a user's scope (commands that act for the department pass their regions explicitly).
    """
    signed_in = actor_user(user)
    return signed_in.regency_codes() if signed_in is not None else set()


def user_can_see_regency(user: Visitor | None, regency_code: str) -> bool:
    codes = user_regency_codes(user)
    return codes is None or regency_code in codes
