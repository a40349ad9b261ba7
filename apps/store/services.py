"""Writes of the store (SPEC §6): sellers, their users, products, variants, photos and curation.

Every function runs in one transaction and writes one audit entry. The product services keep the
denormalised storefront columns (district, min_price, search_text) in step, and the product and seller
status services keep `Product.listed` (approved and the shop verified); nothing else writes them.
"""

import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.accounts.models import Role, User
from apps.accounts.selectors import user_can_see_regency
from apps.audit.services import audit_log
from apps.core.actors import COMMAND_LINE
from apps.store import search
from apps.store.cache import catalogue_changed
from apps.store.models import (
    Category,
    Product,
    ProductPhoto,
    ProductStatus,
    SearchTerm,
    Seller,
    SellerMember,
    SellerRole,
    SellerStatus,
    Variant,
)
from apps.umkm.models import Business, BusinessStatus

CURATOR_ROLES = (Role.OPERATOR, Role.HEAD, Role.ADMIN)
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_SIZES = {"small": 320, "large": 800}
MAX_PHOTOS = 8


# --- permission checks used by the services -----------------------------------------------------


def is_curator_of(user: Any, regency_code: str) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(*CURATOR_ROLES)
        and user_can_see_regency(user, regency_code)
    )


def is_member_of(user: Any, seller: Seller) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return SellerMember.objects.filter(seller=seller, user=user).exists()


def _require_curator(user: Any, regency_code: str) -> None:
    if not is_curator_of(user, regency_code):
        raise PermissionDenied(_("Anda tidak berwenang atas wilayah ini."))


def _require_editor(user: Any, seller: Seller) -> None:
    # The command line (manage.py import_data produk_* --toko) drafts products like the shop's owner.
    if user is COMMAND_LINE:
        return
    if not (is_member_of(user, seller) or is_curator_of(user, seller.regency_id)):
        raise PermissionDenied(_("Anda bukan pengelola toko ini."))


def _unique_slug(model: Any, base: str, **scope: Any) -> str:
    base = (slugify(base) or "toko")[:100]
    slug, n = base, 1
    while model.objects.filter(slug=slug, **scope).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- sellers ------------------------------------------------------------------------------------


def _seller_create(*, business: Business, shop_name: str, description: str, status: str) -> Seller:
    if business.status != BusinessStatus.ACTIVE:
        raise ValidationError(_("Usaha yang sudah tutup tidak dapat menjadi penjual."))
    if Seller.objects.filter(business=business).exists():
        raise ValidationError(_("Usaha ini sudah terdaftar sebagai penjual."))
    shop_name = shop_name.strip() or business.name
    return Seller.objects.create(
        business=business,
        shop_name=shop_name,
        slug=_unique_slug(Seller, shop_name),
        description=description,
        regency_id=business.regency_id,
        district_id=business.district_id,
        village_id=business.village_id,
        status=status,
    )


