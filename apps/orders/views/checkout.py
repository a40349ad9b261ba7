"""Checkout pages: the recipient's address, then shipping and payment method per shop."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.orders import selectors
from apps.orders.forms import RecipientForm, ShippingPaymentForm, regency_choices
from apps.orders.services.addresses import address_save
from apps.orders.services.checkout import OutOfStock, Recipient, checkout_from_cart
from apps.orders.views.common import DEFAULT_REGENCY, SESSION_RECIPIENT, cart_groups, error_text, request_cart
from apps.regions.models import Level, Region


def checkout_address(request):
    cart = request_cart(request)
    if not selectors.cart_items(cart):
        messages.info(request, _("Keranjang masih kosong."))
        return redirect("orders:cart")
    saved = request.session.get(SESSION_RECIPIENT) or {}
    regency_code = request.GET.get("kab") or saved.get("village_code", "")[:5] or DEFAULT_REGENCY
    if not Region.objects.filter(code=regency_code, level=Level.REGENCY).exists():
        regency_code = DEFAULT_REGENCY
    addresses = selectors.saved_addresses(user=request.user)
    if request.method == "POST" and request.POST.get("action") == "pakai":
        # The buyer picked a saved address: it becomes this checkout's recipient as it is.
        chosen = next((a for a in addresses if str(a.pk) == request.POST.get("alamat")), None)
        if chosen is None:
            messages.error(request, _("Pilih salah satu alamat tersimpan."))
            return redirect("orders:checkout_address")
        request.session[SESSION_RECIPIENT] = {
            "name": chosen.name,
            "phone": chosen.phone,
            "email": chosen.email or request.user.email,
            "address": chosen.address,
            "village_code": chosen.village_id,
            "postal_code": chosen.postal_code,
        }
        address_save(user=request.user, data=request.session[SESSION_RECIPIENT], actor=request.user)
        return redirect("orders:checkout_shipping")
    can_save = request.user.is_authenticated
    if request.method == "POST" and request.POST.get("action") == "wilayah":
        # The buyer changed the regency: show its villages and keep everything typed (no errors yet).
        regency_code = _known_regency(request.POST.get("kab")) or regency_code
        typed = {k: v for k, v in request.POST.items() if k in RecipientForm.base_fields and k != "village_code"}
        form = RecipientForm(initial=typed, regency_code=regency_code, can_save=can_save)
    elif request.method == "POST":
        regency_code = _known_regency(request.POST.get("kab")) or regency_code
        form = RecipientForm(request.POST, regency_code=regency_code, can_save=can_save)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.pop("simpan_alamat", False):
                address_save(user=request.user, data=data, actor=request.user)
            request.session[SESSION_RECIPIENT] = data
            return redirect("orders:checkout_shipping")
    else:
        initial = saved or (
            {"name": request.user.get_full_name(), "email": request.user.email, "phone": request.user.phone}
            if request.user.is_authenticated
            else {}
        )
        form = RecipientForm(initial=initial, regency_code=regency_code, can_save=can_save)
    regencies = regency_choices(first_province=DEFAULT_REGENCY[:2])
    return render(
        request,
        "orders/checkout_address.html",
        {"form": form, "regencies": regencies, "regency_code": regency_code, "addresses": addresses},
    )


def _known_regency(code: str | None) -> str | None:
    return code if code and Region.objects.filter(code=code, level=Level.REGENCY).exists() else None


def checkout_shipping(request):
    cart = request_cart(request)
    items = selectors.cart_items(cart)
    saved = request.session.get(SESSION_RECIPIENT)
    if not items:
        return redirect("orders:cart")
    if not saved:
        return redirect("orders:checkout_address")
    groups = cart_groups(items)
    for group in groups:
        group["options"] = selectors.shipping_options(
            seller=group["seller"], destination_regency_code=saved["village_code"][:5], weight_grams=group["weight"]
        )
    form = ShippingPaymentForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        recipient = Recipient(
            name=saved["name"],
            phone=saved["phone"],
            email=saved["email"],
            address=saved["address"],
            village_code=saved["village_code"],
            postal_code=saved.get("postal_code", ""),
        )
        try:
            payment = checkout_from_cart(
                cart=cart,
                recipient=recipient,
                shipping=form.shipping(),
                method=form.cleaned_data["method"],
                buyer=request.user,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except OutOfStock as exc:
            messages.error(request, error_text(exc))
            return redirect("orders:cart")
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("orders:payment", token=payment.access_token)
    village = Region.objects.filter(code=saved["village_code"]).first()
    return render(
        request,
        "orders/checkout_shipping.html",
        {"form": form, "groups": groups, "recipient": saved, "village": village},
    )
