"""Product.listed: approved and the shop verified, kept by the services so the storefront needs no join on
the seller's status. Filled here from the current statuses; the storefront indexes move from status to it
and end with the id, as the catalogue sorts do."""

from django.db import migrations, models


def fill_listed(apps, schema_editor):
    Product = apps.get_model("store", "Product")
    Product.objects.filter(status="disetujui", seller__status="terverifikasi").update(listed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_kemendagri_codes"),
        ("store", "0004_product_parent_sku"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="product",
            name="product_status_district_idx",
        ),
        migrations.RemoveIndex(
            model_name="product",
            name="product_status_price_idx",
        ),
        migrations.RemoveIndex(
            model_name="product",
            name="product_status_listed_idx",
        ),
        migrations.AddField(
            model_name="product",
            name="listed",
            field=models.BooleanField(default=False, editable=False, verbose_name="tayang"),
        ),
        # Reverse: nothing to undo, the field is removed by the step above.
        migrations.RunPython(fill_listed, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["listed", "category"], name="product_listed_category_idx"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["listed", "district"], name="product_listed_district_idx"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["listed", "listed_at", "id"], name="product_listed_at_idx"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["listed", "min_price", "id"], name="product_listed_price_idx"),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["listed", "name", "id"], name="product_listed_name_idx"),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(
                condition=models.Q(("listed", False), ("status", "disetujui"), _connector="OR"),
                name="product_listed_only_if_approved",
            ),
        ),
    ]
