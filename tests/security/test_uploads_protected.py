"""Issue #15 C1/H3/item 4: uploads checked by content, stored privately under random names, served only by
views that check access, with a safe content type, nosniff and attachment for anything not an image."""

import io
import os
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from apps.core.uploads import (
    DOCUMENT_KINDS,
    IMAGE_KINDS,
    check_upload,
    move_stored_files,
    protected_file_response,
    protected_storage,
    simple_pdf,
)
from apps.koperasi import services as koperasi_services
from apps.koperasi.models import PembubaranLangkah
from apps.koperasi.tests.factories import make_koperasi
from apps.orders.models import Payment, PaymentStatus
from apps.orders.services.payments import payment_upload_proof
from apps.orders.tests.factories import make_seller, make_variant, place

HTML_AS_PDF = b"%PDF-1.4\n<html><script>document.title='XSS-'+document.domain</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def image_bytes(fmt: str, size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return out.getvalue()


def read_and_close(response) -> bytes:
    """The body of a FileResponse, then closed as a WSGI server would (without closing the test database)."""
    body = b"".join(response.streaming_content)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return body


def all_files(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("content", "kinds", "expected"),
    [
        (image_bytes("PNG"), DOCUMENT_KINDS, "png"),
        (image_bytes("JPEG"), DOCUMENT_KINDS, "jpeg"),
        (image_bytes("WEBP"), IMAGE_KINDS, "webp"),
        (image_bytes("WEBP"), DOCUMENT_KINDS, "kind"),  # WebP not asked for
        (simple_pdf("Surat"), DOCUMENT_KINDS, "pdf"),
        (simple_pdf("Surat"), IMAGE_KINDS, "kind"),
        (HTML_AS_PDF, DOCUMENT_KINDS, "kind"),  # the probe's payload: magic bytes are not a PDF
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", ("pdf",), "kind"),
        (SVG, DOCUMENT_KINDS, "kind"),
        (b"GIF89a" + b"\x00" * 20, DOCUMENT_KINDS, "kind"),
        (b"", DOCUMENT_KINDS, "empty"),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), DOCUMENT_KINDS, "size"),
    ],
    ids=[
        "png",
        "jpeg",
        "webp",
        "webp-not-allowed",
        "pdf",
        "pdf-not-image",
        "html-as-pdf",
        "pdf-no-pages",
        "svg",
        "fake-gif",
        "empty",
        "too-big",
    ],
)
def test_check_upload_decides_by_content(content, kinds, expected):
    upload = SimpleUploadedFile("bukti.png", content, content_type="image/png")
    if expected in ("png", "jpeg", "webp", "pdf"):
        assert check_upload(upload, kinds=kinds).kind == expected
    else:
        with pytest.raises(ValidationError) as exc:
            check_upload(upload, kinds=kinds)
        assert exc.value.code == expected


def test_images_are_re_encoded_so_appended_markup_and_exif_are_dropped():
    polyglot = image_bytes("PNG") + b"<html><script>alert(1)</script></html>"
    checked = check_upload(SimpleUploadedFile("x.png", polyglot), kinds=DOCUMENT_KINDS)
    assert checked.kind == "png" and b"<script>" not in checked.content
    assert Image.open(io.BytesIO(checked.content)).size == (40, 30)


@pytest.mark.django_db
def test_guest_html_proof_is_refused_and_nothing_is_stored(client, settings):
    payment = place([(make_variant(make_seller()), 1)])
    url = reverse("orders:payment", args=[payment.access_token])
    response = client.post(
        url, {"action": "proof", "proof": SimpleUploadedFile("bukti.html", HTML_AS_PDF, "image/jpeg")}
    )
    assert response.status_code == 200
    assert "Bukti harus berupa gambar JPG/PNG atau PDF." in response.content.decode()
    payment.refresh_from_db()
    assert (payment.status, payment.proof.name) == (PaymentStatus.PENDING, "")
    assert all_files(settings.MEDIA_ROOT) == [] and all_files(settings.PROTECTED_MEDIA_ROOT) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        ("bukti.pdf", simple_pdf("Transfer Rp10.000"), "application/pdf", "attachment"),
        ("bukti.html", image_bytes("PNG"), "image/png", "inline"),  # client's name ignored
        ("foto.jpeg", image_bytes("JPEG"), "image/jpeg", "inline"),
    ],
)
def test_proof_is_private_random_named_and_served_safely(
    client, settings, buyer, operator, other_operator, name, content, content_type, disposition
):
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile(name, content), actor=buyer)
    payment.refresh_from_db()
    stored = payment.proof.name
    assert stored.startswith("bukti-transfer/") and payment.code not in stored and "bukti" not in stored.rsplit("/")[-1]
    assert len(stored.rsplit("/", 1)[-1].split(".")[0]) == 32
    assert all_files(settings.MEDIA_ROOT) == []  # nothing under the public media root
    assert (Path(settings.PROTECTED_MEDIA_ROOT) / stored).is_file()
    with pytest.raises(ValueError):
        payment.proof.url  # noqa: B018 - protected files have no URL

    url = reverse("orders:transfer_proof", args=[payment.code])
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(buyer)
    assert client.get(url).status_code == 403
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    assert ".html" not in response["Content-Disposition"]
    assert read_and_close(response)[:4] in (b"%PDF", b"\x89PNG", b"\xff\xd8\xff\xdb", b"\xff\xd8\xff\xe0")


