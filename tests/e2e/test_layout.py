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


@pytest.mark.parametrize("role", ["operator", "kepala_dinas", "admin"])
def test_officer_menu_fits_an_office_screen(browser, live_server, transactional_regions, make_user, role, artefacts):
    make_user("petugas", role=role, regions=["33.03"])
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("petugas")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/dasbor/$"))
    expect(page.locator("details.menu summary")).to_be_hidden()  # no phone menu button on a desktop
    nav = page.locator("header ul.wide-nav")
    expect(nav.get_by_role("button", name="Keluar")).to_be_visible()
    expect(nav.get_by_role("button", name="English")).to_be_visible()
    expect(nav.get_by_role("link", name="Keranjang")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artefacts / f"menu-{role}-1366-dashboard.png")
    brand = page.locator("a.brand strong").bounding_box()
    assert brand is not None and brand["height"] < 36  # "Tuka-Tuku" on one line
    expect(nav.locator("summary", has_text="Beranda")).to_have_count(0)  # plain links are not dropdowns
    nav.locator("summary", has_text="Toko").click()
    nav.get_by_role("link", name="Kurasi produk").click()
    expect(page).to_have_url(re.compile(r"/toko/kurasi/$"))
    page.screenshot(path=artefacts / f"menu-{role}-1366.png")
    context.close()
