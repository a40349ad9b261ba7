"""Order pages of sellers and operators, and the order actions they post."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.access import role_required
from apps.core.roles import STAFF, Role
from apps.orders import selectors
from apps.orders.forms import ReasonForm, ReturnForm, ShipForm
from apps.orders.models import OrderStatus, PaymentMethod
from apps.orders.rules import can
from apps.orders.services.fulfilment import (
    order_cancel,
    order_complete,
    order_deliver,
    order_process,
    order_refund,
    order_return,
    order_ship,
)
from apps.orders.views.common import error_text


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
        return error_text(exc)
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


@role_required(Role.SELLER)
def seller_orders(request):
    status = request.GET.get("status", "")
    qs = selectors.order_list_for_seller(user=request.user, status=status)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/seller_orders.html",
        {
            "page": page,
            "status": status,
            "statuses": OrderStatus.choices,
            "act_count": selectors.seller_act_now_count(user=request.user),
        },
    )


@role_required(Role.SELLER)
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
