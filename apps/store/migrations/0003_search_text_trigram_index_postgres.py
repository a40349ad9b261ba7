"""On PostgreSQL, a trigram GIN index makes `search_text LIKE '% stem %'` fast; SQLite scans (small data).

The query is the same on both databases (word match on the stemmed `search_text`), so the results are too.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS product_search_text_trgm ON store_product USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS product_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("store", "0002_photos_and_search_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
