"""Demo UMKM registry: Purbalingga businesses in real villages of 33.03, data years 2018 and 2019.

Scale 1 is about 2,000 businesses x 2 years; `--scale N` multiplies it. The rows go through the real
`umkm` importer (validation, identity, classification), so running it twice changes nothing. Some
businesses grow across a class ceiling in 2019 (naik kelas), a few shrink.
"""

import random
from typing import Any

from django.db import transaction

from apps.core.actors import COMMAND_LINE
from apps.imports.framework import chunked
from apps.regions.selectors import villages_of
from apps.umkm.importers import UmkmImporter
from apps.umkm.models import Business, Permit, PermitKind

REGENCY = "33.03"
# (sector, KBLI 2020, product words, share)
SECTORS = [
    ("gula kelapa", "10721", ["Gula Semut", "Gula Kelapa", "Gula Merah"], 18),
    ("bulu mata palsu", "32903", ["Bulu Mata", "Rambut Palsu"], 8),
    ("knalpot", "29300", ["Knalpot", "Knalpot Racing"], 6),
    ("tas rajutan", "15121", ["Tas Rajut", "Rajutan"], 7),
    ("nopia", "10710", ["Nopia", "Mino"], 9),
    ("sale pisang", "10313", ["Sale Pisang", "Sale Goreng"], 8),
    ("keripik tempe", "10794", ["Keripik Tempe", "Kripik"], 9),
    ("batik", "13134", ["Batik", "Batik Tulis"], 6),
    ("kopi", "10761", ["Kopi", "Kopi Bubuk"], 7),
    ("madu", "01499", ["Madu", "Madu Klanceng"], 5),
    ("warung makan", "56103", ["Warung", "Soto"], 10),
    ("konveksi", "14111", ["Konveksi", "Jahit"], 7),
]
FOOD = {"gula kelapa", "nopia", "sale pisang", "keripik tempe", "kopi", "madu"}
WOMEN = ["Sri", "Siti", "Tri", "Dwi", "Rina", "Ani", "Yuli", "Endang", "Wati", "Kusmiyati", "Suparti", "Dyah"]
MEN = ["Budi", "Agus", "Eko", "Joko", "Wahyu", "Slamet", "Teguh", "Bambang", "Darsono", "Kholil", "Rohmat"]
FAMILY = ["Rahayu", "Santoso", "Lestari", "Prasetyo", "Wulandari", "Hidayat", "Susanti", "Purnomo", "Saputra"]
JUTA = 1_000_000


def _money(rng: random.Random) -> tuple[int, int]:
    """Capital and sales of 2018: most micro, some small, a few medium (UU 20/2008)."""
    roll = rng.random()
    if roll < 0.85:
        return rng.randrange(3, 48) * JUTA, rng.randrange(20, 280) * JUTA
    if roll < 0.98:
        return rng.randrange(55, 480) * JUTA, rng.randrange(320, 2_400) * JUTA
    return rng.randrange(520, 9_000) * JUTA, rng.randrange(2_600, 40_000) * JUTA


def _next_year(rng: random.Random, modal: int, omzet: int) -> tuple[int, int]:
    roll = rng.random()
    if roll < 0.012:  # grows past the ceilings: naik kelas (the article: 23 micro to small in 2019)
        return max(modal * 2, 60 * JUTA) if modal <= 50 * JUTA else modal * 3, max(omzet * 2, 350 * JUTA)
    if roll < 0.03:  # shrinks
        return modal // 2, omzet // 2
    return int(modal * rng.uniform(0.95, 1.2)), int(omzet * rng.uniform(0.9, 1.25))


def demo_rows(scale: int = 1, seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(f"umkm-{seed}")
    villages = list(villages_of(REGENCY).order_by("code").values_list("code", flat=True))
    weights = [s[3] for s in SECTORS]
    rows = []
    for i in range(2000 * scale):
        village = villages[rng.randrange(len(villages))]
        sector, kbli, words, _share = rng.choices(SECTORS, weights)[0]
        female = rng.random() < 0.6
        first = rng.choice(WOMEN if female else MEN)
        owner = f"{first} {rng.choice(FAMILY)}"
        day = rng.randrange(1, 29) + (40 if female else 0)
        birth = f"{day:02d}{rng.randrange(1, 13):02d}{rng.randrange(60, 100):02d}"
        nik = f"{village[:8].replace('.', '')}{birth}{i % 9999 + 1:04d}"
        nib = f"{9120000000000 + i}" if rng.random() < 0.55 else ""
        name = f"{rng.choice(words)} {'Bu' if female else 'Pak'} {first} {i + 1}"
        founded = rng.randrange(1985, 2018)
        modal, omzet = _money(rng)
        workers = rng.randrange(1, 12)
        for year in (2018, 2019):
            if year == 2019:
                modal, omzet = _next_year(rng, modal, omzet)
            rows.append(
                {
                    "nik": nik,
                    "nama_pemilik": owner,
                    "jenis_kelamin": "P" if female else "L",
                    "no_hp": f"08{rng.randrange(10**9, 10**10)}",
                    "nama_usaha": name,
                    "nib": nib,
                    "kbli": kbli,
                    "sektor": sector,
                    "kode_wilayah": village,
                    "alamat": f"RT {rng.randrange(1, 10):02d} RW {rng.randrange(1, 6):02d}",
                    "tahun_berdiri": str(founded),
                    "tahun_data": str(year),
                    "modal_usaha": str(modal),
                    "omzet_tahunan": str(omzet),
                    "tenaga_kerja": str(workers),
                }
            )
    return rows


def build(ctx: Any) -> None:
    importer = UmkmImporter(options={"regency": REGENCY}, actor=COMMAND_LINE)
    importer.prepare()
    created = rejected = 0
    for chunk in chunked(enumerate(demo_rows(ctx.scale, ctx.seed), start=2), 5000):
        batch = []
        for number, row in chunk:
            clean, errors = importer.validate(row)
            if errors:
                rejected += 1
            else:
                batch.append((number, clean))
        with transaction.atomic():
            created += importer.write_batch(batch).created
    with transaction.atomic():
        food = Business.objects.filter(regency_id=REGENCY, sector__in=FOOD).exclude(nib="").order_by("pk")
        permits = [
            Permit(business_id=pk, kind=PermitKind.PIRT, number=f"P-IRT {2063303010000 + pk}")
            for pk in food.values_list("pk", flat=True)[::4]
        ]
        Permit.objects.bulk_create(permits, ignore_conflicts=True)
    ctx["umkm_business_ids"] = list(
        Business.objects.filter(regency_id=REGENCY).order_by("pk").values_list("pk", flat=True)[:200]
    )
    total = Business.objects.filter(regency_id=REGENCY).count()
    ctx.stdout.write(f"UMKM demo: {total} usaha di {REGENCY} ({created} data tahunan baru, {rejected} ditolak)")
