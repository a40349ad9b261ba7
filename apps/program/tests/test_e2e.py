"""A training in the browser (SPEC §10): an owner registers on a phone, is wait-listed, takes the freed
seat, is checked in by the officer's camera reading the QR code on the owner's screen, and downloads the
certificate whose code verifies on the public page.

The camera is faked the way Chromium allows: `--use-fake-device-for-media-stream` with
`--use-file-for-fake-video-capture=FILE.y4m`, the file made from a screenshot of the owner's QR code,
so the scanner page's jsQR decodes a real camera stream."""

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from apps.program import services
from apps.program.models import Kind, Participant, Programme, Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "bench" / "out" / "program"
PASSWORD = "rahasia-kuat-123"


def y4m_from_png(png: bytes, path: Path, *, width: int = 640, height: int = 480, frames: int = 10) -> Path:
    """A YUV4MPEG2 (4:2:0) video showing the image centred on white: Chromium's fake camera loops it."""
    image = Image.open(io.BytesIO(png)).convert("L")
    image.thumbnail((height - 40, height - 40))
    canvas = Image.new("L", (width, height), 255)
    canvas.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    luma = canvas.tobytes()
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with path.open("wb") as fh:
        fh.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            fh.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def login(page, username):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    # the page's own content; the officers' menu row is the layout's (a known issue of the shared header)
    width = page.evaluate("document.querySelector('main').scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: sideways scrolling ({width}px)"


def test_owner_waitlisted_gets_the_seat_checked_in_by_qr_and_verifies_certificate(
    page, browser, live_server, make_user, tmp_path
):
    from apps.store.tests.factories import make_seller
    from apps.umkm.tests.factories import business_make

    operator = make_user("operator1", role="operator", regions=["33.03"])
    owner = make_user("bu-sri", role="mitra_umkm")
    seller = make_seller(shop_name="Rajut Bu Sri", owner=owner)
    start = timezone.localdate() + timedelta(days=7)
    programme = Programme.objects.create(
        regency_id="33.03",
        district_id="33.03.01",
        code="PLT-E2E",
        kind=Kind.TRAINING,
        title="Pelatihan Foto Produk",
        place="Aula Dinas",
        start_date=start,
        end_date=start,
        quota=1,
    )
    Session.objects.create(programme=programme, number=1, date=start)
    first = services.participant_register(
        programme=programme, business=business_make(name="Peserta Awal"), actor=operator
    )

    # 1. the owner registers on a phone: the training is full, she is wait-listed
    login(page, "bu-sri")
    page.goto("/program/saya/")
    expect(page.get_by_text("Pelatihan Foto Produk")).to_be_visible()
    page.get_by_role("button", name="Daftar (daftar tunggu)").click()
    expect(page.get_by_text("Kuota penuh: Anda masuk daftar tunggu.")).to_be_visible()
    expect(page.get_by_text("urutan ke-1")).to_be_visible()
    shot(page, "1-owner-waitlisted-390")

    # 2. the operator cancels the first participant on an office screen: the seat is offered to her
    office = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1366, "height": 900})
    op = office.new_page()
    login(op, "operator1")
    op.goto(f"/program/{programme.pk}/")
    op.get_by_role("row", name=re.compile("Peserta Awal")).get_by_role("button", name="Batalkan").click()
    expect(op.get_by_text("ditawari kursi, konfirmasi sebelum")).to_be_visible()
    op.get_by_text("Pesan WhatsApp").click()
    expect(op.locator("textarea[readonly]")).to_contain_text("ada kursi kosong untuk Pelatihan Foto Produk")
    expect(op.locator("textarea[readonly]")).to_contain_text(f"{live_server.url}/program/saya/")
    shot(op, "2-operator-offer-1366")
    assert Participant.objects.get(pk=first.pk).status == "batal"

    # 3. she takes the seat and shows her QR code
    page.goto("/program/saya/")
    expect(page.get_by_text("Ada kursi kosong untuk Anda.")).to_be_visible()
    page.get_by_role("button", name="Ambil kursi").click()
    expect(page.get_by_text("Kursi Anda sudah dikonfirmasi.")).to_be_visible()
    page.get_by_role("button", name="Tampilkan kode QR kehadiran").click()
    qr = page.locator(".ticket-qr svg")
    expect(qr).to_be_visible()
    shot(page, "3-owner-ticket-390")
    video = y4m_from_png(qr.screenshot(), tmp_path / "qr.y4m")

    # 4. the officer's phone camera (faked with that picture) reads it at the door
    camera_browser = browser.browser_type.launch(
        executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        door = camera_browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844}, permissions=["camera"]
        )
        scanner = door.new_page()
        scanner.set_default_timeout(20000)
        login(scanner, "operator1")
        session = programme.sessions.get()
        scanner.goto(f"/program/sesi/{session.pk}/pindai/")
        expect(scanner.locator("#scanner-log li.ok").first).to_have_text(re.compile(r"\(Rajut Bu Sri\) hadir\."))
        expect(scanner.locator("#scanner-count")).to_have_text("1")
        shot(scanner, "4-officer-scanner-390")
    finally:
        camera_browser.close()
    mine = Participant.objects.get(business=seller.business)
    assert mine.status == "hadir"
    assert mine.attendances.get().method == "qr"

    # 5. scores and completion on the office screen
    op.goto(f"/program/{programme.pk}/")
    op.get_by_label("Nilai pre-test Rajut Bu Sri").fill("55")
    op.get_by_label("Nilai post-test Rajut Bu Sri").fill("85")
    op.get_by_role("button", name="Simpan nilai").click()
    op.get_by_role("button", name="Hitung kelulusan dan terbitkan sertifikat").click()
    expect(op.get_by_text("Kelulusan dihitung: 1 lulus, 0 belum lulus.")).to_be_visible()
    shot(op, "5-operator-passed-1366")
    office.close()

    # 6. she downloads the certificate; the code printed in it verifies on the public page
    page.goto("/program/saya/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh sertifikat (PDF)").click()
    pdf_path = tmp_path / "sertifikat.pdf"
    info.value.save_as(pdf_path)
    (SHOTS / "sertifikat.pdf").write_bytes(pdf_path.read_bytes())
    from pypdf import PdfReader

    text = PdfReader(str(pdf_path)).pages[0].extract_text()
    code = re.search(r"[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}", text).group(0)
    assert code == Participant.objects.get(pk=mine.pk).certificate_code
    page.context.clear_cookies()
    page.goto("/program/verifikasi/")
    page.get_by_label("Kode verifikasi").fill(code.lower())
    page.get_by_role("button", name="Periksa").click()
    expect(page.get_by_text("Sertifikat sah.")).to_be_visible()
    expect(page.locator("#hasil")).to_contain_text("Pelatihan Foto Produk")
    expect(page.locator("#hasil")).not_to_contain_text("Rajut Bu Sri")
    shot(page, "6-public-verification-390")


