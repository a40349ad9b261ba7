"""Seed the classification rule table: UU 20/2008 (data years up to 2020) and PP 7/2021 (from 2021).

Values are written out here (not imported) so the migration stays as it was when applied."""

from django.db import migrations

JUTA = 1_000_000
MILIAR = 1_000_000_000

RULE_SETS = [
    {
        "code": "UU-20-2008",
        "title": "UU 20/2008 tentang Usaha Mikro, Kecil, dan Menengah",
        "method": "kelas_terendah",
        "first_year": None,
        "last_year": 2020,
        "mikro_modal_max": 50 * JUTA,
        "mikro_omzet_max": 300 * JUTA,
        "kecil_modal_max": 500 * JUTA,
        "kecil_omzet_max": 2_500 * JUTA,
        "menengah_modal_max": 10 * MILIAR,
        "menengah_omzet_max": 50 * MILIAR,
    },
    {
        "code": "PP-7-2021",
        "title": "PP 7/2021 tentang Kemudahan, Pelindungan, dan Pemberdayaan Koperasi dan UMKM",
        "method": "omzet_dahulu",
        "first_year": 2021,
        "last_year": None,
        "mikro_modal_max": 1 * MILIAR,
        "mikro_omzet_max": 2 * MILIAR,
        "kecil_modal_max": 5 * MILIAR,
        "kecil_omzet_max": 15 * MILIAR,
        "menengah_modal_max": 10 * MILIAR,
        "menengah_omzet_max": 50 * MILIAR,
    },
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("umkm", "RuleSet")
    for row in RULE_SETS:
        RuleSet.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


def unseed(apps, schema_editor):
    apps.get_model("umkm", "RuleSet").objects.filter(code__in=[r["code"] for r in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("umkm", "0002_rule_sets_row_hash_permits"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
