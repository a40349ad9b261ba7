import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.audit.models import AuditEntry
from apps.core.nik import nik_decrypt
from apps.store import services
from apps.store.models import Product, ProductStatus, Seller, SellerMember, SellerStatus, Variant
from apps.store.services import VariantData
from apps.store.tests.factories import image_bytes, make_business, make_category, make_product, make_seller

pytestmark = pytest.mark.django_db


def nik_of(business) -> str:
    return nik_decrypt(business.owner.nik_ciphertext)


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_business_applies_and_operator_verifies(buyer, operator):
    business = make_business(name="Rajut Bu Sri")
    seller = services.seller_apply(business=business, shop_name="Rajut Bu Sri", actor=buyer, owner_nik=nik_of(business))
    assert (seller.status, seller.regency_id, seller.district_id, seller.slug) == (
        SellerStatus.APPLIED,
        "33.03",
        "33.03.01",
        "rajut-bu-sri",
    )
    services.seller_verify(seller=seller, actor=operator)
    buyer.refresh_from_db()
    assert Seller.objects.get().status == SellerStatus.VERIFIED
    assert buyer.role == "mitra_umkm"
    assert actions() == ["seller.apply", "seller.verify"]


def test_operator_of_another_regency_cannot_verify(buyer, other_operator):
    business = make_business()
    seller = services.seller_apply(business=business, shop_name="A", actor=buyer, owner_nik=nik_of(business))
    with pytest.raises(PermissionDenied):
        services.seller_verify(seller=seller, actor=other_operator)
    assert Seller.objects.get().status == SellerStatus.APPLIED
    assert actions() == ["seller.apply"]


def test_enrol_suspend_reinstate(operator, make_user):
    owner = make_user("bu_sri", role="pembeli")
    seller = services.seller_enrol(business=make_business(), shop_name="Gula Pak Darmo", actor=operator, owner=owner)
    assert seller.status == SellerStatus.VERIFIED
    with pytest.raises(ValidationError):
        services.seller_suspend(seller=seller, actor=operator, reason=" ")
    services.seller_suspend(seller=seller, actor=operator, reason="Produk tidak sesuai")
    assert Seller.objects.get().status == SellerStatus.SUSPENDED
    services.seller_reinstate(seller=seller, actor=operator)
    assert Seller.objects.get().status == SellerStatus.VERIFIED
    assert actions() == ["seller.enrol", "seller.suspend", "seller.reinstate"]


def test_one_business_one_seller(buyer, operator):
    business = make_business()
    services.seller_apply(business=business, shop_name="A", actor=buyer, owner_nik=nik_of(business))
    with pytest.raises(ValidationError):
        services.seller_enrol(business=business, shop_name="B", actor=operator)
    assert Seller.objects.count() == 1


def test_owner_adds_staff_but_staff_cannot(make_user):
    owner, staff, other = make_user("own"), make_user("staf"), make_user("lain")
    seller = make_seller(owner=owner)
    services.seller_member_add(seller=seller, user=staff, actor=owner)
    with pytest.raises(PermissionDenied):
        services.seller_member_add(seller=seller, user=other, actor=staff)
    assert sorted(SellerMember.objects.values_list("user__username", "role")) == [("own", "pemilik"), ("staf", "staf")]


CURATION = [
    # (start, service, by, end)
    ("draf", "product_submit", "owner", "diajukan"),
    ("ditolak", "product_submit", "owner", "diajukan"),
    ("diajukan", "product_approve", "operator", "disetujui"),
    ("diajukan", "product_reject", "operator", "ditolak"),
    ("disetujui", "product_delist", "operator", "diturunkan"),
    ("disetujui", "product_delist", "owner", "diturunkan"),
    ("diturunkan", "product_relist", "operator", "disetujui"),
]


@pytest.mark.parametrize(("start", "service", "by", "end"), CURATION)
def test_curation_transitions(start, service, by, end, operator, make_user):
    owner = make_user("own", role="mitra_umkm")
    product = make_product(seller=make_seller(owner=owner), status=start)
    AuditEntry.objects.all().delete()
    kwargs = {"reason": "Foto buram"} if service in ("product_reject", "product_delist") else {}
    getattr(services, service)(product=product, actor={"owner": owner, "operator": operator}[by], **kwargs)
    product.refresh_from_db()
    assert product.status == end
    assert actions() == [f"product.{service.removeprefix('product_')}"]
    if service == "product_reject":
        assert product.rejection_reason == "Foto buram"


