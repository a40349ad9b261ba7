"""Uploaded files, one mechanism for every domain (transfer proofs, dissolution letters, loan and programme
documents, competency-test evidence, import files).

1. **Check by content**: `check_upload(upload, kinds=...)` decodes images with Pillow (and re-encodes them,
   which drops EXIF such as a phone's GPS position and anything appended to the pixels) and parses PDFs with
   pypdf; the client's file name and declared type are never trusted. A form field that does the same at
   form level: `CheckedFileField(kinds=...)`. Services call `check_upload` themselves as well (the service is
   where the rule lives; demo data and commands do not go through forms).
2. **Store privately under a random name**: a model field `ProtectedFileField(upload_to="prefix")` keeps
   files in the `protected` storage (`settings.PROTECTED_MEDIA_ROOT`, never under a URL) as
   `prefix/YYYY/MM/<random>.<ext>`, the extension being the one the content check decided.
   Save with `field_file.save(checked.name, checked.file, save=False)`.
3. **Serve through a view that checks access**: `protected_file_response(field_file, download_name=...)`
   answers with the content type of the checked kind, `X-Content-Type-Options: nosniff`, `Cache-Control:
   private, no-store`, a sandboxing Content-Security-Policy and `Content-Disposition: attachment` for
   anything that is not an image. `settings.PROTECTED_FILES_SERVE` chooses how the bytes leave:
   `django` (streamed by the application, the default), `x-accel-redirect` (nginx `internal` location at
   `PROTECTED_FILES_INTERNAL_URL`), `x-sendfile` (Apache mod_xsendfile) or `signed-url` (a redirect to a
   short-lived signed URL of object storage, e.g. django-storages' S3 backend configured as
   `STORAGES["protected"]` with `querystring_auth=True`; `PROTECTED_FILES_URL_SECONDS`).

Product photos are the one public upload: they are decoded and re-encoded to WebP by the store's service
and live in the public `MEDIA_ROOT`.
"""

import io
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

