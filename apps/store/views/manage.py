"""The seller's back office on a phone: shops, products with variants and photos, stock, submission."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.access import SignedInRequest
from apps.store import selectors, services
from apps.store.forms import FirstPhotoForm, PhotoForm, ProductForm, ReasonForm, SellerApplyForm, VariantFormSet
from apps.store.marketplace import FORMATS, catalogue_xlsx
from apps.store.models import ProductPhoto, ProductStatus
from apps.store.pricing import PriceJump, PriceJumpUnconfirmed
from apps.store.services import VariantData
from apps.umkm.models import Business


def find_business(ref: str) -> Business | None:
    """A registry business by its NIB (13 digits) or its registry number (operators' enrolment only)."""
    if len(ref) == 13:
        return Business.objects.filter(nib=ref).first()
    return Business.objects.filter(pk=int(ref)).first() if ref.isdigit() else None


def _error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Anda tidak berwenang.")


@login_required
def manage_home(request: SignedInRequest) -> HttpResponse:
    shops = selectors.sellers_of_user(request.user)
    if len(shops) == 1:
        return redirect("store:manage_shop", pk=shops[0].pk)
    return render(request, "store/manage/home.html", {"shops": shops})


# An applicant who keeps guessing NIKs for a known NIB is stopped for a while (per account).
APPLY_ATTEMPTS, APPLY_WINDOW_SECONDS = 5, 3600


@login_required
def seller_apply(request: SignedInRequest) -> HttpResponse:
    form = SellerApplyForm(request.POST or None)
    attempts_key = f"seller-apply-failures:{request.user.pk}"
    if request.method == "POST" and cache.get(attempts_key, 0) >= APPLY_ATTEMPTS:
        form.is_valid()
        form.add_error(
            None, _("Terlalu banyak percobaan yang tidak cocok. Coba lagi dalam satu jam, atau hubungi operator dinas.")
        )
    elif request.method == "POST" and form.is_valid():
        business = selectors.business_for_application(
            nib=form.cleaned_data["nib"],
            business_name=form.cleaned_data["business_name"],
            owner_nik=form.cleaned_data["nik"],
        )
        try:
            if business is None:
                raise ValidationError(services.APPLICATION_MISMATCH)
            seller = services.seller_apply(
                business=business,
                shop_name=form.cleaned_data["shop_name"],
                description=form.cleaned_data["description"],
                owner_nik=form.cleaned_data["nik"],
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            cache.set(attempts_key, cache.get(attempts_key, 0) + 1, APPLY_WINDOW_SECONDS)
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Pendaftaran toko terkirim. Dinas akan memverifikasi usaha Anda."))
            return redirect("store:manage_shop", pk=seller.pk)
    return render(request, "store/manage/form.html", {"form": form, "title": _("Daftar sebagai penjual")})


@login_required
def manage_shop(request: SignedInRequest, pk: int) -> HttpResponse:
    seller = selectors.access_seller(request.user, pk, read_only=True)
    status = request.GET.get("status", "")
    if status not in ProductStatus.values:
        status = ""
    products = list(selectors.seller_products(seller=seller, status=status))
    return render(
        request,
        "store/manage/shop.html",
        {"seller": seller, "products": products, "status": status, "statuses": ProductStatus.choices},
    )


def _variants_from(formset: Any) -> list[VariantData]:
    return [
        VariantData(
            name=f.cleaned_data.get("name", ""),
            sku=f.cleaned_data.get("sku", ""),
            price=f.cleaned_data["price"],
            stock=f.cleaned_data["stock"],
            weight_grams=f.cleaned_data.get("weight_grams"),
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


@login_required
def product_new(request: SignedInRequest, pk: int) -> HttpResponse:
    seller = selectors.access_seller(request.user, pk)
    form = ProductForm(request.POST or None)
    formset = VariantFormSet(request.POST or None, prefix="varian")
    photo_form = FirstPhotoForm(request.POST or None, request.FILES or None, prefix="foto")
    if request.method == "POST" and form.is_valid() and formset.is_valid() and photo_form.is_valid():
        try:
            product = services.product_create(
                seller=seller,
                category=form.cleaned_data["category"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                weight_grams=form.cleaned_data["weight_grams"],
                variants=_variants_from(formset),
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            upload = photo_form.cleaned_data.get("photo")
            photo_failed = False
            if upload:
                # the product is kept even when its photo is refused: the seller adds another on the next page
                try:
                    services.photo_add(
                        product=product, upload=upload, alt_text=photo_form.cleaned_data["alt_text"], actor=request.user
                    )
                except (ValidationError, PermissionDenied) as exc:
                    photo_failed = True
                    messages.error(request, _("Foto tidak disimpan: %(e)s") % {"e": _error_text(exc)})
            if upload and not photo_failed:
                messages.success(
                    request, _("Produk dan fotonya tersimpan sebagai draf. Ajukan untuk kurasi bila sudah siap.")
                )
            else:
                messages.success(request, _("Produk tersimpan sebagai draf. Tambahkan foto, lalu ajukan untuk kurasi."))
            return redirect("store:product_edit", pk=product.pk)
    return render(
        request,
        "store/manage/product_form.html",
        {
            "form": form,
            "formset": formset,
            "seller": seller,
            "title": _("Produk baru"),
            "first_photo_form": photo_form,
        },
    )


@login_required
def product_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    product = selectors.access_product(request.user, pk)
    variants = list(product.variants.all())
    initial = {
        "name": product.name,
        "category": product.category_id,
        "weight_grams": product.weight_grams,
        "description": product.description,
    }
    form = ProductForm(request.POST or None, initial=initial)
    formset = VariantFormSet(
        request.POST or None,
        prefix="varian",
        initial=[
            {"name": v.name, "sku": v.sku, "price": v.price, "stock": v.stock, "weight_grams": v.weight_grams}
            for v in variants
            if v.is_active
        ],
    )
    price_jumps: list[PriceJump] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.product_update(
                product=product,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                category=form.cleaned_data["category"],
                weight_grams=form.cleaned_data["weight_grams"],
                variants=_variants_from(formset),
                price_jump_confirmed=request.POST.get("konfirmasi_harga") == "1",
            )
        except PriceJumpUnconfirmed as exc:
            price_jumps = exc.jumps
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("store:product_edit", pk=product.pk)
    return render(
        request,
        "store/manage/product_form.html",
        {
            "form": form,
            "formset": formset,
            "seller": product.seller,
            "product": product,
            "photo_form": PhotoForm(),
            "title": product.name,
            "price_jumps": price_jumps,
        },
    )


@login_required
@require_POST
def photo_add(request: SignedInRequest, pk: int) -> HttpResponse:
    product = selectors.access_product(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                product=product,
                upload=form.cleaned_data["photo"],
                alt_text=form.cleaned_data["alt_text"],
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Foto ditambahkan."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("store:product_edit", pk=product.pk)


@login_required
@require_POST
def photo_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ProductPhoto.objects.select_related("product"), pk=pk)
    product = selectors.access_product(request.user, photo.product_id)
    services.photo_delete(photo=photo, actor=request.user)
    messages.success(request, _("Foto dihapus."))
    return redirect("store:product_edit", pk=product.pk)


@login_required
@require_POST
def product_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    product = selectors.access_product(request.user, pk)
    try:
        services.product_submit(product=product, actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Produk diajukan. Operator dinas akan mengkurasinya."))
    return redirect("store:product_edit", pk=product.pk)


@login_required
@require_POST
def product_delist(request: SignedInRequest, pk: int) -> HttpResponse:
    product = selectors.access_product(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.product_delist(product=product, actor=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Produk diturunkan dari toko."))
    else:
        messages.error(request, _("Alasan wajib diisi."))
    return redirect("store:product_edit", pk=product.pk)


@login_required
def export(request: SignedInRequest, pk: int, fmt: str) -> HttpResponse:
    """The shop's approved products in the Shopee or Tokopedia mass-upload template (XLSX)."""
    seller = selectors.access_seller(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    content = catalogue_xlsx(
        products=selectors.export_products(seller=seller), fmt=fmt, absolute=request.build_absolute_uri
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{seller.slug}-{fmt}.xlsx"'
    return response
