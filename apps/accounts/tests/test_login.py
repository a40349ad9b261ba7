import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import LoginFailure, User
from apps.audit.models import AuditEntry
from apps.core.roles import Role

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def post_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_success_redirects_to_dashboard(client, operator):
    response = post_login(client, "operator1", "rahasia-kuat-123")
    assert response.status_code == 302 and response.url == reverse("core:dashboard")


def test_wrong_password_is_refused_in_indonesian(client, operator):
    response = post_login(client, "operator1", "salah")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert LoginFailure.objects.filter(username="operator1").count() == 1


def test_lockout_after_five_failures_then_cool_off(client, operator, settings):
    for _ in range(5):
        post_login(client, "operator1", "salah")
    # even the right password is refused while locked
    response = post_login(client, "operator1", "rahasia-kuat-123")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # after the cool-off the right password works and clears the failures
    LoginFailure.objects.update(created_at="2000-01-01T00:00:00Z")
    response = post_login(client, "operator1", "rahasia-kuat-123")
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="operator1").exists()


def test_an_address_is_not_locked_by_five_failures_of_other_usernames(client, operator, make_user):
    """Issue #18: one office behind one NAT; the address is slowed down only much later (tests/security)."""
    make_user("operator2", role="operator", regions=["33.03"])
    for i in range(5):
        post_login(client, f"tebak{i}", "salah")
    assert post_login(client, "operator2", "rahasia-kuat-123").status_code == 302


def test_buyer_self_registration(client):
    response = client.post(
        "/akun/daftar/",
        {
            "username": "sari",
            "first_name": "Sari",
            "email": "sari@contoh.id",
            "password1": "KopiPurbalingga#2020",
            "password2": "KopiPurbalingga#2020",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="sari")
    assert user.role == Role.BUYER
    assert AuditEntry.objects.filter(action="user.register", record_id=str(user.pk)).exists()


def test_password_reset_sends_mail_with_link(client, operator):
    response = client.post("/akun/kata-sandi/lupa/", {"email": "operator1@contoh.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/akun/kata-sandi/atur/" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Atur ulang kata sandi Tuka-Tuku"


def test_password_change(client, operator):
    client.force_login(operator)
    response = client.post(
        "/akun/kata-sandi/ubah/",
        {
            "old_password": "rahasia-kuat-123",
            "new_password1": "GulaKelapa#Kristal9",
            "new_password2": "GulaKelapa#Kristal9",
        },
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("GulaKelapa#Kristal9")


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("buyer", 403), ("operator", 403), ("other_operator", 403), ("admin_user", 200)],
)
def test_user_access_page_only_for_admin(client, request, operator, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url = f"/akun/pengguna/{operator.pk}/akses/"
    assert client.get(url).status_code == status
    response = client.post(url, {"role": "admin", "regions": "33", "is_active": "on"})
    assert response.status_code == (302 if who == "admin_user" else status)
    operator.refresh_from_db()
    if who == "admin_user":
        assert operator.role == "admin"
        assert list(operator.region_assignments.values_list("region_id", flat=True)) == ["33"]
        entry = AuditEntry.objects.get(action="user.update_access")
        assert entry.changes == {"role": ["operator", "admin"], "regions": [["33.03"], ["33"]]}
    else:
        assert operator.role == "operator"
        assert not AuditEntry.objects.filter(action="user.update_access").exists()


def test_user_access_rejects_unknown_region(client, admin_user, operator):
    client.force_login(admin_user)
    response = client.post(f"/akun/pengguna/{operator.pk}/akses/", {"role": "operator", "regions": "33.99, 33.03.01"})
    assert response.status_code == 200
    assert "Kode wilayah tidak dikenal atau bukan provinsi/kabupaten: 33.99, 33.03.01" in response.content.decode()


def test_user_list_query_count_is_constant(client, admin_user, make_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    for i in range(3):
        make_user(f"op{i}", role="operator", regions=["33.03"])
    with django_assert_max_num_queries(8) as ctx:
        client.get("/akun/pengguna/")
    few = len(ctx.captured_queries)
    for i in range(3, 20):
        make_user(f"op{i}", role="operator", regions=["33.03", "33.02"])
    with django_assert_max_num_queries(few):
        client.get("/akun/pengguna/")


@pytest.mark.parametrize(("language", "heading"), [("id", "Lupa kata sandi"), ("en", "Forgot password")])
def test_password_page_headings_are_translated(client, language, heading):
    client.cookies["django_language"] = language
    assert f"<h1>{heading}</h1>" in client.get("/akun/kata-sandi/lupa/").content.decode()
