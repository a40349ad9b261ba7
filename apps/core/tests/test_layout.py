"""The layout's menu and links (reversed once per process, apps.core.navigation) and the Redis client reuse."""

import pytest

pytestmark = pytest.mark.django_db

LAYOUT = [
    # (who, links that must be in the page, links that must not)
    (
        "anonymous",
        ['href="/akun/masuk/"', 'href="/akun/daftar/"', 'action="/i18n/setlang/"'],
        ['action="/akun/keluar/"'],
    ),
    (
        "operator",
        ['action="/akun/keluar/"', 'href="/akun/kata-sandi/ubah/"', 'action="/i18n/setlang/"'],
        ['href="/akun/daftar/"'],
    ),
]


@pytest.mark.parametrize(("who", "present", "absent"), LAYOUT)
def test_layout_links(client, operator, who, present, absent):
    from django.urls import reverse

    if who == "operator":
        client.force_login(operator)
    html = client.get(reverse("core:home")).content.decode()
    assert 'href="/" class="brand"' in html
    assert all(link in html for link in present), [link for link in present if link not in html]
    assert not any(link in html for link in absent)


def test_menu_follows_the_role(operator, buyer):
    from django.contrib.auth.models import AnonymousUser

    from apps.core.navigation import nav_for

    anonymous = [i["url"] for i in nav_for(AnonymousUser())]
    assert "/" in anonymous and "/toko/" in anonymous and "/impor/" not in anonymous
    assert "/impor/" in [i["url"] for i in nav_for(operator)]


def test_redis_cache_keeps_one_client_per_pool():
    redis = pytest.importorskip("redis")
    from apps.core.cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": "uji-klien"})
    try:
        cache.get("x")
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis tidak berjalan")
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    cache.set_many({"a": 1, "b": [2]}, 30)
    assert (cache.get("a"), cache.get_many(["a", "b", "c"])) == (1, {"a": 1, "b": [2]})
    cache.delete_many(["a", "b"])


def _menu_labels(menu):
    return [(e["label"], [i["label"] for i in e["children"]]) if "children" in e else e["label"] for e in menu]


def test_officer_menu_is_grouped_and_has_no_cart(operator, make_user):
    from apps.core.navigation import nav_for, nav_menu

    menu = _menu_labels(nav_menu(nav_for(operator)))
    assert menu[:3] == ["Beranda", "Katalog", "Dasbor"]
    groups = dict(e for e in menu if isinstance(e, tuple))
    assert list(groups) == ["Data", "Toko", "Program", "Laporan"]
    # At 1366 px the officers' bar holds three links, four groups, "Keluar" and the language switch.
    assert [e for e in menu if not isinstance(e, tuple)] == ["Beranda", "Katalog", "Dasbor"]
    assert groups["Program"] == ["Program UMKM", "Kredit Mawar", "Pengembangan koperasi"]
    assert set(groups["Data"]) >= {"Registri UMKM", "Koperasi", "Pengawasan pembubaran", "Impor data"}
    assert groups["Data"][-1] == "Impor data"
    assert set(groups["Toko"]) >= {"Kurasi produk", "Omzet", "Penjualan luring", "Pesanan toko", "Verifikasi transfer"}
    assert groups["Laporan"] == ["Laporan pimpinan", "Jejak audit"]
    labels = [i["label"] for i in nav_for(operator)]
    assert "Keranjang" not in labels
    for role in ("kepala_dinas", "pimpinan", "admin", "bank"):
        assert "Keranjang" not in [i["label"] for i in nav_for(make_user(f"u_{role}", role=role))]


def test_bank_officer_sees_kredit_mawar_as_a_plain_link(make_user):
    from apps.core.navigation import nav_for, nav_menu

    assert "Kredit Mawar" in _menu_labels(nav_menu(nav_for(make_user("bank1", role="bank"))))


def test_buyer_and_seller_keep_the_cart(buyer, make_user):
    from apps.core.navigation import nav_for

    assert "Keranjang" in [i["label"] for i in nav_for(buyer)]
    assert "Keranjang" in [i["label"] for i in nav_for(make_user("penjual1", role="mitra_umkm"))]


def test_group_with_one_item_is_a_plain_link():
    from apps.core.navigation import nav_menu

    menu = nav_menu(
        [
            {"label": "Beranda", "url": "/", "group": ""},
            {"label": "Laporan pimpinan", "url": "/laporan/", "group": "laporan"},
            {"label": "Registri UMKM", "url": "/umkm/", "group": "data"},
            {"label": "Koperasi", "url": "/koperasi/", "group": "data"},
        ]
    )
    assert _menu_labels(menu) == ["Beranda", ("Data", ["Registri UMKM", "Koperasi"]), "Laporan pimpinan"]


@pytest.mark.django_db
def test_a_superuser_gets_the_menu_of_its_role_not_every_role(make_user):
    from apps.core.navigation import nav_for

    admin = make_user("root", role="admin", is_staff=True, is_superuser=True)
    names = {item["name"] for item in nav_for(admin)}
    assert "accounts:user_list" in names and "imports:index" in names
    assert not names & {"store:manage_home", "orders:buyer_orders", "omzet:my_dashboard", "pinjaman:mine"}
