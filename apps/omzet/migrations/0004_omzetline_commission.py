from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("omzet", "0003_offline_sales"),
    ]

    operations = [
        migrations.AddField(
            model_name="omzetline",
            name="commission",
            field=models.BigIntegerField(
                blank=True,
                help_text="komisi dinas yang disepakati untuk baris ini (titipan); kosong = aturan komisi yang berlaku",
                null=True,
                verbose_name="komisi (Rp)",
            ),
        ),
    ]
