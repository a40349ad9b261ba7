"""Pages of the showroom: locations and their stock, receiving goods, transfers, returns to sellers,
stock counts, the quick-sale screen (kasir) with its receipt and the day's closing, and the reports.
Officers who enter data (operator, head, admin) only, each scoped to their regencies."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.selectors import user_regency_codes
from apps.core.access import role_required
from apps.core.formatting import today_wib
from apps.core.roles import STAFF
from apps.core.uploads import protected_file_response
from apps.konsinyasi.documents import labels_pdf, receipt_pdf, sale_receipt_pdf, seller_return_pdf
from apps.konsinyasi.forms import (
    CheckoutForm,
    ClosingForm,
    LocationEditForm,
    LocationForm,
    ReasonForm,
    ReceiptForm,
    ReceiptLineFormSet,
)
from apps.konsinyasi.models import PaymentMethod, ReceiptLine, SaleLine
from apps.konsinyasi.selectors import (
    access_location,
    access_receipt,
    access_sale,
    access_seller_return,
    closing_of,
    day_figures,
    expiring_soon,
    location_list,
    lot_balances,
    movement_list,
    receipt_lines,
    receipt_list,
    sale_lines,
    sales_of_day,
    sell_through,
    sellable_variants,
    sellers_of_regency,
    slow_movers,
    stock_by_variant,
    stock_count_list,
    stock_value_per_location,
    variant_by_sku,
)
from apps.konsinyasi.services import (
    REFUSALS,
    CartItem,
    CountItem,
    ReceiptItem,
    StockError,
    day_close,
    location_create,
    location_update,
    receipt_create,
    sale_cancel,
    sale_create,
    sale_line_return,
    seller_return_create,
    stock_count_record,
    transfer_create,
)
from apps.store.models import Variant


def _pdf(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)


# --- locations ------------------------------------------------------------------------------------------


@role_required(*STAFF)
def locations(request):
    form = LocationForm(request.POST or None, regency_codes=user_regency_codes(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            location = location_create(
                regency_code=data["regency"],
                name=data["name"],
                kind=data["kind"],
                address=data["address"],
                shares_online_stock=data["shares_online_stock"],
                actor=request.user,
            )
        except StockError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Lokasi %(n)s ditambahkan.") % {"n": location.name})
            return redirect("konsinyasi:location", pk=location.pk)
    today = today_wib()
    return render(
        request,
        "konsinyasi/locations.html",
        {
            "locations": location_list(user=request.user),
            "form": form,
            "expiring": expiring_soon(user=request.user, today=today, days=14)[:10],
        },
    )


@role_required(*STAFF)
def location(request, pk):
    place = access_location(request.user, pk)
    return render(
        request,
        "konsinyasi/location.html",
        {
            "location": place,
            "stock": stock_by_variant(location=place),
            "lots": lot_balances(location=place),
            "receipts": receipt_list(location=place)[:20],
            "counts": stock_count_list(location=place)[:5],
        },
    )


@role_required(*STAFF)
def location_edit(request, pk):
    place = access_location(request.user, pk)
    initial = {"name": place.name, "address": place.address, "shares_online_stock": place.shares_online_stock}
    form = LocationEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            location_update(
                location=place,
                actor=request.user,
                name=data["name"],
                address=data["address"],
                shares_online_stock=data["shares_online_stock"],
                qris_upload=data["qris_image"] or None,
            )
        except REFUSALS as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Lokasi disimpan."))
            return redirect("konsinyasi:location", pk=place.pk)
    return render(request, "konsinyasi/location_edit.html", {"location": place, "form": form})


@role_required(*STAFF)
def location_qris(request, pk):
    place = access_location(request.user, pk)
    if not place.qris_image:
        raise Http404
    return protected_file_response(place.qris_image, download_name=f"qris-{place.pk}")


@role_required(*STAFF)
def movements(request, pk):
    place = access_location(request.user, pk)
    return render(
        request, "konsinyasi/movements.html", {"location": place, "movements": movement_list(location=place)[:300]}
    )


@role_required(*STAFF)
def expiring(request):
    try:
        days = max(0, min(int(request.GET.get("hari", 30)), 365))
    except ValueError:
        days = 30
    rows = expiring_soon(user=request.user, today=today_wib(), days=days)
    return render(request, "konsinyasi/expiring.html", {"rows": rows, "days": days, "today": today_wib()})


# --- receipts -------------------------------------------------------------------------------------------


@role_required(*STAFF)
def receipt_new(request, pk):
    place = access_location(request.user, pk)
    sellers = list(sellers_of_regency(place.regency_id).values_list("pk", "shop_name"))
    form = ReceiptForm(request.POST or None, sellers=sellers)
    formset = ReceiptLineFormSet(request.POST or None, prefix="baris")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        seller = sellers_of_regency(place.regency_id).get(pk=form.cleaned_data["seller"])
        items = []
        for row in formset.cleaned_data:
            if not row.get("sku"):
                continue
            variant = variant_by_sku(row["sku"])
            if variant is None or variant.product.seller_id != seller.pk:
                form.add_error(None, _("SKU %(sku)s bukan produk %(s)s.") % {"sku": row["sku"], "s": seller.shop_name})
                break
            items.append(
                ReceiptItem(
                    variant=variant,
                    quantity=row["quantity"],
                    selling_price=row["selling_price"],
                    consignment_price=row.get("consignment_price"),
                    commission_percent=row.get("commission_percent"),
                    expires_on=row.get("expires_on"),
                    shares_online_stock=row.get("shares_online_stock") or False,
                )
            )
        else:
            try:
                receipt = receipt_create(
                    location=place,
                    seller=seller,
                    received_on=form.cleaned_data["received_on"],
                    items=items,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except REFUSALS as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Tanda terima %(n)s disimpan.") % {"n": receipt.number})
                return redirect("konsinyasi:receipt", pk=receipt.pk)
    seller_products = (
        Variant.objects.filter(product__seller__regency_id=place.regency_id)
        .select_related("product__seller")
        .order_by("product__seller__shop_name", "product__name")[:300]
    )
    return render(
        request,
        "konsinyasi/receipt_form.html",
        {"location": place, "form": form, "formset": formset, "variants": seller_products},
    )


@role_required(*STAFF)
def receipt(request, pk):
    found = access_receipt(request.user, pk)
    return render(request, "konsinyasi/receipt.html", {"receipt": found, "lines": receipt_lines(found)})


@role_required(*STAFF)
def receipt_document(request, pk):
    found = access_receipt(request.user, pk)
    return _pdf(receipt_pdf(found), f"tanda-terima-{_safe(found.number)}.pdf")


@role_required(*STAFF)
def receipt_labels(request, pk):
    found = access_receipt(request.user, pk)
    return _pdf(labels_pdf(found), f"label-{_safe(found.number)}.pdf")


# --- transfers, returns, counts -------------------------------------------------------------------------


def _quantities(request, balances: Any, prefix: str) -> list[tuple[ReceiptLine, int]]:
    out = []
    for balance in balances:
        raw = request.POST.get(f"{prefix}_{balance.lot_id}", "").strip()
        if raw:
            try:
                n = int(raw)
            except ValueError as exc:
                raise StockError(_("Jumlah harus bilangan bulat.")) from exc
            if n:
                out.append((balance.lot, n))
    return out


@role_required(*STAFF)
def transfer_new(request, pk):
    place = access_location(request.user, pk)
    balances = list(lot_balances(location=place))
    targets = location_list(user=request.user).filter(regency_id=place.regency_id).exclude(pk=place.pk)
    if request.method == "POST":
        target = targets.filter(pk=request.POST.get("target") or 0).first()
        try:
            if target is None:
                raise StockError(_("Pilih lokasi tujuan."))
            transfer_create(
                source=place,
                target=target,
                items=_quantities(request, balances, "qty"),
                note=request.POST.get("note", ""),
                actor=request.user,
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Barang dipindahkan ke %(t)s.") % {"t": target.name})
            return redirect("konsinyasi:location", pk=place.pk)
    return render(
        request, "konsinyasi/transfer_form.html", {"location": place, "balances": balances, "targets": targets}
    )


@role_required(*STAFF)
def return_new(request, pk):
    place = access_location(request.user, pk)
    sellers = sellers_of_regency(place.regency_id).filter(consignment_receipts__location=place).distinct()
    seller = sellers.filter(pk=request.GET.get("penjual") or request.POST.get("penjual") or 0).first()
    balances = list(lot_balances(location=place).filter(lot__receipt__seller=seller)) if seller else []
    if request.method == "POST" and seller is not None:
        try:
            done = seller_return_create(
                location=place,
                seller=seller,
                items=_quantities(request, balances, "qty"),
                note=request.POST.get("note", ""),
                actor=request.user,
            )
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Retur ke %(s)s dicatat.") % {"s": seller.shop_name})
            return redirect("konsinyasi:return_note", pk=done.pk)
    return render(
        request,
        "konsinyasi/return_form.html",
        {"location": place, "sellers": sellers, "seller": seller, "balances": balances},
    )


@role_required(*STAFF)
def return_note(request, pk):
    found = access_seller_return(request.user, pk)
    if request.GET.get("pdf"):
        return _pdf(seller_return_pdf(found), f"nota-retur-{found.pk}.pdf")
    lines = found.lines.select_related("lot__variant__product", "lot__receipt")
    return render(request, "konsinyasi/return_note.html", {"seller_return": found, "lines": lines})


@role_required(*STAFF)
def count_new(request, pk):
    place = access_location(request.user, pk)
    balances = list(lot_balances(location=place).filter(lot__shares_online_stock=False))
    if request.method == "POST":
        items = []
        try:
            for balance in balances:
                raw = request.POST.get(f"count_{balance.lot_id}", "").strip()
                if raw == "":
                    continue
                if not raw.isdigit():
                    raise StockError(_("Hasil hitung harus bilangan bulat."))
                items.append(CountItem(balance.lot, int(raw), request.POST.get(f"reason_{balance.lot_id}", "")))
            stock_count_record(location=place, items=items, actor=request.user)
        except REFUSALS as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Stok opname disimpan."))
            return redirect("konsinyasi:location", pk=place.pk)
    return render(
        request, "konsinyasi/count_form.html", {"location": place, "balances": balances, "posted": request.POST}
    )


# --- quick sale -----------------------------------------------------------------------------------------


def _cart_key(place: Any) -> str:
    return f"kasir:{place.pk}"


def _cart(request, place: Any) -> dict[str, int]:
    return dict(request.session.get(_cart_key(place), {}))


def _cart_rows(place: Any, cart: dict[str, int]) -> tuple[list[dict[str, Any]], int]:
    variants = {str(v.pk): v for v in Variant.objects.filter(pk__in=[int(k) for k in cart]).select_related("product")}
    rows, total = [], 0
    for key, quantity in cart.items():
        variant = variants.get(key)
        if variant is None:
            continue
        options = sellable_variants(location=place, query=variant.sku, limit=1)
        price = options[0]["price"] if options else variant.price
        rows.append({"variant": variant, "quantity": quantity, "price": price, "amount": price * quantity})
        total += price * quantity
    return rows, total


@role_required(*STAFF)
def kasir(request, pk):
    place = access_location(request.user, pk)
    if not place.sells:
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    cart = _cart(request, place)
    results = sellable_variants(location=place, query=query) if query else []
    if query and len(results) >= 1 and results[0]["exact"]:
        # a scanned barcode (or a typed SKU + Enter) goes straight into the cart
        key = str(results[0]["variant"].pk)
        cart[key] = cart.get(key, 0) + 1
        request.session[_cart_key(place)] = cart
        messages.success(request, _("%(p)s masuk keranjang.") % {"p": results[0]["variant"]})
        return redirect("konsinyasi:kasir", pk=place.pk)
    rows, total = _cart_rows(place, cart)
    today = today_wib()
    return render(
        request,
        "konsinyasi/kasir.html",
        {
            "location": place,
            "query": query,
            "results": results,
            "cart": rows,
            "total": total,
            "checkout": CheckoutForm(initial={"method": PaymentMethod.CASH}),
            "closed": closing_of(location=place, day=today),
            "recent": sales_of_day(location=place, day=today)[:5],
        },
    )


@require_POST
@role_required(*STAFF)
def kasir_cart(request, pk):
    place = access_location(request.user, pk)
    cart = _cart(request, place)
    key = request.POST.get("variant", "")
    action = request.POST.get("action", "add")
    if action == "clear":
        cart = {}
    elif key.isdigit():
        if action == "add":
            cart[key] = cart.get(key, 0) + 1
        elif action == "minus":
            cart[key] = cart.get(key, 0) - 1
        elif action == "remove":
            cart[key] = 0
        cart = {k: v for k, v in cart.items() if v > 0}
    request.session[_cart_key(place)] = cart
    return redirect("konsinyasi:kasir", pk=place.pk)


@require_POST
@role_required(*STAFF)
def kasir_pay(request, pk):
    place = access_location(request.user, pk)
    cart = _cart(request, place)
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("konsinyasi:kasir", pk=place.pk)
    variants = Variant.objects.in_bulk([int(k) for k in cart])
    items = [CartItem(variants[int(k)], n) for k, n in cart.items() if int(k) in variants]
    try:
        sale = sale_create(
            location=place,
            items=items,
            method=form.cleaned_data["method"],
            cash_given=form.cleaned_data.get("cash_given"),
            qris_confirmed=form.cleaned_data.get("qris_confirmed") or False,
            actor=request.user,
        )
    except REFUSALS as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("konsinyasi:kasir", pk=place.pk)
    request.session[_cart_key(place)] = {}
    return redirect("konsinyasi:sale", pk=sale.pk)


@role_required(*STAFF)
def sale(request, pk):
    found = access_sale(request.user, pk)
    closed = closing_of(location=found.location, day=found.sale_date)
    return render(
        request,
        "konsinyasi/sale.html",
        {"sale": found, "lines": sale_lines(found), "closed": closed, "reason_form": ReasonForm()},
    )


@role_required(*STAFF)
def sale_pdf(request, pk):
    found = access_sale(request.user, pk)
    return _pdf(sale_receipt_pdf(found), f"struk-{_safe(found.number)}.pdf", inline=True)


@require_POST
@role_required(*STAFF)
def sale_cancel_view(request, pk):
    found = access_sale(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise StockError(_("Alasan wajib diisi."))
        line_pk = request.POST.get("line")
        if line_pk:
            line = SaleLine.objects.filter(sale=found, pk=line_pk).first()
            if line is None:
                raise Http404
            sale_line_return(
                line=line,
                quantity=int(request.POST.get("quantity") or 1),
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        else:
            sale_cancel(sale=found, reason=form.cleaned_data["reason"], actor=request.user)
    except (ValueError, *REFUSALS) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Penjualan diperbarui."))
    return redirect("konsinyasi:sale", pk=found.pk)


@role_required(*STAFF)
def closing(request, pk):
    place = access_location(request.user, pk)
    day = today_wib()
    done = closing_of(location=place, day=day)
    figures = day_figures(location=place, day=day)
    form = ClosingForm(request.POST or None)
    if request.method == "POST" and done is None and form.is_valid():
        data = form.cleaned_data
        try:
            done = day_close(
                location=place,
                day=day,
                counted_cash=data["counted_cash"],
                opening_cash=data.get("opening_cash") or 0,
                reason=data["reason"],
                actor=request.user,
            )
        except StockError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kasir ditutup."))
            return redirect("konsinyasi:closing", pk=place.pk)
    return render(
        request,
        "konsinyasi/closing.html",
        {
            "location": place,
            "day": day,
            "figures": figures,
            "form": form,
            "done": done,
            "sales": sales_of_day(location=place, day=day),
        },
    )


# --- reports --------------------------------------------------------------------------------------------


@role_required(*STAFF)
def reports(request):
    try:
        days = max(1, min(int(request.GET.get("hari", 30)), 365))
    except ValueError:
        days = 30
    return render(
        request,
        "konsinyasi/reports.html",
        {
            "values": stock_value_per_location(user=request.user),
            "slow": slow_movers(user=request.user, now=timezone.now(), days=days)[:200],
            "through": sell_through(user=request.user),
            "days": days,
            "since": today_wib() - timedelta(days=days),
        },
    )