def test_packaging_festival_and_outcome_pages_fit_phone_and_office(page, browser, live_server, make_user):
    """The operator's packaging ranking, festival booth plan and outcomes pages, at 390 and 1366 px."""
    from datetime import date as day

    from apps.program import festival, packaging
    from apps.program.tests.test_packaging import photo_upload
    from apps.store.tests.factories import make_category, make_seller
    from apps.umkm.tests.factories import business_make

    make_user("operator1", role="operator", regions=["33.03"])
    head = make_user("kepala1", role="kepala_dinas", regions=["33.03"])
    r1 = make_user("penilai1", role="operator", regions=["33.03"])
    today = timezone.localdate()
    call = Programme.objects.create(
        regency_id="33.03",
        code="KMS-E2E",
        kind=Kind.PACKAGING,
        title="Bantuan Kemasan Keripik",
        start_date=today,
        end_date=today + timedelta(days=90),
        quota=2,
        budget=5_000_000,
    )
    from decimal import Decimal

    packaging.criteria_set(programme=call, rows=[("Kualitas", Decimal(60)), ("Kebutuhan", Decimal(40))], actor=None)
    for i, name in enumerate(["Keripik Tempe Bu Sri", "Gula Semut Pak Budi", "Dodol Nanas Bu Ani"]):
        application = packaging.application_submit(
            programme=call,
            business=business_make(name=name),
            product=None,
            product_name=f"Produk {name}",
            need="Standing pouch",
            quantity=500,
            estimated_cost=1_500_000 + i * 500_000,
            photos=[photo_upload()],
            actor=None,
            source="operator",
        )
        for reviewer in (r1, head):
            review = packaging.reviewer_assign(application=application, reviewer=reviewer, actor=None)
            scores = {c.pk: 5 - i for c in call.criteria.all()}
            packaging.review_submit(review=review, scores=scores, actor=reviewer)
    event = Programme.objects.create(
        regency_id="33.03",
        code="FST-E2E",
        kind=Kind.FESTIVAL,
        title="Festival Produk Lokal",
        start_date=today,
        end_date=today + timedelta(days=1),
        place="Alun-alun",
    )
    festival.booths_generate(programme=event, zones=["A", "B"], rows=2, per_row=6, actor=None)
    food, craft = make_category("Makanan", slug="makanan"), make_category("Kerajinan", slug="kerajinan")
    for i in range(7):
        seller = make_seller(shop_name=f"Toko Pameran Nomor {i + 1}")
        e = festival.exhibitor_apply(
            programme=event, seller=seller, category=food if i % 3 else craft, actor=None, source="operator"
        )
        festival.exhibitor_decide(exhibitor=e, accept=True, actor=None)
    festival.booths_allocate(programme=event, actor=None)

    office = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1366, "height": 900})
    for width, pg in (("390", page), ("1366", office.new_page())):
        login(pg, "kepala1")
        pg.goto(f"/program/{call.pk}/")
        expect(pg.get_by_role("heading", name="Peringkat usulan")).to_be_visible()
        shot(pg, f"7-packaging-ranking-{width}")
        pg.goto(f"/program/{event.pk}/")
        expect(pg.locator(".booth.taken")).to_have_count(7)
        shot(pg, f"8-festival-plan-{width}")
        pg.goto(f"/program/hasil/?tahun={day.today().year}")
        expect(pg.get_by_text("bukan bukti sebab-akibat")).to_be_visible()
        shot(pg, f"9-outcomes-{width}")
        pg.goto(f"/program/?tahun={today.year}")
        shot(pg, f"10-calendar-{width}")
    office.close()


