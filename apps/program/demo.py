"""Demo programmes for Purbalingga (33.03), made through the services: a 2019 training with graduates
(history), this year's training with a full quota and a waiting list (the demo seller `penjual` is
registered), a packaging-aid call with reviewed applications, and a festival with a booth plan.
Idempotent: an activity whose code exists is left as it is. It books no omzet, so the omzet demo's
figure for 2020-03-09 is unchanged."""

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from apps.core.actors import COMMAND_LINE
from apps.program import festival, packaging, services
from apps.program.models import Kind, Programme, Session
from apps.store.models import Category, Seller, SellerStatus
from apps.umkm.models import Business

REGENCY = "33.03"


def _photo(color: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(out, format="JPEG")
    return SimpleUploadedFile("kemasan.jpg", out.getvalue(), content_type="image/jpeg")


def _programme(code: str, **values: Any) -> Programme | None:
    if Programme.objects.filter(regency_id=REGENCY, code=code).exists():
        return None
    data = {"code": code, **values}
    return services.programme_create(regency_code=REGENCY, data=data, actor=COMMAND_LINE)


def build(ctx: Any) -> None:
    users = ctx.get("users", {})
    operator, head = users.get("operator"), users.get("kepala")
    businesses = list(Business.objects.filter(regency_id=REGENCY, status="aktif").order_by("pk")[:40])
    if len(businesses) < 12:
        return
    today = timezone.localdate()

    # 2019: a finished training with its attendance and results
    old = _programme(
        "PLT-2019-001",
        kind=Kind.TRAINING,
        title="Pelatihan Pengemasan dan Label Produk",
        district_id="33.03.01",
        place="Aula Dinas Koperasi dan UKM",
        start_date=date(2019, 9, 10),
        end_date=date(2019, 9, 12),
        quota=20,
    )
    if old is not None:
        sessions = services.session_set(
            programme=old, dates=[date(2019, 9, d) for d in (10, 11, 12)], actor=COMMAND_LINE
        )
        for i, business in enumerate(businesses[:10]):
            p = services.participant_register(programme=old, business=business, actor=operator, source="operator")
            for s in sessions[: 3 - i % 3]:
                services.attendance_record(session=s, participant=p, actor=operator)
            services.scores_set(participant=p, pre_test=40 + i, post_test=60 + 4 * i, actor=operator)
        services.completion_evaluate(programme=old, actor=operator)

    # this year: a training with a full quota, a waiting list and the demo seller's business
    start = today + timedelta(days=14)
    training = _programme(
        f"PLT-{start.year}-DEMO",
        kind=Kind.TRAINING,
        title="Pelatihan Pemasaran Digital untuk UMKM",
        district_id="33.03.02",
        place="Gedung Pusat Layanan UMKM",
        start_date=start,
        end_date=start + timedelta(days=1),
        quota=6,
        priority_women=True,
        registration_opens=timezone.now() - timedelta(days=3),
        registration_closes=timezone.now() + timedelta(days=10),
        description="Foto produk, katalog daring, WhatsApp Business.",
    )
    if training is not None:
        # six seats taken, two on the waiting list, then the demo seller's shop (third in line)
        shop = Seller.objects.filter(members__user__username="penjual").select_related("business").first()
        line = businesses[10:18] + ([shop.business] if shop is not None and shop.business.regency_id == REGENCY else [])
        for business in line:
            services.participant_register(programme=training, business=business, actor=operator, source="operator")
        Session.objects.get_or_create(programme=training, number=1, defaults={"date": start})

    # packaging aid with reviewed applications
    call = _programme(
        f"KMS-{today.year}-DEMO",
        kind=Kind.PACKAGING,
        title="Bantuan Kemasan Produk Makanan Olahan",
        start_date=today,
        end_date=today + timedelta(days=120),
        quota=3,
        budget=7_500_000,
        registration_closes=timezone.now() + timedelta(days=20),
    )
    if call is not None and operator is not None and head is not None:
        packaging.criteria_set(
            programme=call,
            rows=[
                ("Kualitas produk", Decimal(30)),
                ("Kesiapan pasar", Decimal(25)),
                ("Kebutuhan kemasan", Decimal(25)),
                ("Komitmen pemilik", Decimal(20)),
            ],
            actor=operator,
        )
        criteria = list(call.criteria.all())
        for i, business in enumerate(businesses[18:23]):
            application = packaging.application_submit(
                programme=call,
                business=business,
                product=None,
                product_name=f"Produk olahan {business.name}",
                need="Standing pouch dengan label dan keterangan halal",
                quantity=500,
                estimated_cost=2_000_000 + 250_000 * i,
                photos=[_photo(["#b85", "#a63", "#c96", "#975", "#da8"][i])],
                actor=operator,
                source="operator",
            )
            for reviewer in (operator, head):
                review = packaging.reviewer_assign(application=application, reviewer=reviewer, actor=operator)
                scores = {c.pk: (i + c.position + (reviewer == head)) % 6 for c in criteria}
                packaging.review_submit(review=review, scores=scores, actor=reviewer)

    # a festival with a booth plan and accepted sellers
    event = _programme(
        f"FST-{today.year}-DEMO",
        kind=Kind.FESTIVAL,
        title="Festival Produk UMKM Purbalingga",
        district_id="33.03.05",
        place="Alun-alun Purbalingga",
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=32),
    )
    if event is not None:
        festival.booths_generate(programme=event, zones=["A", "B"], rows=2, per_row=5, actor=operator)
        category = Category.objects.order_by("pk").first()
        for seller in Seller.objects.filter(regency_id=REGENCY, status=SellerStatus.VERIFIED).order_by("pk")[:6]:
            exhibitor = festival.exhibitor_apply(
                programme=event, seller=seller, category=category, actor=operator, source="operator"
            )
            festival.exhibitor_decide(exhibitor=exhibitor, accept=True, actor=operator)
        festival.booths_allocate(programme=event, actor=operator)
