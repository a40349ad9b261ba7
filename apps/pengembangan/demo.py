"""Demo competency tests of Purbalingga (33.03), deterministic for a seed: an example scheme, a session
held in 2019 whose managers were scored and decided (certificates issued), an open session for this
month with the demo assessor, and the demo cooperative officer's managers ready to enrol."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.nik import nik_errors, nik_hash
from apps.koperasi.models import Koperasi
from apps.koperasi.selectors import koperasi_of_officer
from apps.pengembangan.models import Criterion, Jabatan, Manager, Scheme, Unit
from apps.pengembangan.services import ujikom as svc

REGENCY = "33.03"
# An example scheme: the department replaces it with the scheme of its certification body (admin page).
SCHEME: dict[str, Any] = {
    "kode": "contoh-pengelola-koperasi",
    "nama": "Pengelola Koperasi (contoh skema dinas)",
    "sumber": "Contoh untuk demo; ganti dengan skema lembaga sertifikasi yang dipakai dinas.",
    "units": [
        (
            "K.01",
            "Menyusun rencana kerja dan anggaran koperasi",
            [
                ("Rencana kerja sesuai AD/ART dan keputusan RAT", 30, 60),
                ("Anggaran pendapatan dan belanja disusun", 20, 60),
            ],
        ),
        (
            "K.02",
            "Mengelola keuangan dan pembukuan",
            [("Laporan keuangan sesuai SAK EP", 30, 60), ("Rekonsiliasi kas dan bank", 20, 50)],
        ),
        (
            "K.03",
            "Menyelenggarakan rapat anggota tahunan",
            [("Persiapan dan dokumen RAT", 20, 50), ("Notulen dan tindak lanjut", 10, 40)],
        ),
    ],
}
FIRST_NAMES = ["Sri", "Budi", "Siti", "Agus", "Dwi", "Eko", "Tri", "Wahyu", "Rina", "Yuli", "Joko", "Ani"]
LAST_NAMES = ["Lestari", "Santoso", "Rahayu", "Wibowo", "Susanti", "Prasetyo", "Handayani", "Nugroho"]


def _scheme() -> Scheme:
    scheme, created = Scheme.objects.get_or_create(
        kode=SCHEME["kode"], defaults={"nama": SCHEME["nama"], "sumber": SCHEME["sumber"], "nilai_lulus": Decimal(70)}
    )
    if created:
        for i, (kode, judul, criteria) in enumerate(SCHEME["units"], start=1):
            unit = Unit.objects.create(scheme=scheme, urutan=i, kode=kode, judul=judul)
            for j, (uraian, bobot, minimum) in enumerate(criteria, start=1):
                Criterion.objects.create(
                    unit=unit,
                    nomor=j,
                    uraian=uraian,
                    maksimum=Decimal(100),
                    bobot=Decimal(bobot),
                    minimum=Decimal(minimum),
                )
    return scheme


def _nik(rng: Any, district: str) -> str:
    day = rng.randint(1, 28) + (40 if rng.random() < 0.4 else 0)
    month, year, serial = rng.randint(1, 12), rng.randint(60, 99), rng.randint(1, 9999)
    return f"{district.replace('.', '')}{day:02d}{month:02d}{year:02d}{serial:04d}"


def build(ctx: Any) -> None:
    if Scheme.objects.filter(kode=SCHEME["kode"]).exists():
        return
    rng = ctx.rng
    users = ctx.get("users", {})
    operator = users.get("operator")
    asesor = users.get("asesor")
    if operator is None or asesor is None:
        return
    koperasi = list(Koperasi.objects.filter(regency_id=REGENCY, tanggal_pembubaran__isnull=True).order_by("pk")[:60])
    if not koperasi:
        return
    with transaction.atomic():
        scheme = _scheme()
        held = svc.session_create(
            scheme=scheme,
            regency_code=REGENCY,
            nama="Uji Kompetensi Pengelola Koperasi 2019",
            tanggal=date(2019, 10, 15),
            tempat="Aula Dinkop UKM Purbalingga",
            kuota=60,
            assessors=[asesor],
            actor=operator,
        )
        criteria = svc.scheme_criteria(scheme)
        for k in koperasi[:40]:
            jabatan = rng.choice([Jabatan.KETUA, Jabatan.MANAJER, Jabatan.BENDAHARA])
            manager = _manager(rng, k, jabatan)
            p = svc.participant_register(session=held, manager=manager, actor=operator)
            strong = rng.random() < 0.75
            values: dict[int, str | Decimal | None] = {
                c.pk: Decimal(rng.randint(62, 95) if strong else rng.randint(35, 80)) for c in criteria
            }
            svc.scores_save(participant=p, values=values, actor=asesor)
            svc.result_decide(participant=p, actor=asesor)
        svc.session_set_status(session=held, status="selesai", actor=operator)
        today = timezone.localdate()
        upcoming = svc.session_create(
            scheme=scheme,
            regency_code=REGENCY,
            nama="Uji Kompetensi Pengelola Koperasi",
            tanggal=today + timedelta(days=14),
            tempat="Aula Dinkop UKM Purbalingga",
            kuota=30,
            assessors=[asesor],
            actor=operator,
        )
        for k in koperasi[40:50]:
            manager = _manager(rng, k, Jabatan.MANAJER)
            svc.participant_register(session=upcoming, manager=manager, actor=operator)
        officer = users.get("koperasi")
        if officer is not None:
            for k in koperasi_of_officer(officer):
                if not Manager.objects.filter(koperasi=k).exists():
                    _manager(rng, k, Jabatan.KETUA)
                    _manager(rng, k, Jabatan.BENDAHARA)


def _manager(rng: Any, koperasi: Any, jabatan: str) -> Manager:
    district = koperasi.district_id or "33.03.01"
    for _attempt in range(20):
        nik = _nik(rng, district)

        if not nik_errors(nik) and not Manager.objects.filter(koperasi=koperasi, nik_hash=nik_hash(nik)).exists():
            break
    m = Manager(koperasi=koperasi, nama=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", jabatan=jabatan)
    m.set_nik(nik)
    m.save()
    return m
