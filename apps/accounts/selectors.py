from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import LoginFailure, User, normalize_username

# The scope of an officer is defined beside the Actor type (apps.core cannot import this app); it is read
# from here by the apps above.
from apps.core.actors import user_can_see_regency as user_can_see_regency
from apps.core.actors import user_regency_codes as user_regency_codes


def user_list(*, search: str = "", role: str = "") -> QuerySet[User]:
    qs = User.objects.prefetch_related("region_assignments__region").order_by("username")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(first_name__icontains=search) | Q(email__icontains=search))
    if role:
        qs = qs.filter(role=role)
    return qs


def login_locked_until(*, username: str, ip: str | None) -> Any:
    """When this login attempt may next be made, or None if it may be made now.

    Per username (normalised): LOGIN_MAX_FAILURES failures in the window lock it for the cool-off. Per
    address, never a lockout for other people's typos: past LOGIN_ADDRESS_SLOWDOWN_AFTER failures each
    attempt waits 2^(n - threshold) seconds (at most LOGIN_ADDRESS_MAX_DELAY_SECONDS) after the address's
    last failure; LOGIN_ADDRESS_MAX_FAILURES failures lock the address for the cool-off."""
    now = timezone.now()
    since = now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    cooloff = timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)
    key = normalize_username(username)
    recent = list(
        LoginFailure.objects.filter(username=key, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: settings.LOGIN_MAX_FAILURES]
    )
    if len(recent) >= settings.LOGIN_MAX_FAILURES and recent[0] + cooloff > now:
        return recent[0] + cooloff
    if not ip:
        return None
    failures = LoginFailure.objects.filter(ip=ip, created_at__gte=since)
    count = failures.count()
    if count <= settings.LOGIN_ADDRESS_SLOWDOWN_AFTER:
        return None
    last = failures.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is None:
        return None
    if count >= settings.LOGIN_ADDRESS_MAX_FAILURES:
        until = last + cooloff
    else:
        exponent = min(count - settings.LOGIN_ADDRESS_SLOWDOWN_AFTER - 1, 16)
        until = last + timedelta(seconds=min(2**exponent, settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS))
    return until if until > now else None
