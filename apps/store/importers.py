"""Bulk product upload from the Shopee and Tokopedia mass-upload templates (kinds `produk_shopee`,
`produk_tokopedia`), through the shared import framework.

Products arrive as drafts of the chosen shop (the seller then submits them for curation): on the web the
upload form's shop (option `seller`, its id), on the command line `--toko SLUG` (option `toko`, the shop's
address as in /toko/penjual/SLUG/; the command acts as the system, trusted like the shop's owner). A
missing or unknown shop stops the run before the file is read. A variant is
identified by its SKU: importing the same file again changes nothing; a changed price or stock updates
the variant (and, for a listed product, only name/description/category/weight changes send it back to
curation, as in the product form). A SKU that belongs to another shop is rejected with its row.
"""

from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.selectors import user_regency_codes
from apps.core.actors import COMMAND_LINE, Actor, actor_user
from apps.core.roles import STAFF, Role
from apps.imports.framework import Counts, Importer, RowError, register_importer
from apps.imports.parsing import parse_int, parse_rupiah
from apps.imports.readers import FileUnreadable
from apps.store import services
from apps.store.models import Category, Product, Seller, SellerMember, Variant
from apps.store.services import VariantData

FALLBACK_CATEGORY = ("lainnya", "Lainnya")


class ProductImportOptionsForm(forms.Form):
    seller = forms.ChoiceField(label=gettext_lazy("Toko"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shops = Seller.objects.filter(members__user=user)
        codes = user_regency_codes(user)
        if user.has_role(*STAFF):
            shops = Seller.objects.all() if codes is None else Seller.objects.filter(regency_id__in=codes)
        field = self.fields["seller"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(s.pk), s.shop_name) for s in shops.order_by("shop_name")[:500]]


class _ProductImporter(Importer):
    roles = (*STAFF, Role.SELLER)
    options_form = ProductImportOptionsForm
    batch_size = 500
    # canonical column -> field of the clean row
    fields: dict[str, str]
    scope_note = (
        "products are matched only inside the chosen shop, which prepare() checks the uploader manages; they "
        "are written through store.services.product_create/product_update, which check and audit each one"
    )

    def __init__(self, *, options: dict[str, Any], actor: Actor | None) -> None:
        super().__init__(options=options, actor=actor)
        self.seller = self._target_shop(options)

    @staticmethod
    def _target_shop(options: dict[str, Any]) -> Seller:
        """The shop named by `toko` (slug, command line) or `seller` (id, upload form)."""
        slug = str(options.get("toko") or "").strip()
        if slug:
            seller = Seller.objects.filter(slug=slug).first()
            if seller is None:
                raise FileUnreadable(
                    _("Toko tidak dikenal: %(s)s. Tulis alamat toko seperti di /toko/penjual/<alamat>/.") % {"s": slug}
                )
            return seller
        pk = str(options.get("seller") or "").strip()
        seller = Seller.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        if seller is None:
            raise FileUnreadable(
                _(
                    "Toko tujuan belum dipilih: tulis --toko <alamat toko> di baris perintah "
                    "(mis. --toko rajut-bu-sri) atau pilih toko di halaman unggah."
                )
            )
        return seller

    def options_key(self) -> str:
        # The same shop by slug or by id is the same run (a command may resume an upload and back).
        return f"seller:{self.seller.pk}"

    def prepare(self) -> None:
        # A refused run rejects every row with the reason (the file stays unread rather than half-imported).
        seller = self.seller
        self.refusal = ""
        if not (
            self.actor is COMMAND_LINE
            or SellerMember.objects.filter(seller=seller, user=actor_user(self.actor)).exists()
            or services.is_curator_of(self.actor, seller.regency_id)
        ):
            self.refusal = _("Anda bukan pengelola toko ini")
        self.categories = {c.name.lower(): c for c in Category.objects.all()}
        self.categories.update({c.slug: c for c in self.categories.values()})
        self.foreign_skus = set(Variant.objects.exclude(product__seller=seller).values_list("sku", flat=True))
        self.seen_skus: set[str] = set()

    def _editor(self) -> Actor:
        """Who writes the products: the uploader or the command line (prepare() refused anyone else)."""
        if self.actor is None:
            raise PermissionDenied
        return self.actor

    def _category(self, text: str) -> Category:
        # Marketplace categories are paths ("Makanan & Minuman/Makanan Ringan"): try the most specific part.
        for part in reversed([p.strip().lower() for p in text.replace(">", "/").split("/") if p.strip()]):
            if part in self.categories:
                return self.categories[part]
        slug, name = FALLBACK_CATEGORY
        if slug not in self.categories:
            self.categories[slug] = Category.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        return self.categories[slug]

    def validate(self, row: dict[str, str]) -> tuple[Any, list[RowError]]:
        col = {v: k for k, v in self.fields.items()}
        if self.refusal:
            return None, [RowError(col["name"], self.refusal)]
        errors: list[RowError] = []
        name = row.get(col["name"], "").strip()
        sku = row.get(col["sku"], "").strip()
        if not name:
            errors.append(RowError(col["name"], _("nama produk wajib diisi")))
        elif len(name) > 200:
            errors.append(RowError(col["name"], _("nama produk lebih dari 200 huruf")))
        if not sku:
            errors.append(RowError(col["sku"], _("SKU wajib diisi")))
        elif len(sku) > 64:
            errors.append(RowError(col["sku"], _("SKU lebih dari 64 huruf")))
        elif sku in self.foreign_skus:
            errors.append(RowError(col["sku"], _("SKU %(s)s sudah dipakai toko lain") % {"s": sku}))
        elif sku in self.seen_skus:
            errors.append(RowError(col["sku"], _("SKU %(s)s muncul dua kali di berkas") % {"s": sku}))
        clean: dict[str, Any] = {"name": name, "sku": sku}
        for key, parse, label in (
            ("price", lambda t: parse_rupiah(t), "price"),
            ("stock", lambda t: parse_int(t, minimum=0), "stock"),
            ("weight", lambda t: parse_int(t, minimum=1) if t.strip() else 100, "weight"),
        ):
            column = col[label]
            try:
                clean[key] = parse(row.get(column, ""))
            except ValueError as exc:
                errors.append(RowError(column, str(exc)))
        if "price" in clean and clean["price"] <= 0:
            errors.append(RowError(col["price"], _("harga harus lebih dari Rp0")))
        if errors:
            return None, errors
        self.seen_skus.add(sku)
        clean["description"] = row.get(col.get("description", ""), "").strip()
        clean["category"] = row.get(col.get("category", ""), "").strip()
        clean["variant"] = row.get(col.get("variant", ""), "").strip()[:100]
        clean["parent"] = (row.get(col.get("parent", ""), "").strip() or sku)[:64]
        return clean, []

    def write_batch(self, rows: list[tuple[int, Any]]) -> Counts:
        counts = Counts()
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _number, clean in rows:
            groups[clean["parent"]].append(clean)
        existing = {
            p.parent_sku: p
            for p in Product.objects.filter(seller=self.seller, parent_sku__in=list(groups)).prefetch_related(
                "variants"
            )
        }
        for parent, items in groups.items():
            first = items[0]
            category = self._category(first["category"])
            incoming = [VariantData(i["variant"], i["sku"], i["price"], i["stock"]) for i in items]
            product = existing.get(parent)
            if product is None:
                product = services.product_create(
                    seller=self.seller,
                    category=category,
                    name=first["name"],
                    description=first["description"],
                    weight_grams=first["weight"],
                    variants=incoming,
                    actor=self._editor(),
                )
                Product.objects.filter(pk=product.pk).update(parent_sku=parent)
                counts.created += len(items)
                continue
            current = {v.sku: v for v in product.variants.all() if v.is_active}
            unchanged_rows = sum(
                1
                for i in items
                if i["sku"] in current
                and (current[i["sku"]].name, current[i["sku"]].price, current[i["sku"]].stock)
                == (i["variant"], i["price"], i["stock"])
            )
            same_product = (product.name, product.description, product.category_id, product.weight_grams) == (
                first["name"],
                first["description"],
                category.pk,
                first["weight"],
            )
            if same_product and unchanged_rows == len(items):
                counts.unchanged += len(items)
                continue
            merged = {sku: VariantData(v.name, sku, v.price, v.stock, v.weight_grams) for sku, v in current.items()}
            merged.update({v.sku: v for v in incoming})
            try:
                services.product_update(
                    product=product,
                    actor=self._editor(),
                    name=first["name"],
                    description=first["description"],
                    category=category,
                    weight_grams=first["weight"],
                    variants=list(merged.values()),
                    # The file says what the prices are; a large change is still flagged to curation.
                    price_jump_confirmed=True,
                )
            except PermissionDenied:  # checked in prepare(); a role change mid-run stops the batch
                raise
            counts.updated += len(items) - unchanged_rows
            counts.unchanged += unchanged_rows
        return counts


@register_importer
class ShopeeProductImporter(_ProductImporter):
    kind = "produk_shopee"
    label = gettext_lazy("Produk dari templat Upload Massal Shopee")  # type: ignore[assignment]
    columns = {
        "Nama Produk": True,
        "Kode Variasi": True,
        "Harga": True,
        "Stok": True,
        "Kategori": False,
        "Deskripsi Produk": False,
        "SKU Induk": False,
        "Varian untuk Variasi 1": False,
        "Berat": False,
    }
    aliases = {
        "Nama Produk*": "Nama Produk",
        "Harga*": "Harga",
        "Stok*": "Stok",
        "Kategori*": "Kategori",
        "Deskripsi Produk*": "Deskripsi Produk",
        "Berat*": "Berat",
        "Berat (gram)": "Berat",
        "SKU": "Kode Variasi",
        "Nomor Referensi SKU": "Kode Variasi",
    }
    fields = {
        "Nama Produk": "name",
        "Kode Variasi": "sku",
        "Harga": "price",
        "Stok": "stock",
        "Kategori": "category",
        "Deskripsi Produk": "description",
        "SKU Induk": "parent",
        "Varian untuk Variasi 1": "variant",
        "Berat": "weight",
    }


@register_importer
class TokopediaProductImporter(_ProductImporter):
    kind = "produk_tokopedia"
    label = gettext_lazy("Produk dari templat Tambah Produk Sekaligus Tokopedia")  # type: ignore[assignment]
    columns = {
        "Nama Produk": True,
        "SKU Name": True,
        "Harga (Rp)": True,
        "Jumlah Stok": True,
        "Kategori": False,
        "Deskripsi Produk": False,
        "Berat (Gram)": False,
    }
    aliases = {
        "Nama Produk*": "Nama Produk",
        "Harga (Rp)*": "Harga (Rp)",
        "Jumlah Stok*": "Jumlah Stok",
        "Berat* (Gram)": "Berat (Gram)",
        "Kategori Kode*": "Kategori",
        "SKU": "SKU Name",
        "Nomor SKU": "SKU Name",
    }
    fields = {
        "Nama Produk": "name",
        "SKU Name": "sku",
        "Harga (Rp)": "price",
        "Jumlah Stok": "stock",
        "Kategori": "category",
        "Deskripsi Produk": "description",
        "Berat (Gram)": "weight",
    }
