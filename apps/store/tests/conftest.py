import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_search_vocabulary(settings, tmp_path):
    """The search vocabulary is cached per process; each test starts from its own database."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    cache.clear()
