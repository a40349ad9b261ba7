import apps.core.uploads
from apps.core.uploads import move_stored_files
from django.db import migrations


def to_protected(registry, schema_editor):
    """Photos stored so far leave the public MEDIA_ROOT for the protected storage, under random names."""
    move_stored_files(registry.get_model("program", "ApplicationPhoto"), "image", prefix="program/foto")


def to_public(registry, schema_editor):
    move_stored_files(
        registry.get_model("program", "ApplicationPhoto"), "image", prefix="program/foto", to_protected=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("program", "0003_festivals"),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicationphoto",
            name="image",
            field=apps.core.uploads.ProtectedFileField(
                max_length=200, storage=apps.core.uploads.protected_storage, upload_to="program/foto"
            ),
        ),
        migrations.RunPython(to_protected, to_public),
    ]
