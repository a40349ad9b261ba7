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


def _rows(response) -> str:
    """The table body (the filters' choice lists name every action the viewer may read)."""
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


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
    by_record = _rows(client.get("/audit/?record_type=t&record_id=2"))
    assert "a.two" in by_record and "a.one" not in by_record
    by_user = _rows(client.get(f"/audit/?actor={operator.pk}"))
    assert "a.one" in by_user and "a.two" not in by_user


def test_entries_read_like_a_record_for_an_inspector(client, operator):
    from apps.store.models import ProductStatus
    from apps.store.tests.factories import make_product, make_seller

    operator.first_name, operator.last_name = "Siti", "Rahayu"
    operator.save()
    product = make_product(seller=make_seller(shop_name="Rajut Bu Sri"), name="Tas Rajutan")
    audit_log(
        actor=operator,
        action="product.approve",
        obj=product,
        changes={"status": [ProductStatus.SUBMITTED, ProductStatus.APPROVED], "catatan": ""},
        regency_code="33.03",
    )
    audit_log(
        actor=operator,
        action="product.update",
        obj=product,
        changes={"varian RBS-TAS-3": [{"nama": "Krem", "harga": 85000, "stok": 2}, {"nama": "Krem", "harga": 90000}]},
        regency_code="33.03",
    )
    from django.contrib.auth.models import AnonymousUser

    audit_log(actor=AnonymousUser(), action="payment.checkout", obj=product, regency_code="33.03")
    client.force_login(operator)
    response = client.get("/audit/")
    rows = _rows(response)
    assert "Siti Rahayu (Operator dinas)" in rows
    assert "Produk disetujui" in rows and "product.approve" not in rows
    assert "Status: Diajukan → Disetujui (tayang)" in rows
    # PostgreSQL's jsonb keeps a nested object's keys in its own order: check the parts, not their order.
    change = rows[rows.index("Varian rbs-tas-3: ") :].split("<br>")[0].split("</small>")[0]
    before, after = change.removeprefix("Varian rbs-tas-3: ").split(" → ")
    assert sorted(before.split(", ")) == ["harga: Rp85.000", "nama: Krem", "stok: 2"]
    assert sorted(after.split(", ")) == ["harga: Rp90.000", "nama: Krem"]
    assert "Pembeli tamu (tidak masuk)" in rows and "AnonymousUser" not in rows
    assert "[" not in rows and "{" not in rows and "store.product#" not in rows
    html = response.content.decode()
    assert '<option value="product.approve">Produk disetujui</option>' in html
    assert '<option value="store.product">Produk</option>' in html
    assert f'<option value="{operator.pk}">Siti Rahayu (Operator dinas)</option>' in html
