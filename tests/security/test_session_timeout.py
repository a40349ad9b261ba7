"""Issue #15 M9: staff sessions end after STAFF_IDLE_TIMEOUT_SECONDS without a request (ASVS 3.3.2);
buyers, sellers and cooperative officers keep their long sessions."""

import time

import pytest

from apps.accounts.middleware import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db
MINUTE = 60


def idle_for(client, seconds: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds
    session.save()


ROLES = [
    ("operator", True),
    ("kepala_dinas", True),
    ("pimpinan", True),
    ("bank", True),
    ("admin", True),
    ("asesor", True),
    ("juri", True),
    ("pembeli", False),
    ("mitra_umkm", False),
    ("pengurus_koperasi", False),
]


@pytest.mark.parametrize(("role", "times_out"), ROLES)
def test_idle_timeout_by_role(client, make_user, settings, role, times_out):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 30 * MINUTE
    client.force_login(make_user(f"u_{role}", role=role, regions=["33.03"]))
    idle_for(client, 31 * MINUTE)
    response = client.get("/pesanan/saya/")
    if times_out:
        assert (response.status_code, response["Location"]) == (302, "/akun/masuk/?next=/pesanan/saya/")
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"])
        assert "tidak ada aktivitas selama 30 menit" in page.content.decode()
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(("idle_minutes", "signed_in"), [(0, True), (29, True), (31, False), (24 * 60, False)])
def test_timeout_boundary_and_the_session_expiry(client, operator, settings, idle_minutes, signed_in):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 30 * MINUTE
    client.force_login(operator)
    idle_for(client, idle_minutes * MINUTE + 1)
    response = client.get("/pesanan/saya/")
    assert (response.status_code == 200) is signed_in
    if signed_in and idle_minutes:
        # the request counted as activity: the session now lives for the timeout, not SESSION_COOKIE_AGE
        assert client.session.get_expiry_age() == 30 * MINUTE
        assert response.cookies["sessionid"]["max-age"] == 30 * MINUTE


def test_first_minute_after_sign_in_counts_from_the_sign_in(client, operator, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 30 * MINUTE
    client.force_login(operator)
    operator.last_login = operator.last_login.replace(year=operator.last_login.year - 1)
    operator.save(update_fields=["last_login"])
    assert client.get("/pesanan/saya/").status_code == 302  # signed in a year ago and never seen since


def test_posting_after_the_timeout_signs_in_again_without_acting(client, operator, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 30 * MINUTE
    client.force_login(operator)
    idle_for(client, 31 * MINUTE)
    response = client.post("/umkm/", {"q": "gula"})
    assert (response.status_code, response["Location"]) == (302, "/akun/masuk/?next=/")
