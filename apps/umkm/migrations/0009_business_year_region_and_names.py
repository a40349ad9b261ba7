"""Each yearly record carries the region its row gave (a business belongs to the region of its latest
record up to the year asked, SPEC §4), filled from its business for the records already stored; and the
stored normalised business names are recomputed with punctuation removed (SPEC §4: "Bu. Sri" = "BU SRI")."""

import re

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

_PUNCTUATION_AND_SPACE = re.compile(r"[\W_]+")


def normalize_business_name(name):
    """`apps.umkm.rules.normalize_business_name` as of this migration (frozen here on purpose)."""
    return " ".join(_PUNCTUATION_AND_SPACE.sub(" ", name.casefold()).split())[:200]


def records_take_their_business_region(apps, schema_editor):
    Business = apps.get_model("umkm", "Business")
    BusinessYear = apps.get_model("umkm", "BusinessYear")
    own = Business.objects.filter(pk=OuterRef("business_id"))
    BusinessYear.objects.update(
        regency_id=Subquery(own.values("regency_id")[:1]),
        district_id=Subquery(own.values("district_id")[:1]),
        village_id=Subquery(own.values("village_id")[:1]),
    )


def names_renormalized(apps, schema_editor):
    """A business without NIB whose new normalised name is already another business of the same owner
    keeps its old one (merging two businesses is an operator's decision, not a migration's)."""
    Business = apps.get_model("umkm", "Business")
    taken = set(Business.objects.filter(nib="").values_list("owner_id", "name_normalized"))
    changed = []
    for business in Business.objects.only("id", "owner_id", "nib", "name", "name_normalized").iterator(2000):
        new = normalize_business_name(business.name)
        if new == business.name_normalized:
            continue
        if not business.nib:
            if (business.owner_id, new) in taken:
                continue
            taken.discard((business.owner_id, business.name_normalized))
            taken.add((business.owner_id, new))
        business.name_normalized = new
        changed.append(business)
    Business.objects.bulk_update(changed, ["name_normalized"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0002_load_kemendagri_codes"),
        ("umkm", "0008_umkm_rollup_from_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="businessyear",
            name="regency",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"
            ),
        ),
        migrations.AddField(
            model_name="businessyear",
            name="district",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"
            ),
        ),
        migrations.AddField(
            model_name="businessyear",
            name="village",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"
            ),
        ),
        migrations.RunPython(records_take_their_business_region, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="businessyear",
            name="regency",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"),
        ),
        migrations.AlterField(
            model_name="businessyear",
            name="district",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"),
        ),
        migrations.AlterField(
            model_name="businessyear",
            name="village",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region"),
        ),
        migrations.AddIndex(
            model_name="businessyear",
            index=models.Index(fields=["regency", "year"], name="business_year_regency_idx"),
        ),
        migrations.RunPython(names_renormalized, migrations.RunPython.noop, elidable=True),
    ]