REFUSED = [
    # (start, service, by) — refused transitions leave the product and the audit trail unchanged
    ("draf", "product_approve", "operator"),
    ("diajukan", "product_approve", "owner"),
    ("diajukan", "product_approve", "other_operator"),
    ("diajukan", "product_submit", "owner"),
    ("disetujui", "product_reject", "operator"),
    ("draf", "product_submit", "stranger"),
]


@pytest.mark.parametrize(("start", "service", "by"), REFUSED)
def test_refused_transitions_change_nothing(start, service, by, operator, other_operator, make_user):
    owner, stranger = make_user("own", role="mitra_umkm"), make_user("x", role="mitra_umkm")
    product = make_product(seller=make_seller(owner=owner), status=start)
    AuditEntry.objects.all().delete()
    actor = {"owner": owner, "operator": operator, "other_operator": other_operator, "stranger": stranger}[by]
    kwargs = {"reason": "x"} if service == "product_reject" else {}
    with pytest.raises((PermissionDenied, ValidationError)):
        getattr(services, service)(product=product, actor=actor, **kwargs)
    product.refresh_from_db()
    assert product.status == start
    assert actions() == []


LISTED = [
    # (shop status, product status, step, listed after) — listed = approved and the shop verified
    ("terverifikasi", "diajukan", "approve", True),
    ("ditangguhkan", "diajukan", "approve", False),
    ("terverifikasi", "diajukan", "reject", False),
    ("terverifikasi", "disetujui", "delist", False),
    ("terverifikasi", "diturunkan", "relist", True),
    ("ditangguhkan", "diturunkan", "relist", False),
    ("terverifikasi", "disetujui", "suspend shop", False),
    ("ditangguhkan", "disetujui", "reinstate shop", True),
    ("ditangguhkan", "diajukan", "reinstate shop", False),
    ("terverifikasi", "disetujui", "edit price", True),
    ("terverifikasi", "disetujui", "edit name", False),
    ("terverifikasi", "disetujui", "add photo", False),
]


@pytest.mark.parametrize(("shop_status", "start", "step", "listed"), LISTED)
def test_listed_flag_follows_product_and_shop_status(shop_status, start, step, listed, operator, make_user):
    owner = make_user("own", role="mitra_umkm")
    seller = make_seller(owner=owner, status=shop_status)
    product = make_product(seller=seller, name="Kopi", prices=(20_000,), status=start)
    sku = product.variants.get().sku
    steps = {
        "approve": lambda: services.product_approve(product=product, actor=operator),
        "reject": lambda: services.product_reject(product=product, actor=operator, reason="Foto buram"),
        "delist": lambda: services.product_delist(product=product, actor=operator, reason="Stok habis"),
        "relist": lambda: services.product_relist(product=product, actor=operator),
        "suspend shop": lambda: services.seller_suspend(seller=seller, actor=operator, reason="Diperiksa"),
        "reinstate shop": lambda: services.seller_reinstate(seller=seller, actor=operator),
        "edit price": lambda: services.product_update(
            product=product,
            actor=owner,
            name="Kopi",
            description="",
            category=product.category,
            weight_grams=250,
            variants=[VariantData("", sku, 21_000, 3)],
        ),
        "edit name": lambda: services.product_update(
            product=product, actor=owner, name="Kopi Bubuk", description="", category=product.category, weight_grams=250
        ),
        "add photo": lambda: services.photo_add(
            product=product, upload=SimpleUploadedFile("f.png", image_bytes(), content_type="image/png"), actor=owner
        ),
    }
    steps[step]()
    product.refresh_from_db()
    assert product.listed is listed
    assert list(Product.objects.filter(listed=True).values_list("name", flat=True)) == (
        [product.name] if listed else []
    )


def test_a_listed_product_is_an_approved_one():
    """The database refuses a shown product that is not approved (a write that bypassed the services)."""
    from django.db import IntegrityError, transaction

    product = make_product(seller=make_seller())
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(status=ProductStatus.DELISTED)
    assert Product.objects.get().listed is True


