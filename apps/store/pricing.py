"""Large price changes of listed products: the rule, the confirmation it needs, and the curators' check.

A seller who types "90.000" where the page read "90" (or adds a zero) changes what buyers pay at once,
because price changes do not go back to curation. So a change of a listed product's variant price by
more than half of the old price (down below half, or up beyond one and a half times) must be confirmed
by the person who makes it, and is flagged to the product's curators until one of them checks it.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor, actor_user
from apps.core.formatting import rupiah
from apps.regions.selectors import scope_queryset
from apps.store.models import PriceChangeFlag, Product
from apps.store.selectors import is_curator_of


def is_price_jump(old: int, new: int) -> bool:
    """More than half of the old price, down or up (exactly half is not a jump)."""
    if old <= 0:
        return False
    return abs(new - old) * 2 > old


@dataclass(frozen=True)
class PriceJump:
    sku: str
    name: str
    old: int
    new: int

    @property
    def percent(self) -> int:
        """The change in whole percent of the old price, signed, towards zero (85.000 → 90 is −99, not −100)."""
        return math.trunc((self.new - self.old) * 100 / self.old)

    def describe(self) -> str:
        label = f"{self.name} ({self.sku})" if self.name else self.sku
        return _("%(variant)s: %(old)s → %(new)s (%(pct)s%%)") % {
            "variant": label,
            "old": rupiah(self.old),
            "new": rupiah(self.new),
            "pct": f"{self.percent:+d}",
        }


class PriceJumpUnconfirmed(ValidationError):
    """Raised by `product_update` when a listed product's price jumps and nobody confirmed it."""

    def __init__(self, jumps: list[PriceJump]) -> None:
        self.jumps = jumps
        super().__init__(
            _("Harga berubah lebih dari separuh. Periksa lalu konfirmasi: %(list)s")
            % {"list": "; ".join(j.describe() for j in jumps)},
            code="price_jump",
        )


def price_jumps(product: Product, wanted: dict[str, Any]) -> list[PriceJump]:
    """The jumps that replacing the product's variants by `wanted` (sku → data with .price) would make."""
    jumps = []
    for variant in product.variants.all():
        data = wanted.get(variant.sku)
        if data is not None and variant.is_active and is_price_jump(variant.price, data.price):
            jumps.append(PriceJump(sku=variant.sku, name=variant.name, old=variant.price, new=data.price))
    return jumps


def price_flags_record(*, product: Product, jumps: list[PriceJump], actor: Actor) -> list[PriceChangeFlag]:
    """Flag confirmed jumps to curation (inside the caller's transaction; audited by the caller)."""
    user = actor_user(actor)
    variants = {v.sku: v for v in product.variants.all()}
    return [
        PriceChangeFlag.objects.create(
            product=product, variant=variants[j.sku], old_price=j.old, new_price=j.new, changed_by=user
        )
        for j in jumps
    ]


def price_flags_open(*, officer: Any) -> QuerySet[PriceChangeFlag]:
    """Unchecked large price changes in the officer's regions, oldest first."""
    qs = PriceChangeFlag.objects.filter(checked_at__isnull=True).select_related(
        "product", "product__seller", "variant", "changed_by"
    )
    return scope_queryset(qs, officer, field="product__seller__regency").order_by("created_at", "id")


@transaction.atomic
def price_flag_check(*, flag: PriceChangeFlag, actor: Actor) -> PriceChangeFlag:
    """A curator has looked at the new price (and delisted the product if it was wrong)."""
    flag = PriceChangeFlag.objects.select_for_update().select_related("product__seller").get(pk=flag.pk)
    if not is_curator_of(actor, flag.product.seller.regency_id):
        raise PermissionDenied(_("Hanya kurator wilayah produk ini yang dapat memeriksa harga."))
    if flag.checked_at is not None:
        return flag
    flag.checked_at, flag.checked_by = timezone.now(), actor_user(actor)
    flag.save(update_fields=["checked_at", "checked_by"])
    audit_log(
        actor=actor,
        action="product.price_checked",
        obj=flag.product,
        changes={"harga": [flag.old_price, flag.new_price], "varian": flag.variant.sku},
        regency_code=flag.product.seller.regency_id,
    )
    return flag


def access_price_flag(user: Any, pk: int) -> PriceChangeFlag:
    """An open flag in the user's regions; missing, checked and not-yours are the same 404."""
    flag = price_flags_open(officer=user).filter(pk=pk).first()
    if flag is None:
        raise Http404
    return flag
