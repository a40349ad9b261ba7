from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import LoginFailure, User


def user_regency_codes(user: Any) -> set[str] | None:
    """Regency codes an officer may see; None means every regency (administrators).

    Buyers, sellers and anonymous users get an empty set: they see no department records.
    """
    return user.regency_codes() if getattr(user, "is_authenticated", False) else set()


def user_can_see_regency(user: Any, regency_code: str) -> bool:
    codes = user_regency_codes(user)
    return codes is None or regency_code in codes


def user_list(*, search: str = "", role: str = "") -> QuerySet[User]:
    qs = User.objects.prefetch_related("region_assignments__region").order_by("username")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(first_name__icontains=search) | Q(email__icontains=search))
    if role:
        qs = qs.filter(role=role)
    return qs


def login_locked_until(*, username: str, ip: str | None) -> Any:
    """When a lockout for this username or address ends, or None if logins are allowed."""
    now = timezone.now()
    since = now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    for q in (Q(username__iexact=username), Q(ip=ip) if ip else None):
        if q is None:
            continue
        recent = list(
            LoginFailure.objects.filter(q, created_at__gte=since)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[: settings.LOGIN_MAX_FAILURES]
        )
        if len(recent) >= settings.LOGIN_MAX_FAILURES:
            until = recent[0] + timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS)
            if until > now:
                return until
    return None