@transaction.atomic
def seller_apply(*, business: Business, shop_name: str, actor: Any, description: str = "") -> Seller:
    """A business owner applies to sell; the applicant becomes the shop's owner user. Awaits verification."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Masuk dahulu untuk mendaftar sebagai penjual."))
    seller = _seller_create(
        business=business, shop_name=shop_name, description=description, status=SellerStatus.APPLIED
    )
    SellerMember.objects.create(seller=seller, user=actor, role=SellerRole.OWNER)
    catalogue_changed()
    audit_log(actor=actor, action="seller.apply", obj=seller, changes={"status": [None, seller.status]})
    return seller


@transaction.atomic
def seller_enrol(
    *, business: Business, shop_name: str, actor: Any, owner: User | None = None, description: str = ""
) -> Seller:
    """An operator enrols a registry business; the department has checked it, so it starts verified."""
    _require_curator(actor, business.regency_id)
    seller = _seller_create(
        business=business, shop_name=shop_name, description=description, status=SellerStatus.VERIFIED
    )
    changes: dict[str, Any] = {"status": [None, seller.status]}
    if owner is not None:
        SellerMember.objects.create(seller=seller, user=owner, role=SellerRole.OWNER)
        changes["pemilik"] = owner.get_username()
        _promote_to_seller_role([owner])
    catalogue_changed()
    audit_log(actor=actor, action="seller.enrol", obj=seller, changes=changes)
    return seller


def _promote_to_seller_role(users: list[User]) -> None:
    """Buyers who run a verified shop become mitra UMKM (officers keep their role)."""
    for user in users:
        if user.role == Role.BUYER:
            user.role = Role.SELLER
            user.save(update_fields=["role"])


def _seller_transition(
    *, seller: Seller, actor: Any, allowed_from: set[str], to: str, action: str, note: str = ""
) -> Seller:
    _require_curator(actor, seller.regency_id)
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    if seller.status not in allowed_from:
        raise ValidationError(
            _("Status penjual %(s)s tidak dapat diubah dengan tindakan ini.") % {"s": seller.get_status_display()}
        )
    before = seller.status
    seller.status, seller.status_note = to, note[:300]
    seller.save(update_fields=["status", "status_note", "updated_at"])
    # Its approved products appear or disappear with the shop (their own status does not change).
    Product.objects.filter(seller=seller, status=ProductStatus.APPROVED).update(listed=to == SellerStatus.VERIFIED)
    if to == SellerStatus.VERIFIED:
        _promote_to_seller_role([m.user for m in seller.members.select_related("user")])
    catalogue_changed()
    audit_log(actor=actor, action=action, obj=seller, changes={"status": [before, to], "catatan": note})
    return seller


def seller_verify(*, seller: Seller, actor: Any, note: str = "") -> Seller:
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.APPLIED, SellerStatus.REJECTED},
            to=SellerStatus.VERIFIED,
            action="seller.verify",
            note=note,
        )


def seller_reject(*, seller: Seller, actor: Any, reason: str) -> Seller:
    if not reason.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.APPLIED},
            to=SellerStatus.REJECTED,
            action="seller.reject",
            note=reason,
        )


def seller_suspend(*, seller: Seller, actor: Any, reason: str) -> Seller:
    """Suspended shops disappear from the storefront (their products stay approved, hidden)."""
    if not reason.strip():
        raise ValidationError(_("Alasan penangguhan wajib diisi."))
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.VERIFIED},
            to=SellerStatus.SUSPENDED,
            action="seller.suspend",
            note=reason,
        )


def seller_reinstate(*, seller: Seller, actor: Any, note: str = "") -> Seller:
    with transaction.atomic():
        return _seller_transition(
            seller=seller,
            actor=actor,
            allowed_from={SellerStatus.SUSPENDED},
            to=SellerStatus.VERIFIED,
            action="seller.reinstate",
            note=note,
        )


@transaction.atomic
def seller_member_add(*, seller: Seller, user: User, actor: Any, role: str = SellerRole.STAFF) -> SellerMember:
    """The shop owner (or a curator) adds a user as owner or staff."""
    owner = SellerMember.objects.filter(seller=seller, user=actor, role=SellerRole.OWNER).exists()
    if not (owner or is_curator_of(actor, seller.regency_id)):
        raise PermissionDenied(_("Hanya pemilik toko yang dapat menambah pengguna."))
    if SellerMember.objects.filter(seller=seller, user=user).exists():
        raise ValidationError(_("Pengguna ini sudah menjadi anggota toko."))
    member = SellerMember.objects.create(seller=seller, user=user, role=role)
    if seller.status == SellerStatus.VERIFIED:
        _promote_to_seller_role([user])
    catalogue_changed()
    audit_log(
        actor=actor, action="seller.member_add", obj=seller, changes={"pengguna": user.get_username(), "peran": role}
    )
    return member


@transaction.atomic
def seller_member_remove(*, member: SellerMember, actor: Any) -> None:
    seller = member.seller
    owner = SellerMember.objects.filter(seller=seller, user=actor, role=SellerRole.OWNER).exists()
    if not (owner or is_curator_of(actor, seller.regency_id)):
        raise PermissionDenied(_("Hanya pemilik toko yang dapat menghapus pengguna."))
    if member.role == SellerRole.OWNER and seller.members.filter(role=SellerRole.OWNER).count() == 1:
        raise ValidationError(_("Toko harus memiliki setidaknya satu pemilik."))
    username = member.user.get_username()
    member.delete()
    catalogue_changed()
    audit_log(actor=actor, action="seller.member_remove", obj=seller, changes={"pengguna": username})


# --- products -------------------------------------------------------------------------------------


@dataclass
class VariantData:
    name: str
    sku: str
    price: int
    stock: int
    weight_grams: int | None = None


def _validate_variants(variants: list[VariantData], *, exclude_product: Product | None = None) -> None:
    if not variants:
        raise ValidationError(_("Produk harus memiliki setidaknya satu varian."))
    skus = [v.sku.strip() for v in variants]
    if any(not s for s in skus):
        raise ValidationError(_("SKU varian wajib diisi."))
    if len(set(skus)) != len(skus):
        raise ValidationError(_("SKU varian tidak boleh kembar."))
    taken = Variant.objects.filter(sku__in=skus)
    if exclude_product is not None:
        taken = taken.exclude(product=exclude_product)
    clash = sorted(taken.values_list("sku", flat=True))
    if clash:
        raise ValidationError(_("SKU sudah dipakai produk lain: %(s)s") % {"s": ", ".join(clash)})
    for v in variants:
        if v.price <= 0:
            raise ValidationError(_("Harga varian %(s)s harus lebih dari Rp0.") % {"s": v.sku})
        if v.stock < 0:
            raise ValidationError(_("Stok varian %(s)s tidak boleh negatif.") % {"s": v.sku})


def product_reindex(product: Product) -> Product:
    """Recompute the denormalised storefront columns from the product's rows; store new search terms."""
    seller = product.seller
    prices = [v.price for v in product.variants.all() if v.is_active]
    product.min_price = min(prices) if prices else 0
    product.district_id = seller.district_id
    district_name = seller.district.name if seller.district_id else ""
    product.search_text = search.search_text_for(
        product.name, product.category.name, seller.shop_name, district_name, product.description
    )
    Product.objects.filter(pk=product.pk).update(
        min_price=product.min_price, district_id=product.district_id, search_text=product.search_text
    )
    terms_store(
        search.index_terms(product.name, product.category.name, seller.shop_name, district_name, product.description)
    )
    return product


