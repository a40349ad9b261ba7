"""Test data for the UMKM registry: owners, businesses and yearly records in real Purbalingga villages."""

import itertools

from apps.umkm.models import KELAS_RANK, Business, BusinessYear, Owner
from apps.umkm.rules import classify, default_rules
from apps.umkm.services import registry_revision_bump

_seq = itertools.count(1)
RULES = default_rules()


def make_nik(serial: int, district: str = "330301", female: bool = False) -> str:
    day = 12 + (40 if female else 0)
    return f"{district}{day:02d}0485{serial:04d}"


def owner_make(*, nik: str | None = None, name: str = "Sri Rahayu", gender: str = "P") -> Owner:
    owner = Owner(name=name, gender=gender)
    owner.set_nik(nik or make_nik(next(_seq), female=gender == "P"))
    owner.save()
    return owner


def business_make(
    *,
    name: str = "",
    village: str = "33.03.01.2001",
    sector: str = "gula kelapa",
    nib: str = "",
    owner: Owner | None = None,
    status: str = "aktif",
    years: dict[int, tuple[int | None, int | None]] | None = None,
) -> Business:
    """A business with yearly records {year: (modal, omzet)}, classified by the seeded rules."""
    n = next(_seq)
    name = name or f"Usaha {n}"
    business = Business.objects.create(
        owner=owner or owner_make(),
        name=name,
        name_normalized=name.lower(),
        nib=nib,
        sector=sector,
        regency_id=village[:5],
        district_id=village[:8],
        village_id=village,
        status=status,
    )
    for year, (modal, omzet) in (years or {}).items():
        kelas, rule = classify(modal, omzet, year, RULES)
        BusinessYear.objects.create(
            business=business,
            year=year,
            modal_usaha=modal,
            omzet_tahunan=omzet,
            kelas=kelas,
            kelas_rank=KELAS_RANK[kelas],
            rule_set=rule,
        )
    registry_revision_bump(regency_codes=[business.regency_id])  # as every write to the registry does
    return business


UMKM_HEADER = [
    "nik",
    "nama_pemilik",
    "jenis_kelamin",
    "no_hp",
    "nama_usaha",
    "nib",
    "kbli",
    "sektor",
    "kode_wilayah",
    "alamat",
    "tahun_berdiri",
    "tahun_data",
    "modal_usaha",
    "omzet_tahunan",
    "tenaga_kerja",
]


def umkm_row(**overrides: object) -> dict[str, str]:
    """A valid row of the `umkm` template (Kemangkon, UU 20/2008 mikro); override any column."""
    row = {
        "nik": "3303015204850001",
        "nama_pemilik": "Sri Rahayu",
        "jenis_kelamin": "P",
        "no_hp": "081234567890",
        "nama_usaha": "Gula Semut Sri",
        "nib": "",
        "kbli": "10721",
        "sektor": "gula kelapa",
        "kode_wilayah": "33.03.01.2001",
        "alamat": "RT 01 RW 02",
        "tahun_berdiri": "2010",
        "tahun_data": "2019",
        "modal_usaha": "20000000",
        "omzet_tahunan": "150000000",
        "tenaga_kerja": "3",
    }
    row.update({k: str(v) for k, v in overrides.items()})
    return row


def umkm_csv(path, rows: list[dict[str, str]]):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(UMKM_HEADER)
        for row in rows:
            writer.writerow([row.get(c, "") for c in UMKM_HEADER])
    return path
