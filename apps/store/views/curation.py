"""The department's side: the curation queue of the operator's regions, product decisions, sellers."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from apps.core.access import SignedInRequest, role_required
from apps.core.roles import STAFF
from apps.store import pricing, selectors, services
from apps.store.forms import NoteForm, ReasonForm, SellerEnrolForm
from apps.store.models import ProductStatus, SellerStatus
from apps.store.views.manage import _error_text, find_business

PRODUCT_ACTIONS: dict[str, tuple[Any, bool, Any]] = {
    # action: (service, needs a reason, success message)
    "setujui": (services.product_approve, False, _lazy("Produk disetujui dan tayang di toko.")),
    "tolak": (services.product_reject, True, _lazy("Produk ditolak; penjual melihat alasannya.")),
    "turunkan": (services.product_delist, True, _lazy("Produk diturunkan dari toko.")),
    "tayangkan": (services.product_relist, False, _lazy("Produk tayang kembali.")),
}
SELLER_ACTIONS: dict[str, tuple[Any, bool, Any]] = {
    "verifikasi": (services.seller_verify, False, _lazy("Penjual terverifikasi.")),
    "tolak": (services.seller_reject, True, _lazy("Pendaftaran penjual ditolak.")),
    "tangguhkan": (services.seller_suspend, True, _lazy("Penjual ditangguhkan; produknya tidak tampil.")),
    "pulihkan": (services.seller_reinstate, False, _lazy("Penjual dipulihkan.")),
}


@role_required(*STAFF)
def queue(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", ProductStatus.SUBMITTED)
    if status not in ProductStatus.values:
        status = ProductStatus.SUBMITTED
    page = Paginator(selectors.curation_queue(officer=request.user, status=status), 30).get_page(
        request.GET.get("page")
    )
    price_flags = list(pricing.price_flags_open(officer=request.user)[:50])
    return render(
        request,
        "store/curation/queue.html",
        {"page": page, "status": status, "statuses": ProductStatus.choices, "price_flags": price_flags},
    )


@role_required(*STAFF)
@require_POST
def price_flag_check(request: SignedInRequest, pk: int) -> HttpResponse:
    flag = pricing.access_price_flag(request.user, pk)
    try:
        pricing.price_flag_check(flag=flag, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Perubahan harga ditandai sudah diperiksa."))
    return redirect("store:curation_queue")


@role_required(*STAFF)
def product_review(request: SignedInRequest, pk: int) -> HttpResponse:
    product = selectors.access_product_for_curator(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in PRODUCT_ACTIONS:
            service, needs_reason, done = PRODUCT_ACTIONS[action]
            form = (ReasonForm if needs_reason else NoteForm)(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                try:
                    if needs_reason:
                        service(product=product, actor=request.user, reason=reason)
                    else:
                        service(product=product, actor=request.user, note=reason)
                except (ValidationError, PermissionDenied) as exc:
                    messages.error(request, _error_text(exc))
                else:
                    messages.success(request, str(done))
                    return redirect("store:curation_queue")
            else:
                messages.error(request, _("Alasan wajib diisi."))
        return redirect("store:curation_product", pk=product.pk)
    return render(request, "store/curation/product.html", {"product": product})


@role_required(*STAFF)
def sellers(request: SignedInRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in SellerStatus.values:
        status = ""
    page = Paginator(selectors.seller_queue(officer=request.user, status=status), 30).get_page(request.GET.get("page"))
    return render(
        request, "store/curation/sellers.html", {"page": page, "status": status, "statuses": SellerStatus.choices}
    )


@role_required(*STAFF)
@require_POST
def seller_action(request: SignedInRequest, pk: int) -> HttpResponse:
    seller = selectors.access_seller_for_curator(request.user, pk)
    action = request.POST.get("action", "")
    if action in SELLER_ACTIONS:
        service, needs_reason, done = SELLER_ACTIONS[action]
        form = (ReasonForm if needs_reason else NoteForm)(request.POST)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if needs_reason:
                    service(seller=seller, actor=request.user, reason=reason)
                else:
                    service(seller=seller, actor=request.user, note=reason)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, str(done))
        else:
            messages.error(request, _("Alasan wajib diisi."))
    return redirect("store:curation_sellers")


@role_required(*STAFF)
def seller_enrol(request: SignedInRequest) -> HttpResponse:
    form = SellerEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        business = find_business(form.cleaned_data["nib"])
        owner = None
        username = form.cleaned_data["owner_username"].strip()
        if username:
            owner = get_user_model().objects.filter(username=username).first()
            if owner is None:
                form.add_error("owner_username", _("Pengguna tidak ditemukan."))
        if business is None:
            form.add_error("nib", _("Usaha dengan NIB/nomor ini tidak ada di registri UMKM."))
        if not form.errors:
            try:
                services.seller_enrol(
                    business=business,  # type: ignore[arg-type]
                    shop_name=form.cleaned_data["shop_name"],
                    description=form.cleaned_data["description"],
                    owner=owner,
                    actor=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("Penjual didaftarkan dan terverifikasi."))
                return redirect("store:curation_sellers")
    return render(request, "store/manage/form.html", {"form": form, "title": _("Daftarkan penjual")})
