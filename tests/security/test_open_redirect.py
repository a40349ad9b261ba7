"""Issue #15 L2: no view sends anyone to another site through a `next` it was given: login, logout, the
cart, the training-participant cancel (apps.core.redirects.safe_next, Django's host-and-scheme check), and
the Django admin's own login form is not a second, lockout-free way in."""

import pytest
from django.test import RequestFactory

from apps.core.redirects import safe_next

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example/x",
    "///evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    " //evil.example",
    "http://testserver@evil.example/",
]
LOCAL = ["/toko/", "/pesanan/keranjang/?x=1", "/akun/masuk/"]


@pytest.mark.parametrize("candidate", HOSTILE)
def test_safe_next_refuses_other_sites(candidate):
    request = RequestFactory().post("/")
    assert safe_next(request, candidate, "/fallback/") == "/fallback/"


@pytest.mark.parametrize("candidate", LOCAL)
def test_safe_next_keeps_local_paths(candidate):
    assert safe_next(RequestFactory().post("/"), candidate, "/fallback/") == candidate


def is_local(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\")) and "evil" not in location


@pytest.mark.parametrize("candidate", HOSTILE)
def test_cart_add(client, candidate):
    response = client.post("/pesanan/keranjang/tambah/", {"quantity": "0", "next": candidate})
    assert response.status_code == 302 and response["Location"] == "/pesanan/keranjang/"


@pytest.mark.parametrize("candidate", HOSTILE)
def test_login(client, operator, candidate):
    response = client.post("/akun/masuk/", {"username": "operator1", "password": "rahasia-kuat-123", "next": candidate})
    assert response.status_code == 302 and is_local(response["Location"]), response["Location"]


@pytest.mark.parametrize("candidate", HOSTILE)
def test_logout(client, operator, candidate):
    client.force_login(operator)
    response = client.post("/akun/keluar/", {"next": candidate})
    assert response.status_code == 302 and is_local(response["Location"]), response["Location"]


def test_django_admin_login_goes_through_the_site_login(client, admin_user):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert (response.status_code, response["Location"]) == (302, "/akun/masuk/?next=/django-admin/")
    # a password guess posted to the admin's form is not checked there (no lockout-free login)
    posted = client.post("/django-admin/login/", {"username": "admin1", "password": "rahasia-kuat-123"})
    assert posted.status_code == 302 and "_auth_user_id" not in client.session
    assert client.get("/django-admin/login/?next=//evil.example")["Location"] == "/akun/masuk/"
