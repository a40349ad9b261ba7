from django.db import transaction

from apps.accounts.models import LoginFailure, RegionAssignment, User, normalize_username
from apps.audit.services import audit_log
from apps.core.actors import Actor
from apps.core.roles import Role


@transaction.atomic
def user_register_buyer(*, username: str, email: str, password: str, first_name: str = "") -> User:
    """Self-registration creates a buyer; other roles are given by an administrator."""
    user = User.objects.create_user(
        username=normalize_username(username), email=email, password=password, first_name=first_name, role=Role.BUYER
    )
    audit_log(actor=user, action="user.register", obj=user, changes={"role": Role.BUYER})
    return user


@transaction.atomic
def user_set_role_and_regions(
    *, actor: Actor, user: User, role: str, region_codes: list[str], is_active: bool = True
) -> User:
    before = {
        "role": user.role,
        "regions": sorted(user.region_assignments.values_list("region_id", flat=True)),
        "is_active": user.is_active,
    }
    user.role = role
    user.is_active = is_active
    user.save(update_fields=["role", "is_active"])
    user.region_assignments.exclude(region_id__in=region_codes).delete()
    have = set(user.region_assignments.values_list("region_id", flat=True))
    RegionAssignment.objects.bulk_create(
        [RegionAssignment(user=user, region_id=c) for c in region_codes if c not in have]
    )
    after = {"role": role, "regions": sorted(region_codes), "is_active": is_active}
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_log(actor=actor, action="user.update_access", obj=user, changes=changes)
    return user


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=normalize_username(username)[:150], ip=ip)


def login_failures_clear(*, username: str) -> None:
    """After a successful login: that username's failures go (the address's stay; they are other people's)."""
    LoginFailure.objects.filter(username=normalize_username(username)).delete()
