"""The UMKM roll-ups moved to the umkm app (`umkm.UmkmRollup`): the model leaves this app's state only;
its table and rows are taken over (and renamed) by umkm's migration 0008, so no row is lost."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_rollup_revision"),
        ("umkm", "0008_umkm_rollup_from_reports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="UmkmRollup")],
            database_operations=[],
        )
    ]
