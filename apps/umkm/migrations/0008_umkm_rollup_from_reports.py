"""The UMKM roll-ups move here from the reports app: the model enters this app's state over the existing
table `reports_umkmrollup` (no database change), then the table is renamed, rows and all."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("umkm", "0007_registry_revision"),
        ("regions", "0002_load_kemendagri_codes"),
        ("reports", "0002_rollup_revision"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="UmkmRollup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="tahun data")),
                        ("figures", models.JSONField(verbose_name="angka")),
                        ("breakdowns", models.JSONField(verbose_name="rincian")),
                        ("revision", models.BigIntegerField(default=-1)),
                        ("computed_at", models.DateTimeField(auto_now=True)),
                        (
                            "regency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="regions.region"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "ringkasan UMKM per kabupaten",
                        "verbose_name_plural": "ringkasan UMKM per kabupaten",
                        "db_table": "reports_umkmrollup",
                        "constraints": [
                            models.UniqueConstraint(fields=("regency", "year"), name="umkm_rollup_regency_year_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="umkmrollup", table=None),
    ]
