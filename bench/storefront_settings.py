"""Settings for bench/storefront.py: the site's settings, a URLconf with the baseline, optional no cache."""

import os

from tukatuku.settings import *  # noqa: F403

ROOT_URLCONF = "bench.storefront_urls"
if os.environ.get("BENCH_CACHE") == "none":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
