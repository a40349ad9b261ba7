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


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_focus_rings_of_links_buttons_and_radios_are_at_least_3_to_1(page, buyer):
    """WCAG 1.4.11: the keyboard focus indicator is an opaque outline of at least 3:1 against the page."""
    page.goto("/akun/masuk/")
    # a radio after the password field (the login form has none; the rule is the same on every page)
    page.evaluate(
        """() => { const r = document.createElement("input"); r.type = "radio"; r.name = "contoh";
                   r.setAttribute("aria-label", "contoh"); document.querySelector("#id_password").after(r); }"""
    )
    page.get_by_label("Kata sandi").focus()
    for target in ("INPUT", "BUTTON", "A"):
        page.keyboard.press("Tab")  # the keyboard, so :focus-visible applies
        style = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                const bg = getComputedStyle(document.documentElement).backgroundColor;
                const nums = c => c.match(/[\\d.]+/g).map(Number);
                return {tag: document.activeElement.tagName, width: parseFloat(s.outlineWidth),
                        style: s.outlineStyle, color: nums(s.outlineColor), bg: nums(bg)}; }"""
        )
        assert style["tag"] == target, style
        assert style["style"] == "solid" and style["width"] >= 2, (target, style)
        assert len(style["color"]) == 3 or style["color"][3] == 1, (target, style)  # opaque
        assert len(style["bg"]) == 3 or style["bg"][3] == 1, style  # the page colour itself
        lighter, darker = sorted((_luminance(style["color"]), _luminance(style["bg"])), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 3, (target, style)