# kind -> (stored extension, content type)
KINDS: dict[str, tuple[str, str]] = {
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "webp": ("webp", "image/webp"),
    "pdf": ("pdf", "application/pdf"),
    "csv": ("csv", "text/csv"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
IMAGE_KINDS = ("jpeg", "png", "webp")
DOCUMENT_KINDS = ("jpeg", "png", "pdf")  # a scan or photo of a letter, or the letter itself
CONTENT_TYPE_BY_EXTENSION = dict(KINDS.values())
INLINE_EXTENSIONS = {KINDS[k][0] for k in IMAGE_KINDS}

_KIND_LABELS = {"jpeg": "JPG", "png": "PNG", "webp": "WebP", "pdf": "PDF", "csv": "CSV", "xlsx": "XLSX"}
_PILLOW_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class CheckedFile:
    """What `check_upload` found: the kind, and the bytes to store (re-encoded for images)."""

    kind: str
    content: bytes

    @property
    def extension(self) -> str:
        return KINDS[self.kind][0]

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][1]

    @property
    def name(self) -> str:
        """A server-chosen name; `ProtectedFileField` randomises it again and keeps only the extension."""
        return f"{uuid.uuid4().hex}.{self.extension}"

    @property
    def file(self) -> ContentFile:
        return ContentFile(self.content, name=self.name)


def kinds_label(kinds: tuple[str, ...]) -> str:
    labels = [_KIND_LABELS[k] for k in kinds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + _(" atau ") + labels[-1]


def _wrong_kind(kinds: tuple[str, ...]) -> ValidationError:
    return ValidationError(
        _("Berkas harus berupa %(kinds)s yang dapat dibaca.") % {"kinds": kinds_label(kinds)}, code="kind"
    )


def _check_image(data: bytes, kinds: tuple[str, ...]) -> CheckedFile | None:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = _PILLOW_FORMATS.get(probe.format or "")
            if kind is None or kind not in kinds:
                return None
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("Ukuran gambar terlalu besar."), code="pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            decoded = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind == "jpeg":
                decoded.convert("RGB").save(out, format="JPEG", quality=90)
            elif kind == "png":
                decoded.save(out, format="PNG", optimize=False)
            else:
                decoded.save(out, format="WEBP", quality=90)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return CheckedFile(kind=kind, content=out.getvalue())


def _check_pdf(data: bytes) -> CheckedFile | None:

    if not data.startswith(b"%PDF-"):
        return None
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)  # scanners write imperfect xrefs
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(_("PDF terkunci kata sandi; unggah PDF tanpa kata sandi."), code="encrypted")
        if len(reader.pages) < 1:
            return None
        reader.pages[0].mediabox  # noqa: B018 - the first page must parse, not only the trailer
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        return None
    return CheckedFile(kind="pdf", content=data)


def check_upload(
    upload: Any,
    *,
    kinds: tuple[str, ...],
    max_bytes: int = MAX_UPLOAD_BYTES,
    messages: Mapping[str, Any] | None = None,
) -> CheckedFile:
    """Read at most `max_bytes` of an upload and decide its kind by decoding it. Raises ValidationError
    (Indonesian) when it is too large (code "size"), empty ("empty"), none of `kinds` ("kind") or a locked
    PDF ("encrypted"); `messages` replaces the text for a code with the domain's own words. Images come
    back re-encoded."""
    try:
        return _check(upload, kinds=kinds, max_bytes=max_bytes)
    except ValidationError as exc:
        if messages and exc.code and exc.code in messages:
            raise ValidationError(messages[exc.code], code=exc.code) from exc
        raise


def _check(upload: Any, *, kinds: tuple[str, ...], max_bytes: int) -> CheckedFile:
    size = getattr(upload, "size", None)
    too_large = ValidationError(
        _("Berkas terlalu besar (maksimal %(mb)s MB).") % {"mb": max_bytes // (1024 * 1024)}, code="size"
    )
    if size is not None and size > max_bytes:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise too_large
    if not data:
        raise ValidationError(_("Berkas kosong."), code="empty")
    checked: CheckedFile | None = None
    if any(k in IMAGE_KINDS for k in kinds):
        checked = _check_image(data, kinds)
    if checked is None and "pdf" in kinds:
        checked = _check_pdf(data)
    if checked is None:
        raise _wrong_kind(kinds)
    return checked


class CheckedFileField(forms.FileField):
    """A form file field that accepts only `kinds`, judged by content (see `check_upload`).
    `cleaned_data[name]` is the upload itself; the service checks it again before storing."""

    def __init__(
        self,
        *args: Any,
        kinds: tuple[str, ...],
        max_bytes: int = MAX_UPLOAD_BYTES,
        messages: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.kinds, self.max_bytes, self.messages = kinds, max_bytes, messages
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{KINDS[k][0]},{KINDS[k][1]}" for k in kinds))

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and upload is not initial:
            try:
                check_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes, messages=self.messages)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from exc
        return upload


# --- private storage ------------------------------------------------------------------------------------


class ProtectedFileSystemStorage(FileSystemStorage):
    """Files that no URL serves: `settings.PROTECTED_MEDIA_ROOT` (outside `MEDIA_ROOT`)."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        kwargs.pop("base_url", None)
        super().__init__(location=location, **kwargs)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(self._value_or_setting(self._location, settings.PROTECTED_MEDIA_ROOT))  # type: ignore[attr-defined]

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("protected files have no URL; serve them with apps.core.uploads.protected_file_response")


def protected_storage() -> Storage:
    return storages["protected"]


class ProtectedFileField(models.FileField):
    """A FileField in the protected storage under a random name: `upload_to` is a folder prefix; the
    stored name is `prefix/YYYY/MM/<random hex>.<ext>`, where ext is kept only if it is a known kind
    (the content check decided it), else `bin` (served as an octet-stream attachment)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("storage", protected_storage)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def generate_filename(self, instance: Any, filename: "str | os.PathLike[str]") -> str:
        return random_name(str(self.upload_to), str(filename))


def random_name(prefix: str, filename: str) -> str:
    """`prefix/YYYY/MM/<32 random hex>.<ext>`; ext from `filename` only when it is a known kind, else `bin`."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in CONTENT_TYPE_BY_EXTENSION:
        ext = "bin"
    return f"{prefix.strip('/') or 'berkas'}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


def move_stored_files(model: Any, field_name: str, *, prefix: str, to_protected: bool = True) -> int:
    """Data migrations: move the files of `model.field_name` from the public storage (MEDIA_ROOT) to the
    protected one under random names (or back, unchanged names, for the reverse). Idempotent: a name
    missing from the source is left as it is. Returns how many files moved."""
    public = storages["default"]
    source, target = (public, protected_storage()) if to_protected else (protected_storage(), public)
    moved = 0
    for pk, name in model.objects.exclude(**{field_name: ""}).values_list("pk", field_name).iterator():
        if not source.exists(name):
            continue
        if to_protected:
            new = random_name(prefix, name)
        else:
            new = name
        with source.open(name, "rb") as fh:
            new = target.save(new, fh)
        model.objects.filter(pk=pk).update(**{field_name: new})
        source.delete(name)
        moved += 1
    return moved


# --- serving ----------------------------------------------------------------------------------------------

SANDBOX_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def _safe_download_name(download_name: str, ext: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in download_name.rsplit(".", 1)[0])[:80]
    return f"{stem.strip('-') or 'berkas'}.{ext}"


def protected_file_response(
    field_file: Any, *, download_name: str, storage: Storage | None = None
) -> HttpResponse | FileResponse:
    """The response for a protected file, to be returned by a view that has checked access.

    `field_file` is a FieldFile of a `ProtectedFileField`, or a name in `storage` (default: the protected
    storage). The content type follows the stored extension (decided by the content check), never the
    client's name; anything not an image is an attachment."""
    name = field_file.name if hasattr(field_file, "name") else str(field_file)
    storage = storage or getattr(field_file, "storage", None) or protected_storage()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    content_type = CONTENT_TYPE_BY_EXTENSION.get(ext, "application/octet-stream")
    inline = ext in INLINE_EXTENSIONS
    filename = _safe_download_name(download_name, ext)
    disposition = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    # the proxy / object-storage modes know only the protected storage; any other storage is streamed
    mode = settings.PROTECTED_FILES_SERVE if storage is protected_storage() else "django"
    response: HttpResponse | FileResponse
    if mode == "signed-url":
        # object storage: the URL is short-lived and carries the disposition and type it must answer with
        response = HttpResponseRedirect(
            storage.url(  # type: ignore[call-arg]
                name,
                parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
                expire=int(getattr(settings, "PROTECTED_FILES_URL_SECONDS", 60)),
            )
        )
    elif mode == "x-accel-redirect":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PROTECTED_FILES_INTERNAL_URL.rstrip("/") + "/" + name
        response["Content-Disposition"] = disposition
    elif mode == "x-sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = storage.path(name)
        response["Content-Disposition"] = disposition
    else:
        try:
            fh = storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(fh, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Referrer-Policy"] = "no-referrer"
    return response


def simple_pdf(*lines: str) -> bytes:
    """A real one-page PDF with the given lines (demo documents and tests)."""

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)
    for i, line in enumerate(lines or ("Dokumen",)):
        page.drawString(72, 770 - 16 * i, line)
    page.save()
    return out.getvalue()
