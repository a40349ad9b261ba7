"""Writes of the store (SPEC §6), by subject: access checks, sellers, products and variants, photos.

Every service runs in one transaction and writes one audit entry. The product services keep the
denormalised storefront columns (district, min_price, search_text) in step, and the product and seller
status services keep `Product.listed` (approved and the shop verified); nothing else writes them.
Every public name stays importable from `apps.store.services`.
"""

from apps.store.selectors import is_curator_of, is_member_of
from apps.store.services.access import require_curator, require_editor
from apps.store.services.photos import (
    MAX_PHOTOS,
    PHOTO_FORMATS,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
    PHOTO_SIZES,
    photo_add,
    photo_delete,
)
from apps.store.services.products import (
    CONTENT_FIELDS,
    VariantData,
    product_approve,
    product_create,
    product_delist,
    product_reindex,
    product_reject,
    product_relist,
    product_submit,
    product_update,
    terms_store,
    variant_set_stock,
)
from apps.store.services.sellers import (
    APPLICATION_MISMATCH,
    seller_apply,
    seller_enrol,
    seller_member_add,
    seller_member_remove,
    seller_reinstate,
    seller_reject,
    seller_suspend,
    seller_verify,
)

__all__ = [
    "APPLICATION_MISMATCH",
    "CONTENT_FIELDS",
    "MAX_PHOTOS",
    "PHOTO_FORMATS",
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_PIXELS",
    "PHOTO_SIZES",
    "VariantData",
    "is_curator_of",
    "is_member_of",
    "photo_add",
    "photo_delete",
    "product_approve",
    "product_create",
    "product_delist",
    "product_reindex",
    "product_reject",
    "product_relist",
    "product_submit",
    "product_update",
    "require_curator",
    "require_editor",
    "seller_apply",
    "seller_enrol",
    "seller_member_add",
    "seller_member_remove",
    "seller_reinstate",
    "seller_reject",
    "seller_suspend",
    "seller_verify",
    "terms_store",
    "variant_set_stock",
]
