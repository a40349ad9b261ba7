from django.db import migrations, models
from django.db.models import F


def confirm_existing(apps, schema_editor):
    """Payments made before the confirmation step already received their mails: treat them as confirmed, so
    their cash-on-delivery orders stay processable and do not expire."""
    apps.get_model("orders", "Payment").objects.update(contact_confirmed_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_files_protected_storage")]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="contact_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mail dikonfirmasi"),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
