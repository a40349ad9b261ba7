"""The buyer's order pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.orders import selectors
from apps.orders.rules import can
from apps.orders.services.fulfilment import order_complete
from apps.orders.views.common import error_text


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
            messages.error(request, error_text(exc))
        return redirect("orders:buyer_order", number=number)
    return render(request, "orders/buyer_order.html", {"order": order, "can_complete": can("complete", order.status)})
