"""Reads of the region hierarchy, and the scoping of regency-owned records to an officer's regions."""

from typing import Any

from django.db.models import QuerySet

from apps.regions.models import Level, Region


def regency_codes_under(codes: list[str] | set[str]) -> set[str]:
    """Expand a mix of province and regency codes to the regency codes they cover."""
    provinces = [c for c in codes if len(c) == 2]
    regencies = {c for c in codes if len(c) == 5}
    if provinces:
        regencies |= set(
            Region.objects.filter(level=Level.REGENCY, parent_id__in=provinces).values_list("code", flat=True)
        )
    return regencies


def villages_of(regency_code: str) -> QuerySet[Region]:
    return Region.objects.filter(level=Level.VILLAGE, code__startswith=regency_code + ".")


def region_names(codes: set[str] | list[str]) -> dict[str, str]:
    """{code: name} of these regions (empty codes ignored), in one query."""
    wanted = {c for c in codes if c}
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}


def village_codes(prefix: str = "") -> set[str]:
    """All village codes (optionally under a prefix), for validating imports without a query per row."""
    qs = Region.objects.filter(level=Level.VILLAGE)
    if prefix:
        qs = qs.filter(code__startswith=prefix + ".")
    return set(qs.values_list("code", flat=True))


def scope_queryset(qs: QuerySet, user: Any, field: str = "regency") -> QuerySet:
    """Restrict qs to the regencies the user is assigned (`User.regency_codes`; anonymous users see none);
    `field` names the regency FK (or its path)."""
    codes = user.regency_codes() if getattr(user, "is_authenticated", False) else set()
    if codes is None:
        return qs
    return qs.filter(**{f"{field}__in": codes})
