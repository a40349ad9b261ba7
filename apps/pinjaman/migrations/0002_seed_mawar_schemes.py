"""Seed the POJK 40/POJK.03/2019 collectibility table, the partner bank (Perumda BPR Artha Perwira,
Purbalingga) and the schemes MAWAR-2019 and MAWAR-2020 (SPEC §9): Rp500.000–Rp2.500.000 for 12 months,
no interest to the borrower, 6% provision (as said at the launch), repeat loans up to Rp15 juta after
the previous loan was closed, and the bank's contract rate of 12% a year until the department enters
the real one (a new rate is a new row in the scheme's rate table)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

POJK = [
    (1, "Lancar", 0, 0),
    (2, "Dalam Perhatian Khusus", 1, 90),
    (3, "Kurang Lancar", 91, 120),
    (4, "Diragukan", 121, 180),
    (5, "Macet", 181, None),
]
CHECKS = [
    ("nik_valid", "tolak"),
    ("domisili", "tolak"),
    ("usaha_di_kabupaten", "peringatan"),
    ("terdaftar", "peringatan"),
    ("batas_plafon", "tolak"),
    ("tanpa_pinjaman_aktif", "tolak"),
    ("pinjaman_ulang", "tolak"),
    ("tanpa_pinjaman_bank", "tolak"),
]
SCHEMES = [
    ("MAWAR-2019", "Kredit Mawar 2019 (UMKM binaan)", 2019, "umkm"),
    ("MAWAR-2020", "Kredit Mawar 2020 (pedagang pasar)", 2020, "pedagang_pasar"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    Table = apps.get_model("pinjaman", "CollectibilityTable")
    Band = apps.get_model("pinjaman", "CollectibilityBand")
    Bank = apps.get_model("pinjaman", "Bank")
    Scheme = apps.get_model("pinjaman", "Scheme")
    BankRate = apps.get_model("pinjaman", "BankRate")
    Check = apps.get_model("pinjaman", "EligibilityCheck")
    table, _ = Table.objects.get_or_create(
        name="POJK 40/POJK.03/2019",
        defaults={"basis": "POJK 40/POJK.03/2019 tentang Penilaian Kualitas Aset Bank Umum"},
    )
    for kol, label, low, high in POJK:
        Band.objects.get_or_create(
            table=table, kolektibilitas=kol, defaults={"label": label, "min_days": low, "max_days": high}
        )
    if not Region.objects.filter(code="33.03").exists():
        return  # a database without the region list (it is loaded by regions 0002)
    bank, _ = Bank.objects.get_or_create(
        code="bpr-artha-perwira",
        defaults={"name": "Perumda BPR Artha Perwira", "regency_id": "33.03", "collectibility_table": table},
    )
    for code, name, year, target in SCHEMES:
        scheme, created = Scheme.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "bank": bank,
                "regency_id": "33.03",
                "year": year,
                "target_group": target,
                "first_loan_floor": 500_000,
                "first_loan_ceiling": 2_500_000,
                "repeat_loan_ceiling": 15_000_000,
                "repeat_requires_closed": True,
                "repeat_max_days_late": 30,
                "tenor_months": 12,
                "borrower_rate_percent": Decimal("0"),
                "provision_percent": Decimal("6"),
                "rounding_unit": 1000,
                "arrears_tolerance": 0,
                "subsidy_stops_after_last_due": True,
                "subsidy_excludes_macet": True,
                "accepts_applications": year == 2020,
                "notes": "Suku bunga kontrak bank 12% setahun sampai dinas memasukkan angka sebenarnya.",
            },
        )
        if created:
            BankRate.objects.create(scheme=scheme, effective_from=date(year, 1, 1), annual_rate_percent=Decimal("12"))
            for check, severity in CHECKS:
                Check.objects.create(scheme=scheme, code=check, severity=severity)


def unseed(apps, schema_editor):
    apps.get_model("pinjaman", "Scheme").objects.filter(code__in=[s[0] for s in SCHEMES], loans__isnull=True).delete()
    apps.get_model("pinjaman", "Bank").objects.filter(code="bpr-artha-perwira", schemes__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pinjaman", "0001_loans_schemes"), ("regions", "0002_load_kemendagri_codes")]
    operations = [migrations.RunPython(seed, unseed)]
