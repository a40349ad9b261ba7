"""The Tuka-Tuku store catalogue (SPEC §6): sellers from the registry, curated products with variants."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SellerStatus(models.TextChoices):
    APPLIED = "diajukan", _("Diajukan")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    SUSPENDED = "ditangguhkan", _("Ditangguhkan")
    REJECTED = "ditolak", _("Ditolak")


class Seller(models.Model):
    """A registry business that sells through Tuka-Tuku."""

    REGENCY_FIELD = "regency"

    business = models.OneToOneField("umkm.Business", on_delete=models.PROTECT, related_name="seller")
    shop_name = models.CharField(_("nama toko"), max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(_("deskripsi"), blank=True)
    regency = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=15, choices=SellerStatus.choices, default=SellerStatus.APPLIED)
    status_note = models.CharField(_("catatan status"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("penjual")
        verbose_name_plural = _("penjual")
        indexes = [models.Index(fields=["regency", "status"], name="seller_regency_status_idx")]

    def __str__(self) -> str:
        return self.shop_name


class SellerRole(models.TextChoices):
    OWNER = "pemilik", _("Pemilik")
    STAFF = "staf", _("Staf")


class SellerMember(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_memberships")
    role = models.CharField(_("peran"), max_length=10, choices=SellerRole.choices, default=SellerRole.OWNER)

    class Meta:
        verbose_name = _("anggota toko")
        verbose_name_plural = _("anggota toko")
        constraints = [models.UniqueConstraint(fields=["seller", "user"], name="seller_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.seller}"


class Category(models.Model):
    name = models.CharField(_("nama"), max_length=80)
    slug = models.SlugField(max_length=90, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.name


class ProductStatus(models.TextChoices):
    """Curation: draft → submitted → approved (listed) or rejected with a reason; approved may be delisted."""

    DRAFT = "draf", _("Draf")
    SUBMITTED = "diajukan", _("Diajukan")
    APPROVED = "disetujui", _("Disetujui (tayang)")
    REJECTED = "ditolak", _("Ditolak")
    DELISTED = "diturunkan", _("Diturunkan")


class Product(models.Model):
    REGENCY_FIELD = "seller__regency"

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(_("nama produk"), max_length=200)
    slug = models.SlugField(max_length=220)
    description = models.TextField(_("deskripsi"), blank=True)
    weight_grams = models.PositiveIntegerField(_("berat (gram)"))
    status = models.CharField(_("status"), max_length=12, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)
    # Denormalised for the storefront: filters and sort without joins; kept by the services.
    # `listed`: approved and the shop verified (not suspended): what buyers see. Kept by the product and
    # seller status services, so the catalogue, its counts and the API never join the seller's status.
    listed = models.BooleanField(_("tayang"), default=False, editable=False)
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    min_price = models.BigIntegerField(_("harga mulai (Rp)"), default=0)
    search_text = models.TextField(editable=False, blank=True)
    # The seller's own product code (Shopee "SKU Induk"): groups variants on bulk upload and export.
    parent_sku = models.CharField(_("SKU induk"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    listed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        indexes = [
            models.Index(fields=["status", "category"], name="product_status_category_idx"),
            models.Index(fields=["listed", "category"], name="product_listed_category_idx"),
            models.Index(fields=["listed", "district"], name="product_listed_district_idx"),
            # The catalogue sorts (selectors.SORTS) end with the id: read in index order, no sort of the rows.
            models.Index(fields=["listed", "listed_at", "id"], name="product_listed_at_idx"),
            models.Index(fields=["listed", "min_price", "id"], name="product_listed_price_idx"),
            models.Index(fields=["listed", "name", "id"], name="product_listed_name_idx"),
        ]
        constraints = [
            # A product that is not approved is never shown, whatever its shop (the services clear the flag).
            models.CheckConstraint(
                condition=models.Q(listed=False) | models.Q(status=ProductStatus.APPROVED),
                name="product_listed_only_if_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Variant(models.Model):
    """What is actually sold and stocked: a product's size/flavour, with its SKU, price and stock."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("varian"), max_length=100, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    price = models.BigIntegerField(_("harga (Rp)"))
    stock = models.IntegerField(_("stok"), default=0)
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("varian")
        verbose_name_plural = _("varian")
        constraints = [
            models.CheckConstraint(condition=models.Q(stock__gte=0), name="variant_stock_nonnegative"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="variant_price_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.name}".strip()


def _photo_path(instance: "ProductPhoto", filename: str) -> str:
    return f"produk/{instance.product_id}/{filename}"


class ProductPhoto(models.Model):
    """A product photo, kept only as re-encoded thumbnails (the upload itself is not stored: no EXIF, no
    oversized originals on a phone link). `position` 0 is the cover shown in lists."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image_small = models.ImageField(upload_to=_photo_path, max_length=200)
    small_width = models.PositiveSmallIntegerField(default=0)
    small_height = models.PositiveSmallIntegerField(default=0)
    image_large = models.ImageField(upload_to=_photo_path, max_length=200)
    large_width = models.PositiveSmallIntegerField(default=0)
    large_height = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("keterangan foto"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")

    def __str__(self) -> str:
        return f"{self.product} #{self.position}"


class SearchTerm(models.Model):
    """The vocabulary of indexed words and stems, for typo tolerance (trigram similarity in Python,
    so SQLite and PostgreSQL give the same results). Only ever grows; kept by the product services."""

    term = models.CharField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("kata indeks")
        verbose_name_plural = _("kata indeks")

    def __str__(self) -> str:
        return self.term


class PriceChangeFlag(models.Model):
    """A listed product's variant price changed by more than half (down or up), confirmed by the editor.

    The product stays listed (a real price change must not wait), but its curators see the change in
    their queue until one of them marks it checked: "90.000" saved as Rp90 is caught by a person.
    """

    REGENCY_FIELD = "product__seller__regency"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="price_flags")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="price_flags")
    old_price = models.BigIntegerField(_("harga lama (Rp)"))
    new_price = models.BigIntegerField(_("harga baru (Rp)"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("perubahan harga besar")
        verbose_name_plural = _("perubahan harga besar")
        indexes = [models.Index(fields=["checked_at", "created_at"], name="priceflag_open_idx")]

    def __str__(self) -> str:
        return f"{self.variant}: {self.old_price} → {self.new_price}"
