import pytest

from apps.accounts.services import user_set_role_and_regions
from apps.audit.models import AuditEntry
from apps.audit.services import audit_log

pytestmark = pytest.mark.django_db


def test_service_writes_entry_with_request_origin(client, admin_user, operator, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # behind the deployment's nginx: the address it saw, not a forged hop
    client.force_login(admin_user)
    client.post(
        f"/akun/pengguna/{operator.pk}/akses/",
        {"role": "operator", "regions": "33.03, 33.02", "is_active": "on"},
        HTTP_X_FORWARDED_FOR="192.0.2.99, 10.1.2.3",
        HTTP_USER_AGENT="Mozilla/5.0 (Android)",
    )
    entry = AuditEntry.objects.get(action="user.update_access")
    assert entry.actor == admin_user and entry.actor_name == "admin1"
    assert entry.record_type == "accounts.user" and entry.record_id == str(operator.pk)
    assert entry.origin_ip == "10.1.2.3"
    assert entry.origin == "web POST Mozilla/5.0 (Android)"
    assert entry.changes == {"regions": [["33.03"], ["33.02", "33.03"]]}


def test_entry_commits_with_the_change_or_not_at_all(admin_user, operator):
    with pytest.raises(RuntimeError), __import__("django").db.transaction.atomic():
        user_set_role_and_regions(actor=admin_user, user=operator, role="admin", region_codes=[])
        raise RuntimeError("crash after the service, inside the same transaction")
    operator.refresh_from_db()
    assert operator.role == "operator"
    assert not AuditEntry.objects.exists()


def test_outside_a_request_the_origin_is_the_system(operator):
    entry = audit_log(actor=None, action="test.action", record_type="x", record_id="1")
    assert (entry.actor, entry.actor_name, entry.origin, entry.origin_ip) == (None, "sistem", "sistem", None)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("buyer", 403), ("operator", 200), ("admin_user", 200)]
)
def test_audit_page_access(client, request, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get("/audit/").status_code == status


def test_officer_sees_only_own_regencies_entries(client, operator):
    audit_log(actor=None, action="x.purbalingga", record_type="t", record_id="1", regency_code="33.03")
    audit_log(actor=None, action="x.banyumas", record_type="t", record_id="2", regency_code="33.02")
    client.force_login(operator)
    body = client.get("/audit/").content.decode()
    assert "x.purbalingga" in body and "x.banyumas" not in body


def test_browse_by_record_and_by_user(client, admin_user, operator):
    audit_log(actor=operator, action="a.one", record_type="t", record_id="1")
    audit_log(actor=admin_user, action="a.two", record_type="t", record_id="2")
    client.force_login(admin_user)
    by_record = client.get("/audit/?record_type=t&record_id=2").content.decode()
    assert "a.two" in by_record and "a.one" not in by_record
    by_user = client.get(f"/audit/?actor={operator.pk}").content.decode()
    assert "a.one" in by_user and "a.two" not in by_user
