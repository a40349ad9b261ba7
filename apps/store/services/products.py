"""Writes of the store's products and variants (SPEC §6): drafting, editing, stock, curation.

The product services keep the denormalised storefront columns (district, min_price, search_text) in
step, and the status services keep `Product.listed` (approved and the shop verified).
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.audit.services import audit_log
from apps.core.actors import Actor
from apps.store import pricing, search
from apps.store.cache import catalogue_changed
from apps.store.models import Category, Product, ProductStatus, SearchTerm, Seller, SellerStatus, Variant
from apps.store.services.access import is_curator_of, require_curator, require_editor


@dataclass
class VariantData:
    name: str
    sku: str
    price: int
    stock: int
    weight_grams: int | None = None


SKU_MAX = 64


def sku_suggest(
    *, product_name: str, variant_name: str, taken: set[str], exclude_product: Product | None = None
) -> str:
    """A readable SKU from the product and variant names (`TAS-RAJUT-KREM`), unique in the catalogue: the
    first free of `BASE`, `BASE-2`, `BASE-3`, ... . A SKU of `exclude_product` itself counts as free (saving
    the same rows again finds the same variants)."""
    base = slugify(f"{product_name} {variant_name}").upper()[: SKU_MAX - 4].strip("-") or "PRODUK"
    others = Variant.objects.filter(sku__startswith=base)
    if exclude_product is not None and exclude_product.pk:
        others = others.exclude(product=exclude_product)
    used = taken | set(others.values_list("sku", flat=True))
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _fill_skus(product_name: str, variants: list[VariantData], *, exclude_product: Product | None = None) -> None:
    """Give every variant without a SKU a generated one (Shopee and Tokopedia make the SKU optional too)."""
    taken = {v.sku.strip() for v in variants if v.sku.strip()}
    for v in variants:
        v.sku = v.sku.strip()
        if not v.sku:
            v.sku = sku_suggest(
                product_name=product_name, variant_name=v.name, taken=taken, exclude_product=exclude_product
            )
            taken.add(v.sku)


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
    actor: Actor,
    description: str = "",
) -> Product:
    """A seller user (or a curator) drafts a product with its variants."""
    require_editor(actor, seller)
    if not name.strip():
        raise ValidationError(_("Nama produk wajib diisi."))
    if weight_grams <= 0:
        raise ValidationError(_("Berat produk harus lebih dari 0 gram."))
    _fill_skus(name.strip(), variants)
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
    actor: Actor,
    name: str,
    description: str,
    category: Category,
    weight_grams: int,
    variants: list[VariantData] | None = None,
    price_jump_confirmed: bool = False,
) -> Product:
    """Edit a product; `variants` (when given) replaces the set, matched by SKU.

    Changing what buyers read (name, description, category, weight) of a listed product sends it back
    to curation (status submitted): the catalogue only shows what a curator has seen. Prices and stock
    change freely, except that a listed product's price changing by more than half (`pricing`) raises
    `PriceJumpUnconfirmed` unless `price_jump_confirmed`, and a confirmed one is flagged to curation.
    """
    require_editor(actor, product.seller)
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
    jumps = []
    if variants is not None:
        _fill_skus(product.name, variants, exclude_product=product)
    if variants is not None and product.status == ProductStatus.APPROVED:
        jumps = pricing.price_jumps(product, {v.sku.strip(): v for v in variants})
        if jumps and not price_jump_confirmed:
            raise pricing.PriceJumpUnconfirmed(jumps)
    if changes and product.status == ProductStatus.APPROVED:
        changes["status"] = [product.status, ProductStatus.SUBMITTED]
        product.status, product.listed = ProductStatus.SUBMITTED, False
    if variants is not None:
        changes.update(_variants_replace(product, variants))
    if jumps:
        pricing.price_flags_record(product=product, jumps=jumps, actor=actor)
        changes["perubahan harga besar"] = [j.describe() for j in jumps]
    product.save()
    product_reindex(product)
    catalogue_changed()
    audit_log(
        actor=actor, action="product.update", obj=product, changes=changes, regency_code=product.seller.regency_id
    )
    return product


def _variants_replace(product: Product, variants: list[VariantData]) -> dict[str, Any]:
    _fill_skus(product.name, variants, exclude_product=product)
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
            changes[f"varian {sku}"] = [None, {"harga": data.price, "stok": data.stock, "berat": data.weight_grams}]
            continue
        before = {
            "nama": current.name,
            "harga": current.price,
            "stok": current.stock,
            "berat": current.weight_grams,
            "aktif": current.is_active,
        }
        current.name, current.price, current.stock, current.weight_grams = (
            data.name,
            data.price,
            data.stock,
            data.weight_grams,
        )
        current.is_active = True
        after = {
            "nama": current.name,
            "harga": current.price,
            "stok": current.stock,
            "berat": current.weight_grams,
            "aktif": True,
        }
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
def variant_set_stock(*, variant: Variant, stock: int, actor: Actor) -> Variant:
    """Set a variant's stock (a count the seller made); never below zero."""
    product = variant.product
    require_editor(actor, product.seller)
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
    *, product: Product, actor: Actor, allowed_from: set[str], to: str, action: str, curator: bool, note: str = ""
) -> Product:
    seller = product.seller
    if curator:
        require_curator(actor, seller.regency_id)
    else:
        require_editor(actor, seller)
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


def product_submit(*, product: Product, actor: Actor) -> Product:
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


def product_approve(*, product: Product, actor: Actor, note: str = "") -> Product:
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


def product_reject(*, product: Product, actor: Actor, reason: str) -> Product:
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


def product_delist(*, product: Product, actor: Actor, reason: str) -> Product:
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


def product_relist(*, product: Product, actor: Actor, note: str = "") -> Product:
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
