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
    caret = nav.locator("summary", has_text="Toko").bounding_box()
    assert caret is not None and caret["height"] < 36  # the group's caret on the label's line
    nav.locator("summary", has_text="Toko").click()
    nav.get_by_role("link", name="Kurasi produk").click()
    expect(page).to_have_url(re.compile(r"/toko/kurasi/$"))
    page.screenshot(path=artefacts / f"menu-{role}-1366.png")
    context.close()


def test_buyer_order_tables_become_cards_on_a_phone(page, buyer, artefacts):
    """'Pesanan saya' and the order page fit 390 px: every amount and status is on screen with its label."""
    from apps.orders.tests.factories import make_seller, make_variant, place

    variant = make_variant(make_seller(), price=90_000)
    payment = place([(variant, 2)], buyer=buyer)
    order = payment.orders.get()
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("pembeli1")
    page.get_by_label("Kata sandi").fill("rahasia-kuat-123")
    page.get_by_role("button", name="Masuk").click()
    for path, amounts in [
        ("/pesanan/saya/", ["Rp180.000"]),
        (f"/pesanan/saya/{order.number}/", ["Rp90.000", "Rp180.000"]),
        (f"/pesanan/bayar/{payment.access_token}/", ["Rp180.000"]),
    ]:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        table = page.locator("main table.stack").first
        assert page.evaluate("(t) => t.scrollWidth <= t.parentElement.clientWidth", table.element_handle()), path
        for amount in amounts:
            cell = table.locator("td, th", has_text=amount).first
            box = cell.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390, (path, amount)
        page.screenshot(path=artefacts / f"buyer-{path.strip('/').split('/')[1]}-390.png", full_page=True)


def test_a_table_box_that_scrolls_sideways_is_a_named_tab_stop(page, operator):
    """axe's scrollable-region-focusable: a scrolling table box gets tabindex, the region role and a name.
    (A blank page: the site's CSP rightly refuses the inline copy of the script that add_script_tag makes.)"""
    page.goto("about:blank")
    page.set_content(
        "<main><h2>Lebar</h2><div class='table-wrap' style='width:200px;overflow-x:auto'><table>"
        "<tr><td style='min-width:900px'>isi</td></tr></table></div>"
        "<h2>Sempit</h2><div class='table-wrap'><table><tr><td>isi</td></tr></table></div></main>"
    )
    page.add_script_tag(path="static/js/tables.js")
    wide, narrow = page.locator(".table-wrap").all()
    expect(wide).to_have_attribute("tabindex", "0")
    expect(wide).to_have_attribute("role", "region")
    expect(wide).to_have_attribute("aria-label", "Lebar")
    expect(narrow).not_to_have_attribute("tabindex", "0")
