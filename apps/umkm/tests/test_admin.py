"""RuleSet is edited in the admin (README: a new regulation is a new row), and every edit is audited."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.umkm.models import RuleSet

pytestmark = pytest.mark.django_db


def test_rule_set_edit_in_admin_is_audited(client, admin_user):
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    rule = RuleSet.objects.order_by("pk").first()
    url = reverse("admin:umkm_ruleset_change", args=[rule.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        name: ("" if value is None else value)
        for name, value in page.context["adminform"].form.initial.items()
        if name in {f.name for f in RuleSet._meta.fields}
    }
    data["title"] = rule.title + " (dikoreksi)"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.title.endswith("(dikoreksi)")
    entry = AuditEntry.objects.get(action="umkm.ruleset_admin_change")
    assert "title" in entry.changes


def test_koperasi_admin_edit_is_audited(client, admin_user):
    from apps.koperasi.tests.factories import make_koperasi

    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    koperasi = make_koperasi()
    url = reverse("admin:koperasi_koperasi_delete", args=[koperasi.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(action="koperasi.koperasi_admin_delete").count() == 1
