"""A link a role cannot use is not shown (issue #18): leadership reads the registries, the omzet ledger and
the Kredit Mawar desk (the bank officer that desk too), but the pages behind these links are staff work
(403 for them)."""

import pytest

pytestmark = pytest.mark.django_db

STAFF_LINKS = [
    ("/dasbor/", "/koperasi/tinjauan/"),
    ("/dasbor/", "/koperasi/pembubaran/"),
    ("/koperasi/", "/koperasi/tinjauan/"),
    ("/koperasi/", "/impor/koperasi/unggah/"),
    ("/umkm/", "/impor/umkm/unggah/"),
    ("/omzet/", "/omzet/tak-terpetakan/"),
    ("/omzet/", "/omzet/luring/"),
    ("/kredit-mawar/", "/kredit-mawar/permohonan/baru/"),
    ("/kredit-mawar/", "/kredit-mawar/rekomendasi/baru/"),
    ("/kredit-mawar/", "/impor/pinjaman/unggah/"),
]


@pytest.mark.parametrize(("page", "link"), STAFF_LINKS)
@pytest.mark.parametrize(("role", "shown"), [("operator", True), ("pimpinan", False), ("bank", False)])
def test_staff_links(client, make_user, page, link, role, shown):
    if role == "bank" and not page.startswith("/kredit-mawar/"):
        pytest.skip("the bank officer's pages are the Kredit Mawar desk")
    user = make_user(f"u_{role}", role=role, regions=["33.03"])
    client.force_login(user)
    response = client.get(page)
    assert response.status_code == 200
    assert (f'href="{link}"' in response.content.decode()) is shown
    assert client.get(link).status_code == (200 if shown else 403)
