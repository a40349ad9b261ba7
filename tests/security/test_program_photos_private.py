"""Issue #12 / #15: packaging-aid photos (apps/program) are checked by content, stored in the protected
storage under random names, never under the public media URL, and served only by the view that checks
access: 404 to anyone who may not see them (anonymous, a buyer, another owner, an operator of another
regency), the image with nosniff to the owner and the officers of the activity's regency, and to everybody
only once the delivery is linked to a listed store product (its public page shows before/after)."""

import io
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.program import packaging
from apps.program.models import ApplicationPhoto, Kind, Programme
from apps.program.tests.test_packaging import read_and_close
from apps.store.tests.factories import make_seller

pytestmark = pytest.mark.django_db

PHP_AS_JPEG = b"\xff\xd8\xff\xe0<?php system($_GET['c']); ?>"


def png(color="#a52", appended=b""):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="PNG")
    return SimpleUploadedFile("../../kemasan.html", out.getvalue() + appended, content_type="text/html")


def files(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def application(make_user):
    call = Programme.objects.create(
        regency_id="33.03",
        code="KMS-SEC",
        kind=Kind.PACKAGING,
        title="Bantuan Kemasan",
        start_date=date(2026, 4, 1),
        end_date=timezone.localdate() + timedelta(days=30),
    )
    owner = make_user("pemilik_kemasan", role="mitra_umkm")
    seller = make_seller(shop_name="Gula Semut Bu Tini", owner=owner)
    application = packaging.application_submit(
        programme=call,
        business=seller.business,
        product=None,
        product_name="Gula semut",
        need="Standing pouch",
        quantity=100,
        estimated_cost=1_000_000,
        photos=[png(appended=b"<script>alert(1)</script>")],
        actor=owner,
        source="daring",
    )
    return application, owner


def test_photo_is_private_random_named_and_re_encoded(settings, application, client):
    app, _owner = application
    photo = app.photos.get()
    name = photo.image.name
    assert name.startswith("program/foto/") and name.endswith(".jpg") and "kemasan" not in name
    assert files(settings.MEDIA_ROOT) == []  # nothing under the public media root
    stored = Path(settings.PROTECTED_MEDIA_ROOT) / name
    assert stored.read_bytes()[:3] == b"\xff\xd8\xff" and b"<script>" not in stored.read_bytes()
    with pytest.raises(ValueError):
        photo.image.url  # noqa: B018 - protected files have no URL
    # the public media URL of the stored name serves nothing
    assert client.get(settings.MEDIA_URL + name).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 404),
        ("buyer", 404),
        ("other_owner", 404),
        ("other_operator", 404),
        ("owner", 200),
        ("operator", 200),
    ],
)
def test_photo_view_checks_access(client, make_user, application, operator, other_operator, buyer, who, expected):
    app, owner = application
    photo = app.photos.get()
    users = {
        "buyer": buyer,
        "other_owner": make_user("pemilik_lain", role="mitra_umkm"),
        "other_operator": other_operator,
        "owner": owner,
        "operator": operator,
    }
    make_seller(shop_name="Toko Lain", owner=users["other_owner"])
    if who != "anonymous":
        client.force_login(users[who])
    response = client.get(reverse("program:photo", args=[photo.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("inline")
        assert read_and_close(response)[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize("content", [PHP_AS_JPEG, b"", b"%PDF-1.4\n<html></html>"], ids=["php", "empty", "html-pdf"])
def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_stored(settings, client, make_user, content):
    call = Programme.objects.create(
        regency_id="33.03",
        code="KMS-SEC2",
        kind=Kind.PACKAGING,
        title="Bantuan Kemasan",
        start_date=date(2026, 4, 1),
        end_date=timezone.localdate() + timedelta(days=30),
    )
    owner = make_user("pemilik_x", role="mitra_umkm")
    make_seller(shop_name="Toko X", owner=owner)
    client.force_login(owner)
    response = client.post(
        reverse("program:my_apply", args=[call.pk]),
        {
            "product_name": "Gula",
            "need": "Pouch",
            "quantity": "10",
            "estimated_cost": "90.000",
            "photos": SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert not ApplicationPhoto.objects.exists() and not call.participants.exists()
    assert files(settings.MEDIA_ROOT) == [] and files(settings.PROTECTED_MEDIA_ROOT) == []


def test_one_bad_photo_among_good_ones_stores_none_of_them(settings, operator):
    call = Programme.objects.create(
        regency_id="33.03",
        code="KMS-SEC3",
        kind=Kind.PACKAGING,
        title="Bantuan Kemasan",
        start_date=date(2026, 4, 1),
        end_date=timezone.localdate() + timedelta(days=30),
    )
    bad = SimpleUploadedFile("b.jpg", PHP_AS_JPEG, content_type="image/jpeg")
    with pytest.raises(ValidationError, match="bukan gambar"):
        packaging.application_submit(
            programme=call,
            business=make_seller(shop_name="Toko Y").business,
            product=None,
            product_name="Gula",
            need="Pouch",
            quantity=10,
            estimated_cost=10_000,
            photos=[png(), png("#333"), bad],
            actor=operator,
            source="operator",
        )
    assert files(settings.PROTECTED_MEDIA_ROOT) == [] and not ApplicationPhoto.objects.exists()
    # a failure after the files were written (here: the audit entry) removes them again
    failing = mock.patch("apps.program.packaging.audit_log", side_effect=RuntimeError("audit down"))
    with failing, pytest.raises(RuntimeError):
        packaging.application_submit(
            programme=call,
            business=make_seller(shop_name="Toko Z").business,
            product=None,
            product_name="Gula",
            need="Pouch",
            quantity=10,
            estimated_cost=10_000,
            photos=[png(), png("#333")],
            actor=operator,
            source="operator",
        )
    assert files(settings.PROTECTED_MEDIA_ROOT) == [] and not ApplicationPhoto.objects.exists()
