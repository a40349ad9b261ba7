from django.db import migrations


def load(apps, schema_editor):
    from apps.regions.loader import load_regions

    load_regions(apps.get_model("regions", "Region"))


def unload(apps, schema_editor):
    region = apps.get_model("regions", "Region")
    for level in (4, 3, 2, 1):
        region.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