@pytest.mark.django_db
def test_second_proof_replaces_and_deletes_the_first(buyer, settings, django_capture_on_commit_callbacks):
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        payment_upload_proof(payment=payment, upload=SimpleUploadedFile("a.png", image_bytes("PNG")), actor=buyer)
    with django_capture_on_commit_callbacks(execute=True):
        payment_upload_proof(payment=payment, upload=SimpleUploadedFile("b.pdf", simple_pdf("x")), actor=buyer)
    payment.refresh_from_db()
    assert [p.name for p in all_files(settings.PROTECTED_MEDIA_ROOT)] == [payment.proof.name.rsplit("/", 1)[-1]]


@pytest.mark.django_db
def test_dissolution_letter_is_private_and_checked(client, settings, operator, other_operator, head):
    k = make_koperasi()
    with pytest.raises(ValidationError, match="Dokumen harus berkas PDF."):
        koperasi_services.pembubaran_start(
            koperasi=k,
            alasan="x",
            tanggal_pemberitahuan=date(2020, 1, 2),
            tanggal_diterima=date(2020, 1, 3),
            dokumen=SimpleUploadedFile("surat.pdf", HTML_AS_PDF),
            actor=operator,
        )
    proses = koperasi_services.pembubaran_start(
        koperasi=k,
        alasan="x",
        tanggal_pemberitahuan=date(2020, 1, 2),
        tanggal_diterima=date(2020, 1, 3),
        dokumen=SimpleUploadedFile("surat.pdf", simple_pdf("Pemberitahuan")),
        actor=operator,
    )
    langkah = PembubaranLangkah.objects.get(proses=proses)
    assert langkah.dokumen.name.startswith("koperasi/pembubaran/") and f"/{proses.pk}/" not in langkah.dokumen.name
    assert all_files(settings.MEDIA_ROOT) == []
    url = reverse("koperasi:pembubaran_dokumen", args=[langkah.pk])
    assert client.get(url).status_code == 302
    client.force_login(other_operator)
    assert client.get(url).status_code == 404
    client.force_login(head)
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert read_and_close(response).startswith(b"%PDF-")


@pytest.mark.django_db
def test_media_url_serves_nothing_private(client, settings, buyer):
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("a.png", image_bytes("PNG")), actor=buyer)
    payment.refresh_from_db()
    assert client.get(f"/media/{payment.proof.name}").status_code == 404


@pytest.mark.django_db
def test_data_migration_moves_public_files_to_random_private_names(settings, buyer):
    """Files uploaded before the change (public MEDIA_ROOT, client names) are moved; idempotent."""
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    old = storages["default"].save("bukti-transfer/2026/12/TT-1-bukti.html", ContentFile(image_bytes("PNG")))
    Payment.objects.filter(pk=payment.pk).update(proof=old)
    assert move_stored_files(Payment, "proof", prefix="bukti-transfer") == 1
    assert move_stored_files(Payment, "proof", prefix="bukti-transfer") == 0
    payment.refresh_from_db()
    assert payment.proof.name.startswith("bukti-transfer/") and payment.proof.name.endswith(".bin")
    assert all_files(settings.MEDIA_ROOT) == []
    assert protected_storage().exists(payment.proof.name)
    response = protected_file_response(payment.proof, download_name="bukti")
    assert (response["Content-Type"], response["Content-Disposition"].split(";")[0]) == (
        "application/octet-stream",
        "attachment",
    )
    read_and_close(response)
    assert move_stored_files(Payment, "proof", prefix="bukti-transfer", to_protected=False) == 1
    payment.refresh_from_db()
    assert storages["default"].exists(payment.proof.name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "header", "value"),
    [
        ("x-accel-redirect", "X-Accel-Redirect", "/_protected/{name}"),
        ("x-sendfile", "X-Sendfile", "{root}/{name}"),
    ],
)
def test_proxy_serving_modes(settings, buyer, mode, header, value):
    payment = place([(make_variant(make_seller()), 1)], buyer=buyer)
    payment_upload_proof(payment=payment, upload=SimpleUploadedFile("a.pdf", simple_pdf("x")), actor=buyer)
    payment.refresh_from_db()
    with override_settings(PROTECTED_FILES_SERVE=mode):
        response = protected_file_response(payment.proof, download_name="bukti")
    expected = value.format(name=payment.proof.name, root=os.path.abspath(settings.PROTECTED_MEDIA_ROOT))
    assert response[header] == expected and response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bukti.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
