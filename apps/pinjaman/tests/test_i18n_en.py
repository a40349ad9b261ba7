import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation


@pytest.fixture(autouse=True)
def _site_language_afterwards():
    """A request in English leaves English active in this thread: later tests expect the site's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_desk_in_english_and_indonesian(client, operator):
    client.force_login(operator)
    english = client.get(reverse("pinjaman:desk"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Kredit Mawar (zero-interest loans)</h1>" in english
    assert "Waiting for recommendation" in english and "Falling due in the next 14 days" in english
    indonesian = client.get(reverse("pinjaman:desk")).content.decode()
    assert "Menunggu rekomendasi" in indonesian