def terms_store(terms: list[str]) -> None:
    """Add new terms to the search vocabulary (typo tolerance) and tell other processes to reload it."""
    if not terms:
        return
    known = set(SearchTerm.objects.filter(term__in=terms).values_list("term", flat=True))
    new = [SearchTerm(term=t) for t in terms if t not in known]
    if new:
        SearchTerm.objects.bulk_create(new, ignore_conflicts=True)
        search.vocabulary_changed()
        transaction.on_commit(search.vocabulary_changed)


@transaction.atomic
def product_create(
    *,
    seller: Seller,
    category: Category,
    name: str,
    weight_grams: int,
    variants: list[VariantData],
    actor: Any,
    description: str = "",
) -> Product:
    """A seller user (or a curator) drafts a product with its variants."""
    _require_editor(actor, seller)
    if not name.strip():
        raise ValidationError(_("Nama produk wajib diisi."))
    if weight_grams <= 0:
        raise ValidationError(_("Berat produk harus lebih dari 0 gram."))
    _validate_variants(variants)
    product = Product.objects.create(
        seller=seller,
        category=category,
        name=name.strip(),
        slug=(slugify(name) or "produk")[:200],
        description=description,
        weight_grams=weight_grams,
        district_id=seller.district_id,
    )
    Variant.objects.bulk_create(
        [
            Variant(
                product=product,
                name=v.name,
                sku=v.sku.strip(),
                price=v.price,
                stock=v.stock,
                weight_grams=v.weight_grams,
            )
            for v in variants
        ]
    )
    product_reindex(product)
    catalogue_changed()
    audit_log(
        actor=actor,
        action="product.create",
        obj=product,
        changes={"status": [None, product.status], "varian": [v.sku for v in variants]},
        regency_code=seller.regency_id,
    )
    return product


CONTENT_FIELDS = ("name", "description", "category", "weight_grams")


@transaction.atomic
def product_update(
    *,
    product: Product,
    actor: Any,
    name: str,
    description: str,
    category: Category,
    weight_grams: int,
    variants: list[VariantData] | None = None,
) -> Product:
    """Edit a product; `variants` (when given) replaces the set, matched by SKU.

    Changing what buyers read (name, description, category, weight) of a listed product sends it back
    to curation (status submitted): the catalogue only shows what a curator has seen. Prices and stock
    change freely.
    """
    _require_editor(actor, product.seller)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if not name.strip():
        raise ValidationError(_("Nama produk wajib diisi."))
    if weight_grams <= 0:
        raise ValidationError(_("Berat produk harus lebih dari 0 gram."))
    new = {"name": name.strip(), "description": description, "category": category, "weight_grams": weight_grams}
    changes: dict[str, Any] = {}
    for field_name, value in new.items():
        before = getattr(product, field_name)
        if before != value:
            changes[field_name] = [before, value]
            setattr(product, field_name, value)
    if changes and product.status == ProductStatus.APPROVED:
        changes["status"] = [product.status, ProductStatus.SUBMITTED]
        product.status, product.listed = ProductStatus.SUBMITTED, False
    if variants is not None:
        changes.update(_variants_replace(product, variants))
    product.save()
    product_reindex(product)
    catalogue_changed()
    audit_log(
        actor=actor, action="product.update", obj=product, changes=changes, regency_code=product.seller.regency_id
    )
    return product