def test_reject_needs_a_reason(operator):
    product = make_product(seller=make_seller(), status=ProductStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        services.product_reject(product=product, actor=operator, reason="  ")
    assert Product.objects.get().status == ProductStatus.SUBMITTED


def test_create_keeps_denormalised_columns(make_user):
    owner = make_user("own", role="mitra_umkm")
    seller = make_seller(owner=owner, village="33.03.05.1001", shop_name="Nopia Mas")
    product = services.product_create(
        seller=seller,
        category=make_category("Makanan"),
        name="Nopia Bawang",
        weight_grams=300,
        variants=[VariantData("Isi 10", "NOP-10", 25_000, 4), VariantData("Isi 5", "NOP-5", 13_000, 0)],
        actor=owner,
    )
    assert (product.status, product.min_price, product.district_id) == ("draf", 13_000, "33.03.05")
    assert product.search_text == " nopia bawang makanan makan mas purbalingga "


def test_editing_a_listed_product_sends_it_back_to_curation(make_user):
    owner = make_user("own", role="mitra_umkm")
    product = make_product(seller=make_seller(owner=owner), name="Kopi", prices=(20_000,))
    sku = product.variants.get().sku
    services.product_update(
        product=product,
        actor=owner,
        name="Kopi",
        description="",
        category=product.category,
        weight_grams=250,
        variants=[VariantData("250 g", sku, 22_000, 9)],
    )
    product.refresh_from_db()
    assert (product.status, product.min_price) == ("disetujui", 22_000)  # price only: stays listed
    services.product_update(
        product=product, actor=owner, name="Kopi Robusta", description="", category=product.category, weight_grams=250
    )
    product.refresh_from_db()
    assert product.status == "diajukan"


@pytest.mark.parametrize(
    ("variants", "message"),
    [
        ([], "Produk harus memiliki setidaknya satu varian."),
        ([VariantData("a", "X", 0, 1)], "Harga varian X harus lebih dari Rp0."),
        ([VariantData("a", "X", 5, -1)], "Stok varian X tidak boleh negatif."),
        ([VariantData("a", "X", 5, 1), VariantData("b", "X", 6, 1)], "SKU varian tidak boleh kembar."),
        ([VariantData("a", "TAKEN", 5, 1)], "SKU sudah dipakai produk lain: TAKEN"),
    ],
)
def test_bad_variants_are_refused(variants, message, make_user):
    owner = make_user("own", role="mitra_umkm")
    seller = make_seller(owner=owner)
    existing = make_product(seller=seller)
    Variant.objects.filter(product=existing).update(sku="TAKEN")
    with pytest.raises(ValidationError) as err:
        services.product_create(
            seller=seller, category=make_category(), name="Baru", weight_grams=100, variants=variants, actor=owner
        )
    assert err.value.messages == [message]
    assert Product.objects.count() == 1


@given(stock=st.integers(min_value=-1000, max_value=1000))
@settings(max_examples=25, deadline=None)
def test_stock_never_negative(stock):
    from apps.accounts.models import User

    owner = User.objects.get_or_create(username="stok_owner", defaults={"role": "mitra_umkm"})[0]
    seller = Seller.objects.filter(members__user=owner).first() or make_seller(owner=owner)
    variant = Variant.objects.filter(product__seller=seller).first() or make_product(seller=seller).variants.get()
    before = Variant.objects.get(pk=variant.pk).stock
    if stock < 0:
        with pytest.raises(ValidationError):
            services.variant_set_stock(variant=variant, stock=stock, actor=owner)
        assert Variant.objects.get(pk=variant.pk).stock == before
    else:
        services.variant_set_stock(variant=variant, stock=stock, actor=owner)
        assert Variant.objects.get(pk=variant.pk).stock == stock


def test_photo_is_resized_to_webp_thumbnails(make_user):
    owner = make_user("own", role="mitra_umkm")
    product = make_product(seller=make_seller(owner=owner), status=ProductStatus.DRAFT)
    upload = SimpleUploadedFile("foto.png", image_bytes("PNG", (1600, 1200)), content_type="image/png")
    photo = services.photo_add(product=product, upload=upload, actor=owner)
    assert (photo.small_width, photo.small_height, photo.large_width, photo.large_height) == (320, 240, 800, 600)
    assert photo.image_small.name.endswith("-320.webp")
    from PIL import Image

    with Image.open(photo.image_large.path) as image:
        assert (image.format, image.size) == ("WEBP", (800, 600))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not really", "Berkas ini bukan gambar yang dapat dibaca."),
        (b"<?php echo 1; ?>", "Berkas ini bukan gambar yang dapat dibaca."),
        ("gif", "Foto harus berformat JPEG, PNG, atau WebP."),
        (b"x" * (5 * 1024 * 1024 + 1), "Foto terlalu besar (maksimal 5 MB)."),
    ],
)
def test_bad_photos_are_refused(content, message, make_user):
    owner = make_user("own", role="mitra_umkm")
    product = make_product(seller=make_seller(owner=owner), status=ProductStatus.DRAFT)
    if content == "gif":
        content = image_bytes("GIF", (50, 50))
    upload = SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")
    with pytest.raises(ValidationError) as err:
        services.photo_add(product=product, upload=upload, actor=owner)
    assert err.value.messages == [message]
    assert product.photos.count() == 0
