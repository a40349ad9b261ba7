"""Cart pages: the cart, adding a variant, changing a quantity."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.redirects import safe_next
from apps.orders import selectors
from apps.orders.forms import AddToCartForm
from apps.orders.services.cart import cart_add, cart_set_quantity
from apps.orders.views.common import cart_groups, error_text, request_cart
from apps.store.models import Variant


def cart_view(request):
    cart = request_cart(request)
    items = selectors.cart_items(cart)
    groups = cart_groups(items)
    return render(
        request, "orders/cart.html", {"groups": groups, "total": sum(g["goods"] for g in groups), "items": items}
    )


@require_POST
def cart_add_view(request):
    form = AddToCartForm(request.POST)
    back = safe_next(request, request.POST.get("next"), reverse("orders:cart"))
    if not form.is_valid():
        messages.error(request, _("Jumlah tidak valid."))
        return redirect(back)
    variant = get_object_or_404(Variant.objects.select_related("product__seller"), pk=form.cleaned_data["variant"])
    cart = request_cart(request, create=True)
    try:
        cart_add(cart=cart, variant=variant, quantity=form.cleaned_data["quantity"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, _("%(p)s masuk keranjang.") % {"p": variant})
    return redirect("orders:cart")


@require_POST
def cart_update_view(request):
    cart = request_cart(request)
    if cart is None:
        return redirect("orders:cart")
    try:
        variant_id = int(request.POST.get("variant", ""))
        quantity = int(request.POST.get("quantity", "0"))
    except ValueError:
        messages.error(request, _("Jumlah tidak valid."))
        return redirect("orders:cart")
    try:
        cart_set_quantity(cart=cart, variant_id=variant_id, quantity=quantity, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("orders:cart")
