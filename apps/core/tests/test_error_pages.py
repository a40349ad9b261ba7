"""Error pages in Indonesian with the site's layout (templates/404.html, 403.html, 500.html)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_404_in_indonesian_with_layout(client):
    response = client.get("/tidak-ada-halaman-ini/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Halaman tidak ditemukan</h1>" in html
    assert 'class="brand"' in html and "Kembali ke beranda" in html
    assert "Not Found" not in html


def test_403_names_the_roles_that_may_act(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("audit:list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Akses ditolak</h1>" in html
    assert "Halaman ini hanya untuk: Operator dinas, Kepala dinas / kabid, Administrator sistem." in html
    assert "Anda masuk sebagai Pembeli." in html


def test_403_in_english(client, buyer):
    client.force_login(buyer)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("audit:list")).content.decode()
    assert "Access denied" in html and "This page is only for: " in html


def test_500_page_needs_no_context():
    from django.views.defaults import server_error

    with translation.override("id"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Terjadi gangguan</h1>" in html and "Data yang sudah tersimpan tidak hilang." in html