def test_operator_registers_walk_ins_at_the_door_on_a_phone(page, live_server, make_user):
    """The officer at the door (390 px): a registry business found by name and a new business typed in are
    registered and marked present at the session; with the room full the page asks for "di atas kuota"."""
    from apps.umkm.tests.factories import business_make, make_nik, owner_make

    make_user("operator1", role="operator", regions=["33.03"])
    programme = Programme.objects.create(
        regency_id="33.03",
        code="PLT-DOOR",
        kind=Kind.TRAINING,
        title="Pelatihan Kemasan",
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        quota=1,
    )
    session = Session.objects.create(programme=programme, number=1, date=timezone.localdate())
    business_make(name="Keripik Pak Darmo", owner=owner_make(name="Darmo", gender="L"))
    login(page, "operator1")
    page.goto(f"/program/sesi/{session.pk}/pindai/")
    page.get_by_role("link", name="Daftarkan peserta di tempat").click()
    expect(page.get_by_text("Kursi kosong: 1 · daftar tunggu: 0")).to_be_visible()
    page.get_by_label("Cari usaha (NIB, nama usaha atau nama pemilik)").fill("Darmo")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("button", name="Daftarkan dan catat hadir: Keripik Pak Darmo").click()
    expect(page.get_by_text("Keripik Pak Darmo didaftarkan di tempat dan tercatat hadir.")).to_be_visible()
    expect(page.get_by_text("Kursi kosong: 0 · daftar tunggu: 0")).to_be_visible()

    page.locator("#id_baru-owner_nik").fill(make_nik(7002, district="330302", female=True))
    page.locator("#id_baru-owner_name").fill("Siti Aminah")
    page.locator("#id_baru-name").fill("Tempe Mendoan Bu Siti")
    page.locator("#id_baru-village").select_option("33.03.02.2001")
    page.get_by_role("button", name="Simpan ke registri, daftarkan dan catat hadir").click()
    expect(page.get_by_text("sudah penuh")).to_be_visible()
    page.get_by_label("Tambahkan di atas kuota bila kursi penuh").check()
    page.get_by_role("button", name="Simpan ke registri, daftarkan dan catat hadir").click()
    expect(page.get_by_text("Tempe Mendoan Bu Siti didaftarkan di tempat dan tercatat hadir.")).to_be_visible()
    shot(page, "walk-in-phone")
    assert dict(Participant.objects.filter(programme=programme).values_list("business__name", "status")) == {
        "Keripik Pak Darmo": "hadir",
        "Tempe Mendoan Bu Siti": "hadir",
    }
    assert session.attendances.count() == 2
