"""Issue #15 M9 and L8 in a real browser: under the Content-Security-Policy the pages run with no
violation reported by Chromium, and Swagger UI (served from django-ninja's own files) draws the API."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def watch(page) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    return refused


def test_api_docs_render_under_the_policy(page):
    refused = watch(page)
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Tuka-Tuku API")
    expect(page.get_by_text("/api/v1/products").first).to_be_visible()
    assert refused == []


def test_pages_with_scripts_run_without_violations(page, operator):
    refused = watch(page)
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("operator1")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    for path in ("/dasbor/", "/umkm/", "/toko/", "/omzet/luring/baru/"):
        page.goto(path)
        page.wait_for_load_state("load")
    assert refused == []
