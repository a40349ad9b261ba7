"""Issue #15 M3 and M4: a NIK never reaches a URL, a page link or the audit log in plain; a NIK reveal is
audited under the record's regency (the head of department and the province see it), from the address the
trusted proxy saw, and is rate-limited."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from apps.audit.models import AuditEntry
from apps.core.nik import nik_search_lookup, nik_search_token
from apps.umkm.tests.factories import business_make, owner_make

pytestmark = pytest.mark.django_db
NIK = "3303015204850001"
SPACED = "3303 0152 0485 0001"


@pytest.fixture
def business():
    return business_make(name="Gula Semut Sri", owner=owner_make(nik=NIK, name="Sri Rahayu", gender="P"))


def no_nik(text: str) -> bool:
    return NIK not in text and SPACED not in text and "3303+0152" not in text


@pytest.mark.parametrize("typed", [NIK, SPACED, f"  {NIK} "])
def test_search_by_nik_is_posted_and_continues_under_a_token(client, operator, business, typed):
    business_make(name="Usaha Lain")
    client.force_login(operator)
    response = client.post(reverse("umkm:list"), {"q": typed, "kecamatan": "33.03.01"})
    assert response.status_code == 302
    location = response["Location"]
    assert no_nik(location) and "nik=" in location and "kecamatan=33.03.01" in location and "q=" not in location
    page = client.get(location)
    assert [b.name for b in page.context["page"]] == ["Gula Semut Sri"]
    html = page.content.decode()
    assert no_nik(html)
    assert "Dicari dengan NIK 3303**********01." in html


def test_a_nik_typed_into_the_address_is_moved_under_a_token(client, operator, business):
    client.force_login(operator)
    for url in (reverse("umkm:list"), reverse("umkm:export", args=["csv"])):
        response = client.get(url, {"q": NIK})
        assert response.status_code == 302 and no_nik(response["Location"]) and "nik=" in response["Location"]
    assert not AuditEntry.objects.filter(action="umkm.export").exists()


def test_export_by_nik_audits_the_masked_nik_only(client, operator, business):
    client.force_login(operator)
    response = client.get(reverse("umkm:export", args=["csv"]), {"nik": nik_search_token(NIK)})
    assert response.status_code == 200
    assert no_nik(b"".join(response.streaming_content).decode())  # the file shows the masked NIK
    entry = AuditEntry.objects.get(action="umkm.export")
    assert entry.changes == {"format": "csv", "saringan": {"nik": "3303**********01"}, "baris": 1}
    assert no_nik(str(entry.changes))


@pytest.mark.parametrize("token", ["garbage", nik_search_token(NIK)[:-3] + "AAA", ""])
def test_a_forged_token_finds_nothing(client, operator, business, token):
    client.force_login(operator)
    page = client.get(reverse("umkm:list"), {"nik": token, "kecamatan": "33.03.01"} if token else {"nik": "x"})
    assert list(page.context["page"]) == []
    assert "Pencarian NIK ini sudah kedaluwarsa" in page.content.decode()


def test_a_token_expires(settings):
    token = nik_search_token(NIK)
    assert nik_search_lookup(token)[1] == "3303**********01"
    settings.NIK_SEARCH_TOKEN_SECONDS = -1
    assert nik_search_lookup(token) is None


def test_reveal_is_audited_under_the_regency_and_seen_by_the_head_and_province(
    client, operator, head, make_user, business
):
    province = make_user("provinsi1", role="kepala_dinas", regions=["33"])
    other_head = make_user("kepala_banyumas", role="kepala_dinas", regions=["33.02"])
    client.force_login(operator)
    response = client.post(reverse("umkm:reveal_nik", args=[business.pk]), {"reason": "verifikasi pinjaman"})
    assert NIK in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="nik.reveal")
    assert (entry.regency_code, entry.changes) == ("33.03", {"alasan": "verifikasi pinjaman"})
    for viewer, seen in ((head, 1), (province, 1), (other_head, 0)):
        client.force_login(viewer)
        page = client.get(reverse("audit:list"), {"action": "nik.reveal"})
        assert len(page.context["page"]) == seen, viewer.username


def test_reveal_origin_is_the_address_the_trusted_proxy_saw(client, operator, business, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(operator)
    client.post(
        reverse("umkm:reveal_nik", args=[business.pk]),
        {"reason": "cek"},
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
        REMOTE_ADDR="10.0.0.1",
    )
    assert AuditEntry.objects.get(action="nik.reveal").origin_ip == "198.51.100.7"


def test_reveals_are_rate_limited(client, operator, business, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_NIK_REVEAL = "3/h"
    cache.clear()
    client.force_login(operator)
    url = reverse("umkm:reveal_nik", args=[business.pk])
    statuses = [client.post(url, {"reason": "cek"}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert AuditEntry.objects.filter(action="nik.reveal").count() == 3