def _variants_replace(product: Product, variants: list[VariantData]) -> dict[str, Any]:
    _validate_variants(variants, exclude_product=product)
    existing = {v.sku: v for v in product.variants.all()}
    wanted = {v.sku.strip(): v for v in variants}
    changes: dict[str, Any] = {}
    for sku, data in wanted.items():
        current = existing.get(sku)
        if current is None:
            Variant.objects.create(
                product=product,
                name=data.name,
                sku=sku,
                price=data.price,
                stock=data.stock,
                weight_grams=data.weight_grams,
            )
            changes[f"varian {sku}"] = [None, {"harga": data.price, "stok": data.stock}]
            continue
        before = {"nama": current.name, "harga": current.price, "stok": current.stock, "aktif": current.is_active}
        current.name, current.price, current.stock, current.weight_grams = (
            data.name,
            data.price,
            data.stock,
            data.weight_grams,
        )
        current.is_active = True
        after = {"nama": current.name, "harga": current.price, "stok": current.stock, "aktif": True}
        if before != after:
            current.save()
            changes[f"varian {sku}"] = [before, after]
    # Variants that were sold keep their rows (orders and omzet point at the SKU): deactivate them.
    for sku, current in existing.items():
        if sku not in wanted and current.is_active:
            current.is_active = False
            current.save(update_fields=["is_active"])
            changes[f"varian {sku}"] = ["aktif", "nonaktif"]
    if not any(v.is_active for v in product.variants.all()):
        raise ValidationError(_("Produk harus memiliki setidaknya satu varian."))
    return changes


@transaction.atomic
def variant_set_stock(*, variant: Variant, stock: int, actor: Any) -> Variant:
    """Set a variant's stock (a count the seller made); never below zero."""
    product = variant.product
    _require_editor(actor, product.seller)
    if stock < 0:
        raise ValidationError(_("Stok tidak boleh negatif."))
    variant = Variant.objects.select_for_update().get(pk=variant.pk)
    before = variant.stock
    variant.stock = stock
    variant.save(update_fields=["stock"])
    catalogue_changed()
    audit_log(
        actor=actor,
        action="variant.set_stock",
        obj=variant,
        changes={"stok": [before, stock]},
        regency_code=product.seller.regency_id,
    )
    return variant


def _product_transition(
    *, product: Product, actor: Any, allowed_from: set[str], to: str, action: str, curator: bool, note: str = ""
) -> Product:
    seller = product.seller
    if curator:
        _require_curator(actor, seller.regency_id)
    else:
        _require_editor(actor, seller)
    # The shop's row first (as the seller services do): a suspension cannot slip between reading the
    # shop's status and listing the product.
    seller_status = Seller.objects.select_for_update().values_list("status", flat=True).get(pk=seller.pk)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status not in allowed_from:
        raise ValidationError(
            _("Produk berstatus %(s)s tidak dapat diproses dengan tindakan ini.") % {"s": product.get_status_display()}
        )
    before = product.status
    product.status = to
    product.listed = to == ProductStatus.APPROVED and seller_status == SellerStatus.VERIFIED
    fields = ["status", "listed", "updated_at"]
    if to == ProductStatus.REJECTED:
        product.rejection_reason = note[:500]
        fields.append("rejection_reason")
    elif to in (ProductStatus.SUBMITTED, ProductStatus.APPROVED):
        product.rejection_reason = ""
        fields.append("rejection_reason")
    if to == ProductStatus.APPROVED:
        product.listed_at = timezone.now()
        fields.append("listed_at")
    product.save(update_fields=fields)
    catalogue_changed()
    audit_log(
        actor=actor,
        action=action,
        obj=product,
        changes={"status": [before, to], **({"catatan": note} if note else {})},
        regency_code=seller.regency_id,
    )
    return product


def product_submit(*, product: Product, actor: Any) -> Product:
    """The seller sends a draft (or a rejected product, after fixing it) to curation."""
    with transaction.atomic():
        if not product.variants.filter(is_active=True).exists():
            raise ValidationError(_("Produk harus memiliki setidaknya satu varian."))
        return _product_transition(
            product=product,
            actor=actor,
            allowed_from={ProductStatus.DRAFT, ProductStatus.REJECTED},
            to=ProductStatus.SUBMITTED,
            action="product.submit",
            curator=False,
        )


def product_approve(*, product: Product, actor: Any, note: str = "") -> Product:
    """A curator of the seller's regency approves: the product is listed."""
    with transaction.atomic():
        return _product_transition(
            product=product,
            actor=actor,
            allowed_from={ProductStatus.SUBMITTED},
            to=ProductStatus.APPROVED,
            action="product.approve",
            curator=True,
            note=note,
        )


