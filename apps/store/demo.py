"""Demo store: Purbalingga sellers with the regency's known goods, curated products, some awaiting curation.

Idempotent: sellers are found by slug, products by their parent SKU. Businesses come from the UMKM
registry when one with the demo NIB exists, otherwise they are created here. Photos are placeholder
images drawn with Pillow (no downloads). The demo user `penjual` owns "Rajut Bu Sri".
"""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.store import services
from apps.store.models import Category, Product, ProductStatus, Seller, SellerMember, SellerRole, SellerStatus
from apps.store.services import VariantData
from apps.umkm.models import Business, Gender, Owner
from apps.umkm.services import registry_revision_bump

CATEGORIES = [
    ("makanan", "Makanan", 1),
    ("minuman", "Minuman", 2),
    ("kerajinan", "Kerajinan", 3),
    ("fashion", "Fashion dan Batik", 4),
    ("kecantikan", "Kecantikan", 5),
    ("otomotif", "Otomotif", 6),
]

# slug, shop, village, NIB, owner (name, gender), description
SELLERS = [
    (
        "rajut-bu-sri",
        "Rajut Bu Sri",
        "33.03.01.2001",
        "3303000000001",
        ("Sri Lestari", Gender.FEMALE),
        "Tas dan dompet rajut buatan tangan ibu-ibu Kemangkon.",
    ),
    (
        "gula-kelapa-pak-darmo",
        "Gula Kelapa Pak Darmo",
        "33.03.12.2001",
        "3303000000002",
        ("Darmo Wiyono", Gender.MALE),
        "Gula kelapa dari penderes Karangmoncol.",
    ),
    (
        "bulu-mata-ayu",
        "Bulu Mata Ayu",
        "33.03.05.1001",
        "3303000000003",
        ("Ayu Wulandari", Gender.FEMALE),
        "Bulu mata palsu buatan perajin Purbalingga.",
    ),
    (
        "knalpot-jaya-mandiri",
        "Knalpot Jaya Mandiri",
        "33.03.03.2001",
        "3303000000004",
        ("Slamet Riyadi", Gender.MALE),
        "Bengkel knalpot Kejobong sejak 1995.",
    ),
    (
        "nopia-mino-bu-tarsih",
        "Nopia Mino Bu Tarsih",
        "33.03.06.2001",
        "3303000000005",
        ("Tarsih", Gender.FEMALE),
        "Nopia dan mino dipanggang di tungku tanah liat.",
    ),
    (
        "kopi-slamet",
        "Kopi Lereng Slamet",
        "33.03.10.2001",
        "3303000000006",
        ("Wahyu Hidayat", Gender.MALE),
        "Kopi dan madu dari Karangreja.",
    ),
    (
        "batik-purbalinggan",
        "Batik Purbalinggan",
        "33.03.09.2001",
        "3303000000007",
        ("Sulastri", Gender.FEMALE),
        "Batik tulis motif Purbalingga.",
    ),
]

