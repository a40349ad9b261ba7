"""Issue #15 L5: registration does not tell whether an account exists: a taken name and a reserved name get
one neutral message (never Django's "Seorang pengguna dengan nama pengguna tersebut sudah ada"), and
registration attempts are rate-limited per address so the names cannot be walked in bulk."""

import pytest
from django.core.cache import cache

from apps.accounts.models import User

pytestmark = pytest.mark.django_db
NEUTRAL = "Nama pengguna ini tidak tersedia. Pilih nama lain."


def register(client, username):
    return client.post(
        "/akun/daftar/",
        {
            "username": username,
            "email": "x@contoh.id",
            "password1": "KopiPurbalingga#2020",
            "password2": "KopiPurbalingga#2020",
        },
    )


@pytest.mark.parametrize("name", ["operator1", "OPERATOR1", "admin", "kepala", "sistem"])
def test_taken_and_reserved_names_read_alike(client, operator, name):
    response = register(client, name)
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [NEUTRAL]
    assert "sudah ada" not in response.content.decode()
    assert User.objects.count() == 1


def test_registration_is_rate_limited(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_REGISTER = "3/h"
    cache.clear()
    statuses = [register(client, "admin").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/akun/daftar/").status_code == 200  # the form itself is not counted
