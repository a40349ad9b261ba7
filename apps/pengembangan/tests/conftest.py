import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _site_language():
    """A request in English earlier in the run leaves this thread's language active; messages that are
    translated outside a request (commands, services) are asserted in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
