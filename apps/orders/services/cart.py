"""Cart writes. A cart is the buyer's scratch list before a sale, not a record of the department, so
these writes are not audited (the checkout that turns it into orders is)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.actors import Visitor
from apps.orders.models import Cart, CartItem
from apps.store.models import ProductStatus, SellerStatus, Variant

MAX_QUANTITY = 999


def variant_sellable_error(variant: Variant) -> str:
    """Why a variant cannot be bought now, or "" if it can."""
    product = variant.product
    if product.status != ProductStatus.APPROVED or not variant.is_active:
        return _("Produk %(p)s tidak sedang dijual.") % {"p": variant}
    if product.seller.status != SellerStatus.VERIFIED:
        return _("Toko %(s)s sedang tidak menerima pesanan.") % {"s": product.seller}
    return ""


@transaction.atomic
def cart_add(*, cart: Cart, variant: Variant, quantity: int, actor: Visitor) -> CartItem:
    """Add `quantity` of a listed variant; the total in the cart may not exceed the stock on hand."""
    if quantity < 1:
        raise ValidationError(_("Jumlah minimal 1."))
    error = variant_sellable_error(variant)
    if error:
        raise ValidationError(error)
    item = CartItem.objects.filter(cart=cart, variant=variant).first()
    new_quantity = quantity + (item.quantity if item else 0)
    if new_quantity > min(variant.stock, MAX_QUANTITY):
        raise ValidationError(
            _("Stok %(p)s tinggal %(n)s.") % {"p": variant, "n": variant.stock}
            if variant.stock
            else _("Stok %(p)s habis.") % {"p": variant}
        )
    if item is None:
        item = CartItem.objects.create(cart=cart, variant=variant, quantity=new_quantity)
    else:
        item.quantity = new_quantity
        item.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def cart_set_quantity(*, cart: Cart, variant_id: int, quantity: int, actor: Visitor) -> None:
    """Set a line's quantity; 0 removes it. More than the stock is refused with the stock left."""
    item = CartItem.objects.select_related("variant__product__seller").filter(cart=cart, variant_id=variant_id).first()
    if item is None:
        return
    if quantity <= 0:
        item.delete()
        return
    if quantity > min(item.variant.stock, MAX_QUANTITY):
        raise ValidationError(_("Stok %(p)s tinggal %(n)s.") % {"p": item.variant, "n": item.variant.stock})
    item.quantity = quantity
    item.save(update_fields=["quantity"])


@transaction.atomic
def cart_merge(*, guest_cart: Cart, user: Any) -> Cart:
    """At login the guest's cart joins the account's cart: quantities of the same variant add up, capped at
    the stock on hand but never below what the account's line already held (a guest line of a sold-out
    variant keeps one unit), and the guest cart is removed."""
    cart, _created = Cart.objects.get_or_create(user=user)
    if guest_cart.pk == cart.pk:
        return cart
    existing = {i.variant_id: i for i in cart.items.select_related("variant")}
    for item in guest_cart.items.select_related("variant"):
        mine = existing.get(item.variant_id)
        if mine is None:
            CartItem.objects.create(
                cart=cart, variant=item.variant, quantity=min(item.quantity, max(item.variant.stock, 1))
            )
        else:
            mine.quantity = min(mine.quantity + item.quantity, max(item.variant.stock, mine.quantity))
            mine.save(update_fields=["quantity"])
    guest_cart.delete()
    return cart


def cart_open(*, user: Any) -> Cart:
    """The cart of an account holder, or a new guest cart when `user` is None."""
    if user is None:
        return Cart.objects.create()
    cart, _created = Cart.objects.get_or_create(user=user)
    return cart
