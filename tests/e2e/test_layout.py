import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_language_switch_to_english_and_back(page, operator):
    page.goto("/akun/masuk/")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.locator("details.menu summary").click()  # phone viewport: the switch is in the menu
    page.locator("details.menu").get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.locator("details.menu summary").click()
    page.locator("details.menu").get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_phone_menu_reaches_dashboard_links(page, operator):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("operator1")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/dasbor/$"))
    page.locator("details.menu summary").click()
    expect(page.locator("details.menu").get_by_role("link", name="Jejak audit")).to_be_visible()
    no_horizontal_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_horizontal_scroll
