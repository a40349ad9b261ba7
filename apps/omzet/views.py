from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import role_required
from apps.core.formatting import WIB
from apps.core.forms import year_param
from apps.core.roles import OFFICERS, STAFF
from apps.core.spreadsheets import csv_lines
from apps.omzet.forms import LedgerFilterForm, MappingForm, OfflineSaleForm, SaleItemFormSet
from apps.omzet.offline import (
    SaleItem,
    access_offline_sale,
    invoice_filename,
    invoice_pdf,
    offline_sale_cancel,
    offline_sale_list,
    offline_sale_record,
)
from apps.omzet.selectors import (
    LedgerFilters,
    access_channel,
    access_seller_omzet,
    ledger_list,
    seller_omzet,
    seller_years,
    unmatched_groups,
)
from apps.omzet.services import OmzetError, product_mapping_set
from apps.store.models import Variant


@role_required(*STAFF)
def unmatched(request):
    groups = list(unmatched_groups(user=request.user)[:500])
    for group in groups:
        group["form"] = MappingForm(initial={"channel": group["channel_id"], "match_key": group["match_key"]})
    return render(request, "omzet/unmatched.html", {"groups": groups})


@require_POST
@role_required(*STAFF)
def map_product(request):
    form = MappingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian pemetaan tidak lengkap."))
        return redirect("omzet:unmatched")
    channel = access_channel(request.user, form.cleaned_data["channel"])
    sku = form.cleaned_data["sku"].strip()
    variant = Variant.objects.select_related("product__seller").filter(sku=sku).first()
    if variant is None:
        messages.error(request, _("SKU %(sku)s tidak ada di katalog.") % {"sku": sku})
        return redirect("omzet:unmatched")
    try:
        moved = product_mapping_set(
            channel=channel, match_key=form.cleaned_data["match_key"], variant=variant, actor=request.user
        )
    except OmzetError as exc:
        messages.error(request, str(exc))
        return redirect("omzet:unmatched")
    messages.success(
        request,
        _("%(n)s baris dipetakan ke %(product)s (%(shop)s).")
        % {"n": moved, "product": variant, "shop": variant.product.seller},
    )
    return redirect("omzet:unmatched")


# --- offline channel --------------------------------------------------------------------------------


@role_required(*STAFF)
def offline_list(request):
    page = Paginator(offline_sale_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "omzet/offline_list.html", {"page": page})


@role_required(*STAFF)
def offline_new(request):
    form = OfflineSaleForm(request.POST or None, user=request.user)
    formset = SaleItemFormSet(request.POST or None, prefix="barang")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        regency = form.cleaned_data["regency"]
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("sku")]
        variants = {
            v.sku: v
            for v in Variant.objects.select_related("product__seller").filter(sku__in=[r["sku"].strip() for r in rows])
        }
        missing = [r["sku"] for r in rows if r["sku"].strip() not in variants]
        if missing:
            form.add_error(None, _("SKU tidak ada di katalog: %(skus)s") % {"skus": ", ".join(missing)})
        else:
            items = [
                SaleItem(variant=variants[r["sku"].strip()], quantity=r["quantity"], unit_price=r.get("unit_price"))
                for r in rows
            ]
            try:
                sale = offline_sale_record(
                    regency_code=regency,
                    channel_code=form.cleaned_data["channel"],
                    sale_date=form.cleaned_data["sale_date"],
                    items=items,
                    office_name=form.cleaned_data["office_name"],
                    invoice_number=form.cleaned_data["invoice_number"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except OmzetError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Penjualan luring dicatat ke omzet."))
                return redirect("omzet:offline_detail", pk=sale.pk)
    return render(request, "omzet/offline_form.html", {"form": form, "formset": formset})


@role_required(*STAFF)
def offline_detail(request, pk):
    sale = access_offline_sale(request.user, pk)
    return render(
        request, "omzet/offline_detail.html", {"sale": sale, "total": sum(x.amount for x in sale.lines.all())}
    )


@role_required(*STAFF)
def offline_invoice(request, pk):
    sale = access_offline_sale(request.user, pk)
    response = HttpResponse(invoice_pdf(sale), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice_filename(sale)}"'
    return response


@require_POST
@role_required(*STAFF)
def offline_cancel(request, pk):
    sale = access_offline_sale(request.user, pk)
    try:
        offline_sale_cancel(sale=sale, actor=request.user, reason=request.POST.get("reason", ""))
    except OmzetError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Penjualan dibatalkan; omzetnya dibalik."))
    return redirect("omzet:offline_detail", pk=sale.pk)


# --- ledger and seller dashboard ---------------------------------------------------------------------


def _ledger_filters(form: LedgerFilterForm) -> LedgerFilters:
    if not form.is_bound:
        return LedgerFilters()
    if not form.is_valid():
        return LedgerFilters(seller=-1)  # an invalid filter shows nothing rather than everything
    d = form.cleaned_data
    return LedgerFilters(
        channel=d["kanal"],
        district=d["kecamatan"],
        seller=int(d["penjual"]) if d["penjual"] else None,
        date_from=d["dari"],
        date_to=d["sampai"],
    )


@role_required(*OFFICERS)
def ledger(request):
    form = LedgerFilterForm(request.GET or None, user=request.user)
    lines = ledger_list(user=request.user, filters=_ledger_filters(form))
    total = lines.aggregate(s=Sum("amount"))["s"] or 0
    page = Paginator(lines, 50).get_page(request.GET.get("page"))
    can_edit = request.user.has_role(*STAFF)  # leadership reads the ledger; mapping and offline sales are staff work
    return render(request, "omzet/ledger.html", {"form": form, "page": page, "total": total, "can_edit": can_edit})


@role_required(*OFFICERS)
def ledger_csv(request):
    form = LedgerFilterForm(request.GET or None, user=request.user)
    lines = ledger_list(user=request.user, filters=_ledger_filters(form))

    def rows():
        yield [
            _("tanggal (WIB)"),
            _("kabupaten"),
            _("kecamatan"),
            _("kanal"),
            _("penjual"),
            _("produk"),
            _("jumlah"),
            _("nilai (Rp)"),
            _("kunci sumber"),
            _("membalik"),
        ]
        for line in lines.iterator(chunk_size=2000):
            yield [
                line.counted_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M"),
                line.regency_id,
                line.district.name if line.district else "",
                line.channel.code,
                line.seller.shop_name if line.seller else "",
                line.product_name,
                line.quantity,
                line.amount,
                line.source_key,
                _("ya") if line.reverses_id else "",
            ]

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="buku-omzet.csv"'
    return response


@login_required
def my_dashboard(request):
    membership = request.user.seller_memberships.order_by("pk").first()
    if membership is None:
        raise Http404
    return redirect("omzet:seller_dashboard", pk=membership.seller_id)


@login_required
def seller_dashboard(request, pk):
    seller = access_seller_omzet(request.user, pk)
    years = seller_years(seller=seller)
    year = year_param(request.GET.get("tahun"))
    if year is None:
        year = years[0] if years else timezone.localdate(timezone.now(), WIB).year
    data = seller_omzet(seller=seller, year=year)
    chart = {
        "months": {"labels": [m["label"] for m in data["months"]], "values": [m["amount"] for m in data["months"]]},
        "channels": {
            "labels": [c["label"] for c in data["by_channel"]],
            "values": [c["amount"] for c in data["by_channel"]],
        },
    }
    return render(
        request, "omzet/seller_dashboard.html", {"seller": seller, "data": data, "years": years, "chart": chart}
    )
