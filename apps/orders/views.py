"""Pages of the sales flow: cart, checkout, payment, and the order pages of buyers, sellers, operators."""

import json
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.core.access import STAFF, role_required
from apps.orders import selectors
from apps.orders.conf import bank_account, gateway_sandbox_enabled
from apps.orders.forms import (
    AddToCartForm,
    ProofForm,
    ReasonForm,
    RecipientForm,
    RejectProofForm,
    ReturnForm,
    ShipForm,
    ShippingPaymentForm,
)
from apps.orders.gateway import sandbox
from apps.orders.models import Cart, OrderStatus, PaymentMethod, PaymentStatus
from apps.orders.rules import can
from apps.orders.services.cart import cart_add, cart_merge, cart_open, cart_set_quantity
from apps.orders.services.checkout import OutOfStock, Recipient, checkout_from_cart
from apps.orders.services.fulfilment import (
    order_cancel,
    order_complete,
    order_deliver,
    order_process,
    order_refund,
    order_return,
    order_ship,
)
from apps.orders.services.gateway import gateway_notification_receive
from apps.orders.services.payments import payment_cancel, payment_reject_proof, payment_upload_proof, payment_verify
from apps.regions.models import Level, Region
from apps.store.models import Variant

SESSION_CART = "orders_cart_id"
SESSION_RECIPIENT = "orders_recipient"
DEFAULT_REGENCY = "33.03"


def request_cart(request, *, create: bool = False) -> Cart | None:
    """The visitor's cart. A guest's cart lives under its id in the session; after login it is merged
    into the account's cart on the first page that reads the cart (the session survives login)."""
    guest_id = request.session.get(SESSION_CART)
    guest = Cart.objects.filter(pk=guest_id, user__isnull=True).first() if guest_id else None
    if request.user.is_authenticated:
        cart = Cart.objects.filter(user=request.user).first()
        if guest_id:
            request.session.pop(SESSION_CART, None)
            if guest is not None:
                cart = cart_merge(guest_cart=guest, user=request.user)
        if cart is None and create:
            cart = cart_open(user=request.user)
        return cart
    if guest is None and create:
        guest = cart_open(user=None)
        request.session[SESSION_CART] = guest.pk
    return guest


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _groups(items):
    grouped = defaultdict(list)
    for item in items:
        grouped[item.variant.product.seller].append(item)
    groups = []
    for seller, seller_items in sorted(grouped.items(), key=lambda kv: kv[0].pk):
        goods = sum(i.variant.price * i.quantity for i in seller_items)
        weight = sum(selectors.variant_weight(i.variant) * i.quantity for i in seller_items)
        groups.append({"seller": seller, "items": seller_items, "goods": goods, "weight": weight})
    return groups


# --- cart -------------------------------------------------------------------------------------------


def cart_view(request):
    cart = request_cart(request)
    items = selectors.cart_items(cart)
    groups = _groups(items)
    return render(
        request, "orders/cart.html", {"groups": groups, "total": sum(g["goods"] for g in groups), "items": items}
    )


