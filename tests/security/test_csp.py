"""Issue #15 M9: every page carries a Content-Security-Policy that runs no inline script and applies no
inline style, and no page needs one: no <script> without src (JSON data blocks excepted, browsers do not run
them), no on*= handler, no style= attribute or <style> element. The pages are the menus of every role."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from apps.accounts.models import Role

pytestmark = pytest.mark.django_db


class InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.links: list[str] = []
        self._in_nav = 0

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "script" and not named.get("src") and named.get("type") != "application/json":
            self.inline.append(f"<script {attrs}>")
        if tag == "style":
            self.inline.append("<style>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.inline.append(f"<{tag} {name}={value!r}>")
            if value and value.lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}={value!r}>")
        if tag == "nav":
            self._in_nav += 1
        if tag == "a" and self._in_nav and named.get("href", "").startswith("/"):
            self.links.append(named["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav -= 1


def inline_parts(html: str) -> InlineFinder:
    finder = InlineFinder()
    finder.feed(html)
    return finder


def assert_policy(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_the_inline_finder_finds_what_the_policy_would_block():
    html = (
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/s.js"></script>'
        '<select onchange="x()"></select><div style="color:red"></div><style>a{}</style><a href="javascript:x">'
    )
    assert len(inline_parts(html).inline) == 5


PUBLIC = ["/", "/toko/", "/toko/kategori/", "/toko/produk-desa/", "/akun/masuk/", "/akun/daftar/", "/api/v1/docs"]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_policy(response)
    assert inline_parts(response.content.decode()).inline == []


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_page_of_every_roles_menu(client, make_user, role):
    user = make_user(f"u_{role}", role=role, regions=["33.03"], is_staff=role == Role.ADMIN)
    client.force_login(user)
    start = client.get("/dasbor/", follow=True)
    found = inline_parts(start.content.decode())
    pages = sorted({urlsplit(link).path for link in found.links} - {"/akun/keluar/"})
    assert pages, "the menu lists no page"
    for path in pages:
        response = client.get(path)  # a seller without a shop gets a 404 page: it is checked too
        assert_policy(response)
        assert inline_parts(response.content.decode()).inline == [], path


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "script" and named.get("src"):
            self.urls.append(named["src"])
        if tag == "link" and named.get("href"):
            self.urls.append(named["href"])


def test_api_docs_load_swagger_ui_from_the_packages_static_files(client):
    """Issue #15 L8: Swagger UI came from cdn.jsdelivr.net; now django-ninja's bundled copy is served."""
    assets = Assets()
    assets.feed(client.get("/api/v1/docs").content.decode())
    assert "/static/ninja/swagger-ui-bundle.js" in assets.urls
    assert all(url.startswith("/static/") for url in assets.urls), assets.urls
