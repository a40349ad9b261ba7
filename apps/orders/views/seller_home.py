"""The seller's home page, where a seller lands after login: what needs doing today, per shop (new paid
orders to ship, low stock, products waiting for curation) and this month's omzet."""

from django.shortcuts import render

from apps.core.access import role_required
from apps.core.formatting import month_name, today_wib
from apps.core.roles import Role
from apps.omzet.selectors import seller_month_omzet
from apps.orders import selectors
from apps.store.selectors import LOW_STOCK, curation_counts, low_stock_variants, sellers_of_user


@role_required(Role.SELLER)
def seller_home(request):
    today = today_wib()
    shops = []
    for seller in sellers_of_user(request.user):
        low_count, low = low_stock_variants(seller=seller)
        shops.append(
            {
                "seller": seller,
                "to_ship": selectors.seller_act_now_count(user=request.user, seller=seller),
                "new_placed": selectors.seller_placed_count(seller=seller),
                "low_count": low_count,
                "low": low,
                "curation": curation_counts(seller=seller),
                "omzet_month": seller_month_omzet(seller=seller, year=today.year, month=today.month),
            }
        )
    return render(
        request,
        "orders/seller_home.html",
        {"shops": shops, "month": f"{month_name(today.month)} {today.year}", "low_stock": LOW_STOCK},
    )
