"""Issue #15 H2 and issue #18: the login lockout keys on the normalised username (NFKC, trimmed, lower case),
the client address comes only from trusted proxies (the same address the audit log records), and one
office behind one NAT address is slowed down, not locked out, by other people's failures."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from apps.accounts.models import LoginFailure, User, normalize_username
from apps.audit.middleware import client_ip

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"
PASSWORD = "rahasia-kuat-123"


def post_login(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("kepala", "kepala"),
        (" kepala", "kepala"),
        ("kepala ", "kepala"),
        ("\tkepala", "kepala"),
        ("ｋｅｐａｌａ", "kepala"),
        ("KEPALA", "kepala"),
        ("Ｋｅｐａｌａ\u3000", "kepala"),
        ("bu.sri_2020", "bu.sri_2020"),
    ],
)
def test_normalize_username(typed, normal):
    assert normalize_username(typed) == normal


VARIANTS = [" operator1", "operator1 ", "\toperator1", "ｏｐｅｒａｔｏｒ１", "OPERATOR1", "Operator1"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_variant_of_a_locked_username_is_locked_too(client, operator, variant):
    for i in range(5):
        post_login(client, VARIANTS[i % len(VARIANTS)], "salah", REMOTE_ADDR=f"10.1.0.{i}")
    response = post_login(client, variant, PASSWORD, REMOTE_ADDR="10.1.0.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"operator1"}


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_variant_logs_in_to_the_same_account(client, operator, variant):
    assert post_login(client, variant, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.10", "", "192.0.2.10"),
        (0, "192.0.2.10", "10.9.9.9", "192.0.2.10"),  # no proxy configured: the header is the client's words
        (1, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "127.0.0.1", "10.9.9.9, 203.0.113.5", "203.0.113.5"),  # forged first hop ignored
        (2, "127.0.0.1", "10.9.9.9, 203.0.113.5, 198.51.100.1", "203.0.113.5"),
        (1, "127.0.0.1", "", "127.0.0.1"),  # did not come through the proxy
        (1, "127.0.0.1", "bukan-alamat", "127.0.0.1"),
    ],
)
def test_client_address_trusts_only_configured_proxies(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_forged_forwarded_for_does_not_escape_the_lockout(client, settings, operator):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(5):
        post_login(
            client, "operator1", "salah", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.2.0.{i}, 198.51.100.7"
        )
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"198.51.100.7"}
    assert post_login(client, "operator1", PASSWORD, HTTP_X_FORWARDED_FOR="10.2.0.99, 198.51.100.8").status_code == 429


def test_audit_log_records_the_trusted_address(client, settings, operator):
    from apps.audit.models import AuditEntry

    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/akun/daftar/",
        {
            "username": "sari",
            "first_name": "Sari",
            "email": "sari@contoh.id",
            "password1": "KopiPurbalingga#2020",
            "password2": "KopiPurbalingga#2020",
        },
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.9",
    )
    assert AuditEntry.objects.get(action="user.register").origin_ip == "198.51.100.9"


def test_one_office_address_is_slowed_down_not_locked_out(client, settings, operator, make_user):
    """Colleagues behind one NAT mistype their passwords: 10 failures are free, then the address waits
    1, 2, 4 … seconds after its last failure; the rightful user gets in once the short wait is over."""
    colleague = make_user("operator2", role="operator", regions=["33.03"])
    office = {"REMOTE_ADDR": "203.0.113.20"}
    for i in range(10):
        assert post_login(client, f"pegawai{i}", "salah", **office).status_code == 200
    assert post_login(client, "operator2", PASSWORD, **office).status_code == 302
    client.logout()
    # 13 failures (the last just now): the next attempt waits 2^(13-10-1) = 4 s after the last one
    LoginFailure.objects.bulk_create([LoginFailure(username=f"lain{i}", ip="203.0.113.20") for i in range(3)])
    refused = post_login(client, "operator2", PASSWORD, **office)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 5
    assert "Terlalu banyak percobaan gagal" in refused.content.decode()
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(seconds=5))
    assert post_login(client, "operator2", PASSWORD, **office).status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)
    # the address's failures stay (they were other people's); only operator2's own are cleared
    assert LoginFailure.objects.filter(ip="203.0.113.20").count() == 13


def test_the_delay_is_capped_and_a_flood_locks_the_address(client, settings, operator):
    office = {"REMOTE_ADDR": "203.0.113.30"}
    now = timezone.now() - timedelta(seconds=61)
    LoginFailure.objects.bulk_create(
        [LoginFailure(username=f"x{i}", ip="203.0.113.30") for i in range(settings.LOGIN_ADDRESS_MAX_FAILURES - 1)]
    )
    LoginFailure.objects.update(created_at=now)
    assert post_login(client, "operator1", PASSWORD, **office).status_code == 302  # 60 s cap has passed
    client.logout()
    post_login(client, "x", "salah", **office)  # the 100th failure
    assert post_login(client, "operator1", PASSWORD, **office).status_code == 429
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(seconds=settings.LOGIN_COOLOFF_SECONDS + 1))
    assert post_login(client, "operator1", PASSWORD, **office).status_code == 302


@pytest.mark.parametrize("taken", ["Sari", " sari", "ｓａｒｉ", "SARI\t"])
def test_registration_normalises_and_refuses_case_or_width_twins(client, make_user, taken):
    make_user("sari")
    response = client.post(
        "/akun/daftar/",
        {
            "username": taken,
            "email": "kembar@contoh.id",
            "password1": "KopiPurbalingga#2020",
            "password2": "KopiPurbalingga#2020",
        },
    )
    assert response.status_code == 200
    assert list(User.objects.values_list("username", flat=True)) == ["sari"]


def test_registration_stores_the_normal_form(client):
    response = client.post(
        "/akun/daftar/",
        {
            "username": " ＢｕＳｒｉ ",
            "email": "b@contoh.id",
            "password1": "KopiPurbalingga#2020",
            "password2": "KopiPurbalingga#2020",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(username="busri").exists()
