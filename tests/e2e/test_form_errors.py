"""Issue #18: after a failed submit, focus lands on an error summary at the top of the form that names each
field to fix and links to it (templates/_form.html, static/js/forms.js)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_failed_registration_focuses_the_error_summary_and_its_links_reach_the_fields(page, artefacts):
    page.goto("/akun/daftar/")
    page.get_by_label("Surel").fill("bukan-surel")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Periksa isian berikut:")
    expect(summary.get_by_role("link", name="Nama pengguna")).to_be_visible()
    expect(summary.get_by_role("link", name="Surel")).to_be_visible()
    assert page.evaluate("document.querySelector('[data-error-summary]').getBoundingClientRect().top < 400")
    page.screenshot(path=artefacts / "form-error-summary-390.png", full_page=True)
    summary.get_by_role("link", name="Surel").click()
    expect(page.get_by_label("Surel")).to_be_focused()


def test_wrong_password_puts_the_reason_in_a_focused_summary(page, buyer):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("pembeli1")
    page.get_by_label("Kata sandi").fill("salah-sekali-123")
    page.get_by_role("button", name="Masuk").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Nama pengguna atau kata sandi salah.")