@require_POST
def cart_add_view(request):
    form = AddToCartForm(request.POST)
    back = request.POST.get("next") or reverse("orders:cart")
    if not back.startswith("/"):
        back = reverse("orders:cart")
    if not form.is_valid():
        messages.error(request, _("Jumlah tidak valid."))
        return redirect(back)
    variant = get_object_or_404(Variant.objects.select_related("product__seller"), pk=form.cleaned_data["variant"])
    cart = request_cart(request, create=True)
    try:
        cart_add(cart=cart, variant=variant, quantity=form.cleaned_data["quantity"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
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
        messages.error(request, _errors(exc))
    return redirect("orders:cart")


# --- checkout ---------------------------------------------------------------------------------------


def checkout_address(request):
    cart = request_cart(request)
    if not selectors.cart_items(cart):
        messages.info(request, _("Keranjang masih kosong."))
        return redirect("orders:cart")
    saved = request.session.get(SESSION_RECIPIENT) or {}
    regency_code = request.GET.get("kab") or saved.get("village_code", "")[:5] or DEFAULT_REGENCY
    if not Region.objects.filter(code=regency_code, level=Level.REGENCY).exists():
        regency_code = DEFAULT_REGENCY
    if request.method == "POST":
        regency_code = request.POST.get("kab") or regency_code
        form = RecipientForm(request.POST, regency_code=regency_code)
        if form.is_valid():
            request.session[SESSION_RECIPIENT] = form.cleaned_data
            return redirect("orders:checkout_shipping")
    else:
        initial = saved or (
            {"name": request.user.get_full_name(), "email": request.user.email, "phone": request.user.phone}
            if request.user.is_authenticated
            else {}
        )
        form = RecipientForm(initial=initial, regency_code=regency_code)
    regencies = Region.objects.filter(level=Level.REGENCY).order_by("code")
    return render(
        request, "orders/checkout_address.html", {"form": form, "regencies": regencies, "regency_code": regency_code}
    )


def checkout_shipping(request):
    cart = request_cart(request)
    items = selectors.cart_items(cart)
    saved = request.session.get(SESSION_RECIPIENT)
    if not items:
        return redirect("orders:cart")
    if not saved:
        return redirect("orders:checkout_address")
    groups = _groups(items)
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
            messages.error(request, _errors(exc))
            return redirect("orders:cart")
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("orders:payment", token=payment.access_token)
    village = Region.objects.filter(code=saved["village_code"]).first()
    return render(
        request,
        "orders/checkout_shipping.html",
        {"form": form, "groups": groups, "recipient": saved, "village": village},
    )


# --- payment ----------------------------------------------------------------------------------------


def payment_view(request, token):
    payment = selectors.access_payment_by_token(token)
    proof_form = ProofForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "proof":
                proof_form = ProofForm(request.POST, request.FILES)
                if proof_form.is_valid():
                    payment_upload_proof(payment=payment, upload=proof_form.cleaned_data["proof"], actor=request.user)
                    messages.success(request, _("Bukti transfer terkirim. Operator akan memverifikasinya."))
                    return redirect("orders:payment", token=token)
            elif action == "cancel":
                payment_cancel(payment=payment, reason=_("Dibatalkan oleh pembeli."), actor=request.user)
                messages.success(request, _("Pesanan dibatalkan."))
                return redirect("orders:payment", token=token)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "proof" in exc.error_dict:
                proof_form.add_error("proof", exc.error_dict["proof"])
            else:
                messages.error(request, _errors(exc))
    payment.refresh_from_db()
    return render(
        request,
        "orders/payment.html",
        {
            "payment": payment,
            "orders": selectors.payment_orders(payment),
            "proof_form": proof_form,
            "bank_account": bank_account(),
            "sandbox": gateway_sandbox_enabled(),
            "can_upload": payment.method == PaymentMethod.TRANSFER
            and payment.status in (PaymentStatus.PENDING, PaymentStatus.VERIFYING),
            "can_cancel": payment.status in (PaymentStatus.PENDING, PaymentStatus.VERIFYING),
        },
    )


@csrf_exempt
@require_POST
def gateway_notification(request):
    """The gateway's HTTP notification (JSON). Answers 403 for a bad signature and changes nothing."""
    try:
        payload = json.loads(request.body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"status": "bad_request"}, status=400)
    status, outcome = gateway_notification_receive(payload=payload)
    return JsonResponse({"status": outcome}, status=status)


def gateway_sandbox(request, token):
    """The development gateway: choose what the 'bank' does; signed notifications go to our endpoint."""
    if not gateway_sandbox_enabled():
        raise Http404
    payment = selectors.access_payment_by_token(token)
    if payment.method != PaymentMethod.GATEWAY:
        raise Http404
    results = None
    if request.method == "POST":
        scenario = request.POST.get("scenario", "")
        if scenario not in sandbox.SCENARIOS:
            return HttpResponse(status=400)
        url = request.build_absolute_uri(reverse("orders:gateway_notification"))
        notes = sandbox.scenario_notifications(order_id=payment.code, amount=payment.amount, scenario=scenario)
        results = sandbox.deliver(url=url, notifications=notes)
        payment.refresh_from_db()
    return render(
        request,
        "orders/gateway_sandbox.html",
        {"payment": payment, "scenarios": list(sandbox.SCENARIOS), "results": results},
    )


# --- buyer ------------------------------------------------------------------------------------------


@login_required
def buyer_orders(request):
    page = Paginator(selectors.order_list_for_buyer(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "orders/buyer_orders.html", {"page": page})


@login_required
def buyer_order_detail(request, number):
    order = selectors.access_order_for_buyer(request.user, number)
    if request.method == "POST" and request.POST.get("action") == "complete":
        try:
            order_complete(order=order, actor=request.user)
            messages.success(request, _("Terima kasih, pesanan selesai."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("orders:buyer_order", number=number)
    return render(request, "orders/buyer_order.html", {"order": order, "can_complete": can("complete", order.status)})


# --- seller and operator ----------------------------------------------------------------------------


def _order_actions(request, order, *, operator: bool):
    """Apply a posted action to an order on the seller's or the operator's page. Returns an error or None."""
    action = request.POST.get("action")
    try:
        if action == "process":
            order_process(order=order, actor=request.user)
        elif action == "ship":
            ship_form = ShipForm(request.POST)
            if not ship_form.is_valid():
                return _("Kurir dan nomor resi wajib diisi.")
            order_ship(order=order, actor=request.user, **ship_form.cleaned_data)
        elif action == "deliver":
            order_deliver(order=order, actor=request.user)
        elif action == "refund":
            reason_form = ReasonForm(request.POST)
            if not reason_form.is_valid():
                return _("Tuliskan alasan pembatalan.")
            order_refund(order=order, reason=reason_form.cleaned_data["reason"], actor=request.user)
        elif action == "cancel":
            reason_form = ReasonForm(request.POST)
            if not reason_form.is_valid():
                return _("Tuliskan alasan pembatalan.")
            order_cancel(order=order, reason=reason_form.cleaned_data["reason"], actor=request.user)
        elif action == "return":
            form = ReturnForm(request.POST, lines=list(order.lines.all()))
            if not form.is_valid():
                return _("Periksa jumlah retur dan alasannya.")
            order_return(
                order=order, quantities=form.quantities(), reason=form.cleaned_data["reason"], actor=request.user
            )
        elif action == "complete" and operator:
            order_complete(order=order, actor=request.user)
        else:
            return _("Langkah tidak dikenal.")
    except ValidationError as exc:
        return _errors(exc)
    return None


def _order_context(order):
    cod = order.payment.method == PaymentMethod.COD
    return {
        "order": order,
        "can_process": can("process", order.status) and (order.status != OrderStatus.PLACED or cod),
        "can_ship": can("ship", order.status) and order.shipping_method == "kurir",
        "can_deliver": can("deliver", order.status)
        and (order.status == OrderStatus.SHIPPED or order.shipping_method == "ambil"),
        "can_refund": can("refund", order.status),
        "can_cancel": can("cancel", order.status) and cod,
        "can_return": can("return", order.status),
        "ship_form": ShipForm(initial={"courier": order.courier}),
        "return_form": ReturnForm(lines=list(order.lines.all())) if can("return", order.status) else None,
        "statuses": OrderStatus.choices,
    }


@role_required("mitra_umkm")
def seller_orders(request):
    status = request.GET.get("status", "")
    qs = selectors.order_list_for_seller(user=request.user, status=status)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request, "orders/seller_orders.html", {"page": page, "status": status, "statuses": OrderStatus.choices}
    )


@role_required("mitra_umkm")
def seller_order_detail(request, number):
    order = selectors.access_order_for_seller(request.user, number)
    if request.method == "POST":
        error = _order_actions(request, order, operator=False)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Pesanan diperbarui."))
        return redirect("orders:seller_order", number=number)
    return render(request, "orders/staff_order.html", {**_order_context(order), "base": "orders:seller_orders"})


@role_required(*STAFF)
def operator_orders(request):
    status, search = request.GET.get("status", ""), request.GET.get("q", "").strip()
    qs = selectors.order_list_for_operator(user=request.user, status=status, search=search)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/operator_orders.html",
        {"page": page, "status": status, "q": search, "statuses": OrderStatus.choices},
    )


@role_required(*STAFF)
def operator_order_detail(request, number):
    order = selectors.access_order_for_operator(request.user, number)
    if request.method == "POST":
        error = _order_actions(request, order, operator=True)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Pesanan diperbarui."))
        return redirect("orders:operator_order", number=number)
    ctx = _order_context(order)
    ctx["can_complete"] = can("complete", order.status)
    return render(request, "orders/staff_order.html", {**ctx, "base": "orders:operator_orders", "operator": True})


@role_required(*STAFF)
def transfer_queue(request):
    return render(request, "orders/transfer_queue.html", {"payments": selectors.transfer_queue(user=request.user)})


@role_required(*STAFF)
def transfer_review(request, code):
    payment = selectors.access_payment_for_operator(request.user, code)
    reject_form = RejectProofForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                payment_verify(payment=payment, actor=request.user)
                messages.success(request, _("Pembayaran %(c)s diverifikasi.") % {"c": payment.code})
                return redirect("orders:transfer_queue")
            reject_form = RejectProofForm(request.POST)
            if reject_form.is_valid():
                payment_reject_proof(payment=payment, note=reject_form.cleaned_data["note"], actor=request.user)
                messages.success(request, _("Bukti transfer %(c)s ditolak.") % {"c": payment.code})
                return redirect("orders:transfer_queue")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return render(
        request,
        "orders/transfer_review.html",
        {"payment": payment, "orders": selectors.payment_orders(payment), "reject_form": reject_form},
    )


@role_required(*STAFF)
def transfer_proof(request, code):
    """The proof file, served only to operators of the payment's regions (it is not public media)."""
    payment = selectors.access_payment_for_operator(request.user, code)
    if not payment.proof:
        raise Http404
    return FileResponse(payment.proof.open("rb"), filename=payment.proof.name.rsplit("/", 1)[-1])
