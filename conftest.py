"""Project-wide pytest fixtures: users of every role, regions, and a live browser for e2e tests."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM guard would refuse the
# live-server test's own queries without this (the ORM calls are still synchronous).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def make_user(db, request):
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_regions")

    from apps.accounts.models import RegionAssignment, User

    def make(username="u", role="pembeli", regions=(), password="rahasia-kuat-123", **extra):
        user = User.objects.create_user(
            username=username, password=password, role=role, email=f"{username}@contoh.id", **extra
        )
        for code in regions:
            RegionAssignment.objects.create(user=user, region_id=code)
        return user

    return make


@pytest.fixture
def operator(make_user):
    return make_user("operator1", role="operator", regions=["33.03"])


@pytest.fixture
def other_operator(make_user):
    """An operator of another regency (Banyumas, 33.02)."""
    return make_user("operator_banyumas", role="operator", regions=["33.02"])


@pytest.fixture
def head(make_user):
    return make_user("kepala1", role="kepala_dinas", regions=["33.03"])


@pytest.fixture
def admin_user(make_user):
    return make_user("admin1", role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def buyer(make_user):
    return make_user("pembeli1", role="pembeli")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (a downloaded browser build does not work here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


# Data migrations that seed reference tables: (app label, migration, model whose emptiness means "flushed").
SEEDING_MIGRATIONS = [
    ("umkm", "0003_seed_rule_sets", "umkm.RuleSet"),
    ("koperasi", "0002_seed_perdep_06_2016", "koperasi.ScoringTable"),
    ("pinjaman", "0002_seed_mawar_schemes", "pinjaman.Scheme"),
]


@pytest.fixture
def transactional_regions(transactional_db):
    """Transactional tests flush every table afterwards, migrated reference data too: put it back.

    Central Java's regions (the national list would cost seconds per test) and the tables seeded by
    data migrations (classification rules, the health scoring table). Every transactional test gets it
    (see `_reseed_after_flush`).
    """
    import importlib

    from django.apps import apps

    from apps.regions.loader import load_regions
    from apps.regions.models import Region

    if not Region.objects.filter(code="33.03").exists():
        load_regions(Region, prefix="33")
    for app_label, migration, model in SEEDING_MIGRATIONS:
        if not apps.get_model(model).objects.exists():
            importlib.import_module(f"apps.{app_label}.migrations.{migration}").seed(apps, None)


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    # `django_db(transaction=True)` (POSTGRES_PARALLEL) flushes like the fixture does, without naming it
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if marked or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_regions")


@pytest.fixture
def page(browser, live_server, transactional_regions):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded and imported files of a test go to a temporary folder, never into the work tree."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PROTECTED_MEDIA_ROOT = tmp_path_factory.mktemp("protected")


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request in English leaves its language active in the thread (LocaleMiddleware never resets it):
    put the site's language back so the next test's messages are Indonesian again."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _rate_limits_off(settings):
    """Rate limits count in the shared cache across tests (a suite uploads far more than 20 files a minute):
    off by default; tests/security/test_rate_limits.py turns them on with a cleared cache."""
    settings.RATELIMIT_ENABLE = False