# seller slug, parent SKU, name, category, weight g, description, [(variant, price, stock)], status
PRODUCTS = [
    (
        "rajut-bu-sri",
        "RBS-TAS",
        "Tas Rajutan Benang Nilon",
        "kerajinan",
        300,
        "Tas tangan rajut benang nilon, kuat dan ringan.",
        [("Merah", 85_000, 6), ("Hitam", 85_000, 4), ("Krem", 90_000, 2)],
        ProductStatus.APPROVED,
    ),
    (
        "rajut-bu-sri",
        "RBS-DOMPET",
        "Dompet Rajut Mini",
        "kerajinan",
        80,
        "Dompet koin rajut, muat kartu.",
        [("", 25_000, 15)],
        ProductStatus.SUBMITTED,
    ),
    (
        "rajut-bu-sri",
        "RBS-TOPI",
        "Topi Rajut Anak",
        "fashion",
        100,
        "Topi rajut lembut untuk anak.",
        [("Biru", 30_000, 5)],
        ProductStatus.DRAFT,
    ),
    (
        "gula-kelapa-pak-darmo",
        "GKD-KRISTAL",
        "Gula Kelapa Kristal",
        "makanan",
        250,
        "Gula semut dari nira kelapa, tanpa pengawet.",
        [("250 g", 12_500, 40), ("500 g", 22_500, 25), ("1 kg", 42_000, 10)],
        ProductStatus.APPROVED,
    ),
    (
        "gula-kelapa-pak-darmo",
        "GKD-CETAK",
        "Gula Kelapa Cetak",
        "makanan",
        500,
        "Gula jawa cetak batok.",
        [("500 g", 15_000, 30)],
        ProductStatus.APPROVED,
    ),
    (
        "bulu-mata-ayu",
        "BMA-NATURAL",
        "Bulu Mata Palsu Alami",
        "kecantikan",
        20,
        "Bulu mata palsu dari rambut asli, buatan tangan.",
        [("Natural", 15_000, 100), ("Tebal", 17_500, 80), ("Lentik", 17_500, 60)],
        ProductStatus.APPROVED,
    ),
    (
        "bulu-mata-ayu",
        "BMA-LEM",
        "Lem Bulu Mata",
        "kecantikan",
        15,
        "Lem bulu mata tahan air.",
        [("", 12_000, 50)],
        ProductStatus.SUBMITTED,
    ),
    (
        "knalpot-jaya-mandiri",
        "KJM-RACING",
        "Knalpot Racing Stainless",
        "otomotif",
        2500,
        "Knalpot racing stainless untuk motor bebek dan matik.",
        [("Bebek", 350_000, 5), ("Matik", 375_000, 3)],
        ProductStatus.APPROVED,
    ),
    (
        "nopia-mino-bu-tarsih",
        "NMT-NOPIA",
        "Nopia Bawang Merah",
        "makanan",
        300,
        "Nopia khas Purbalingga isi bawang merah goreng.",
        [("Isi 10", 25_000, 20)],
        ProductStatus.APPROVED,
    ),
    (
        "nopia-mino-bu-tarsih",
        "NMT-MINO",
        "Mino Rasa Gula Jawa",
        "makanan",
        250,
        "Mini nopia rasa gula jawa, renyah.",
        [("250 g", 18_000, 30)],
        ProductStatus.APPROVED,
    ),
    (
        "nopia-mino-bu-tarsih",
        "NMT-SALE",
        "Sale Pisang Goreng Renyah",
        "makanan",
        250,
        "Sale pisang ambon digoreng tepung.",
        [("250 g", 18_000, 25)],
        ProductStatus.APPROVED,
    ),
    (
        "nopia-mino-bu-tarsih",
        "NMT-KERIPIK",
        "Keripik Tempe Sagu",
        "makanan",
        150,
        "Keripik tempe tipis, gurih.",
        [("150 g", 10_000, 40)],
        ProductStatus.APPROVED,
    ),
    (
        "kopi-slamet",
        "KLS-ROBUSTA",
        "Kopi Robusta Gunung Slamet",
        "minuman",
        200,
        "Kopi robusta petik merah, sangrai sedang.",
        [("Bubuk 200 g", 35_000, 20), ("Biji 200 g", 35_000, 10)],
        ProductStatus.APPROVED,
    ),
    (
        "kopi-slamet",
        "KLS-MADU",
        "Madu Hutan Lereng Slamet",
        "minuman",
        600,
        "Madu hutan murni.",
        [("500 ml", 90_000, 12)],
        ProductStatus.APPROVED,
    ),
    (
        "kopi-slamet",
        "KLS-ARABIKA",
        "Kopi Arabika Serang",
        "minuman",
        200,
        "Arabika dari Desa Serang.",
        [("200 g", 55_000, 8)],
        ProductStatus.REJECTED,
    ),
    (
        "batik-purbalinggan",
        "BPG-TULIS",
        "Kain Batik Tulis Purbalinggan",
        "fashion",
        400,
        "Kain batik tulis 2 m, pewarna alam.",
        [("2 m", 450_000, 3)],
        ProductStatus.APPROVED,
    ),
]

