import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_operator_logs_in_and_reaches_dashboard(page, operator):
    page.goto("/akun/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Nama pengguna").fill("operator1")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/dasbor/$"))
    expect(page.get_by_role("heading", name="Dasbor")).to_be_visible()


def test_wrong_password_is_refused(page, operator):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("operator1")
    page.get_by_label("Kata sandi").fill("salah-sekali")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert").first).to_contain_text("Nama pengguna atau kata sandi salah")
    expect(page).to_have_url(re.compile(r"/akun/masuk/$"))
