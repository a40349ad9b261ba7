import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                (
                    "code",
                    models.CharField(max_length=13, primary_key=True, serialize=False, verbose_name="kode"),
                ),
                ("name", models.CharField(max_length=100, verbose_name="nama")),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Provinsi"),
                            (2, "Kabupaten/Kota"),
                            (3, "Kecamatan"),
                            (4, "Desa/Kelurahan"),
                        ],
                        verbose_name="tingkat",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="regions.region",
                    ),
                ),
            ],
            options={
                "verbose_name": "wilayah",
                "verbose_name_plural": "wilayah",
                "ordering": ["code"],
                "indexes": [models.Index(fields=["level", "code"], name="region_level_code_idx")],
            },
        ),
    ]
