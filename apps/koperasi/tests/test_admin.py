"""The administrator pages of the cooperative domain: reports and assessments cannot be written there, and
deleting a scoring table is audited like its edits (issue #16)."""

import pytest
from django.contrib import admin

from apps.audit.models import AuditEntry
from apps.koperasi.models import Assessment, LaporanTahunan, ScoringTable

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [LaporanTahunan, Assessment])
def test_reports_and_assessments_are_read_only_in_the_admin(rf, admin_user, model):
    request = rf.get("/")
    request.user = admin_user
    page = admin.site._registry[model]
    assert (
        page.has_add_permission(request),
        page.has_change_permission(request),
        page.has_delete_permission(request),
    ) == (
        False,
        False,
        False,
    )


def test_deleting_a_scoring_table_in_the_admin_is_audited(rf, admin_user):
    table = ScoringTable.objects.create(versi="uji-hapus", nama="Tabel uji", sumber="-", predikat=[])
    request = rf.post("/")
    request.user = admin_user
    admin.site._registry[ScoringTable].delete_model(request, table)
    entry = AuditEntry.objects.get(action="koperasi.scoring_table_delete")
    assert (entry.actor_id, entry.record_type, ScoringTable.objects.filter(versi="uji-hapus").exists()) == (
        admin_user.pk,
        "koperasi.scoringtable",
        False,
    )
