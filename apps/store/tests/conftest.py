import pytest
from django.core.cache import cache

from apps.store import cache as store_cache
from apps.store.cache import VERSION_KEY
from apps.store.search import VOCABULARY_VERSION_KEY


def forget_store_caches() -> None:
    """New versions make every cached grid and the search vocabulary stale (other apps' entries stay)."""
    cache.delete_many([VERSION_KEY, VOCABULARY_VERSION_KEY])
    store_cache._memo.update(version=None, at=0.0)  # this process's memo of the version too


@pytest.fixture(autouse=True)
def _fresh_store_caches(settings, tmp_path):
    """Each test starts from its own database: the store's cached lists and vocabulary must not leak."""
    forget_store_caches()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    forget_store_caches()
