"""The roll-ups moved from the reports app to umkm (migrations reports 0003, umkm 0008) with their rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("umkm", "0007_registry_revision"), ("reports", "0002_rollup_revision")]
AFTER = [("umkm", "0008_umkm_rollup_from_reports"), ("reports", "0003_move_umkm_rollup_to_umkm")]


@pytest.fixture
def back_to_the_latest_schema():
    """Later migrations of these apps (umkm 0009 adds the yearly record's region) must be applied again
    after the test, or every test after it runs on the schema of 0008."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_move(transactional_regions, back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("reports", "UmkmRollup")
    old.objects.create(regency_id="33.03", year=2019, figures={"umkm_total": 7}, breakdowns={}, revision=3)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("umkm", "UmkmRollup")
    row = new.objects.get(regency_id="33.03", year=2019)
    assert (row.figures, row.revision) == ({"umkm_total": 7}, 3)
    assert "reports_umkmrollup" not in connection.introspection.table_names()
    assert new._meta.db_table == "umkm_umkmrollup"