def product_reject(*, product: Product, actor: Any, reason: str) -> Product:
    if not reason.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    with transaction.atomic():
        return _product_transition(
            product=product,
            actor=actor,
            allowed_from={ProductStatus.SUBMITTED},
            to=ProductStatus.REJECTED,
            action="product.reject",
            curator=True,
            note=reason.strip(),
        )


def product_delist(*, product: Product, actor: Any, reason: str) -> Product:
    """Take a listed product off the store (a curator, or the seller itself)."""
    if not reason.strip():
        raise ValidationError(_("Alasan penurunan wajib diisi."))
    with transaction.atomic():
        curator = is_curator_of(actor, product.seller.regency_id)
        return _product_transition(
            product=product,
            actor=actor,
            allowed_from={ProductStatus.APPROVED},
            to=ProductStatus.DELISTED,
            action="product.delist",
            curator=curator,
            note=reason.strip(),
        )


def product_relist(*, product: Product, actor: Any, note: str = "") -> Product:
    """A curator lists a delisted product again (it was curated before)."""
    with transaction.atomic():
        return _product_transition(
            product=product,
            actor=actor,
            allowed_from={ProductStatus.DELISTED},
            to=ProductStatus.APPROVED,
            action="product.relist",
            curator=True,
            note=note,
        )


# --- photos ---------------------------------------------------------------------------------------


def _read_image(upload: Any) -> Image.Image:
    """Open an upload as an image, checking its real type (not its name) and its size."""
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise ValidationError(_("Foto terlalu besar (maksimal 5 MB)."))
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(_("Foto terlalu besar (maksimal 5 MB)."))
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in PHOTO_FORMATS:
            raise ValidationError(_("Foto harus berformat JPEG, PNG, atau WebP."))
        if probe.width * probe.height > PHOTO_MAX_PIXELS:
            raise ValidationError(_("Ukuran gambar terlalu besar."))
        probe.verify()
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("Berkas ini bukan gambar yang dapat dibaca."))
    image = ImageOps.exif_transpose(image)
    return image.convert("RGB")


def _thumbnail(image: Image.Image, width: int) -> tuple[bytes, int, int]:
    """WebP no wider than `width` (and no taller than twice that), with its real size."""
    copy = image.copy()
    copy.thumbnail((width, width * 2), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, format="WEBP", quality=78, method=4)
    return out.getvalue(), copy.width, copy.height


@transaction.atomic
def photo_add(*, product: Product, upload: Any, actor: Any, alt_text: str = "") -> ProductPhoto:
    """Store a photo as 320px and 800px WebP thumbnails. A new photo of a listed product needs curation."""
    _require_editor(actor, product.seller)
    if product.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("Maksimal %(n)s foto per produk.") % {"n": MAX_PHOTOS})
    image = _read_image(upload)
    position = product.photos.count()
    photo = ProductPhoto(product=product, alt_text=alt_text[:200] or product.name[:200], position=position)
    stem = f"{product.pk}-{timezone.now().strftime('%Y%m%d%H%M%S%f')}"
    small, photo.small_width, photo.small_height = _thumbnail(image, PHOTO_SIZES["small"])
    large, photo.large_width, photo.large_height = _thumbnail(image, PHOTO_SIZES["large"])
    photo.image_small.save(f"{stem}-320.webp", ContentFile(small), save=False)
    photo.image_large.save(f"{stem}-800.webp", ContentFile(large), save=False)
    photo.save()
    changes: dict[str, Any] = {"foto": [None, photo.image_small.name]}
    if product.status == ProductStatus.APPROVED:
        Product.objects.filter(pk=product.pk).update(status=ProductStatus.SUBMITTED, listed=False)
        changes["status"] = [ProductStatus.APPROVED, ProductStatus.SUBMITTED]
    catalogue_changed()
    audit_log(
        actor=actor, action="product.photo_add", obj=product, changes=changes, regency_code=product.seller.regency_id
    )
    return photo


@transaction.atomic
def photo_delete(*, photo: ProductPhoto, actor: Any) -> None:
    product = photo.product
    _require_editor(actor, product.seller)
    name = photo.image_small.name
    files = [photo.image_small, photo.image_large]
    photo.delete()

    def remove_files() -> None:
        for f in files:
            if f.name:
                f.storage.delete(f.name)

    transaction.on_commit(remove_files)
    catalogue_changed()
    audit_log(
        actor=actor,
        action="product.photo_delete",
        obj=product,
        changes={"foto": [name, None]},
        regency_code=product.seller.regency_id,
    )
