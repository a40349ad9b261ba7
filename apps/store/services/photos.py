"""Writes of the store's product photos: checked uploads stored as WebP thumbnails."""

import io
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.audit.services import audit_log
from apps.core.actors import Actor
from apps.store.cache import catalogue_changed
from apps.store.models import Product, ProductPhoto, ProductStatus
from apps.store.services.access import require_editor

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_SIZES = {"small": 320, "large": 800}
MAX_PHOTOS = 8


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
def photo_add(*, product: Product, upload: Any, actor: Actor, alt_text: str = "") -> ProductPhoto:
    """Store a photo as 320px and 800px WebP thumbnails. A new photo of a listed product needs curation."""
    require_editor(actor, product.seller)
    if product.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("Maksimal %(n)s foto per produk.") % {"n": MAX_PHOTOS})
    image = _read_image(upload)
    position = product.photos.count()
    photo = ProductPhoto(product=product, alt_text=alt_text[:200] or product.name[:200], position=position)
    stem = f"{product.pk}-{uuid.uuid4().hex}"  # public, so not guessable (drafts are not listed)
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
def photo_delete(*, photo: ProductPhoto, actor: Actor) -> None:
    product = photo.product
    require_editor(actor, product.seller)
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