COLOURS = ["#b3541e", "#2f6f4f", "#7a4e9c", "#1f5f8b", "#a23b3b", "#8a6d1d"]


def _placeholder(name: str, colour: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 800), colour)
    draw = ImageDraw.Draw(image)
    initials = "".join(w[0] for w in name.split()[:3]).upper()
    draw.rectangle((60, 60, 740, 740), outline="white", width=8)
    draw.text((400, 400), initials, fill="white", anchor="mm", font_size=220)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{initials}.jpg", out.getvalue(), content_type="image/jpeg")


def _business(nib: str, name: str, village: str, owner_name: str, gender: str, n: int) -> Business:
    found = Business.objects.filter(nib=nib).first()
    if found:
        return found
    owner = Owner(name=owner_name, gender=gender)
    day = 10 + n + (40 if gender == Gender.FEMALE else 0)
    owner.set_nik(f"{village[:8].replace('.', '')}{day:02d}0380{n:04d}")
    existing = Owner.objects.filter(nik_hash=owner.nik_hash).first()
    if existing:
        owner = existing
    else:
        owner.save()
    parts = village.split(".")
    business = Business.objects.create(
        owner=owner,
        name=name,
        name_normalized=name.lower(),
        nib=nib,
        regency_id=".".join(parts[:2]),
        district_id=".".join(parts[:3]),
        village_id=village,
        sector="Industri pengolahan",
    )
    registry_revision_bump(regency_codes=[business.regency_id])
    return business


def build(ctx: Any) -> None:
    operator = ctx["users"]["operator"]
    penjual = ctx["users"]["penjual"]
    categories = {}
    for slug, name, position in CATEGORIES:
        categories[slug] = Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})[0]
    sellers = {}
    for n, (slug, shop, village, nib, (owner_name, gender), description) in enumerate(SELLERS, start=1):
        seller = Seller.objects.filter(slug=slug).first()
        if seller is None:
            business = _business(nib, shop, village, owner_name, gender, n)
            seller = Seller.objects.filter(business=business).first() or services.seller_enrol(
                business=business, shop_name=shop, description=description, actor=operator
            )
            if seller.slug != slug:
                Seller.objects.filter(pk=seller.pk).update(slug=slug)
                seller.slug = slug
        sellers[slug] = seller
    own_shop = sellers["rajut-bu-sri"]
    if not SellerMember.objects.filter(seller=own_shop, user=penjual).exists():
        SellerMember.objects.create(seller=own_shop, user=penjual, role=SellerRole.OWNER)
    created = 0
    for i, (seller_slug, parent, name, cat, weight, description, variants, status) in enumerate(PRODUCTS):
        seller = sellers[seller_slug]
        if Product.objects.filter(seller=seller, parent_sku=parent).exists():
            continue
        product = services.product_create(
            seller=seller,
            category=categories[cat],
            name=name,
            description=description,
            weight_grams=weight,
            variants=[
                VariantData(v or "", f"{parent}-{j + 1}", price, stock) for j, (v, price, stock) in enumerate(variants)
            ],
            actor=operator,
        )
        Product.objects.filter(pk=product.pk).update(parent_sku=parent)
        services.photo_add(product=product, upload=_placeholder(name, COLOURS[i % len(COLOURS)]), actor=operator)
        if status != ProductStatus.DRAFT:
            services.product_submit(product=product, actor=operator)
        if status == ProductStatus.APPROVED:
            services.product_approve(product=product, actor=operator)
        elif status == ProductStatus.REJECTED:
            services.product_reject(product=product, actor=operator, reason="Foto belum menampilkan kemasan.")
        created += 1
    ctx["store_sellers"] = sellers
    listed = Product.objects.filter(status=ProductStatus.APPROVED, seller__status=SellerStatus.VERIFIED).count()
    ctx.stdout.write(f"Toko: {len(sellers)} penjual, {created} produk baru, {listed} tayang (pemilik demo: penjual).")
