"""The Shopee and Tokopedia mass-upload templates: column sets shared by the importers and the export.

Shopee (Seller Centre, "Upload Massal", Indonesian): one row per variant; rows with the same
`SKU Induk` are one product. Tokopedia ("Tambah Produk Sekaligus"): one row per product (one variant).
Headers marked `*` in the marketplaces' files are matched without the star (aliases).
"""

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.spreadsheets import xlsx_append

SHOPEE_COLUMNS = [
    "Kategori",
    "Nama Produk",
    "Deskripsi Produk",
    "SKU Induk",
    "Nama Variasi 1",
    "Varian untuk Variasi 1",
    "Harga",
    "Stok",
    "Kode Variasi",
    "Foto Sampul",
    "Foto Produk 1",
    "Foto Produk 2",
    "Berat",
]
TOKOPEDIA_COLUMNS = [
    "Nama Produk",
    "Deskripsi Produk",
    "Kategori",
    "Berat (Gram)",
    "Minimum Pemesanan",
    "Kondisi",
    "Gambar 1",
    "Gambar 2",
    "SKU Name",
    "Status",
    "Jumlah Stok",
    "Harga (Rp)",
]
FORMATS = {"shopee": SHOPEE_COLUMNS, "tokopedia": TOKOPEDIA_COLUMNS}


def _rows_shopee(product: Any, photo_urls: list[str]) -> list[list[Any]]:
    variants = list(product.variants.all())
    parent = product.parent_sku or f"TT-{product.pk}"
    has_variation = len(variants) > 1 or bool(variants and variants[0].name)
    return [
        [
            product.category.name,
            product.name,
            product.description,
            parent,
            _("Varian") if has_variation else "",
            v.name if has_variation else "",
            v.price,
            v.stock,
            v.sku,
            photo_urls[0] if photo_urls else "",
            photo_urls[1] if len(photo_urls) > 1 else "",
            photo_urls[2] if len(photo_urls) > 2 else "",
            v.weight_grams or product.weight_grams,
        ]
        for v in variants
    ]


def _rows_tokopedia(product: Any, photo_urls: list[str]) -> list[list[Any]]:
    # Tokopedia's mass upload has no variations: each variant becomes its own listing.
    return [
        [
            f"{product.name} {v.name}".strip() if len(product.variants.all()) > 1 else product.name,
            product.description,
            product.category.name,
            v.weight_grams or product.weight_grams,
            1,
            "Baru",
            photo_urls[0] if photo_urls else "",
            photo_urls[1] if len(photo_urls) > 1 else "",
            v.sku,
            "Aktif" if v.stock > 0 else "Nonaktif",
            v.stock,
            v.price,
        ]
        for v in product.variants.all()
    ]


def catalogue_xlsx(*, products: Any, fmt: str, absolute: Any) -> bytes:
    """The products (with prefetched variants and photos) as the marketplace's template, one sheet."""
    columns = FORMATS[fmt]
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = "Template"
    xlsx_append(ws, columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    make_rows = _rows_shopee if fmt == "shopee" else _rows_tokopedia
    for product in products:
        urls = [absolute(ph.image_large.url) for ph in product.photos.all()]
        for row in make_rows(product, urls):
            xlsx_append(ws, row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
