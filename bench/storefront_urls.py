"""The site's URLs plus the benchmark baseline: a static 24-item JSON response through the same stack."""

from django.http import JsonResponse
from django.urls import path

from tukatuku.urls import urlpatterns as site_urlpatterns

ITEMS = [{"id": i, "name": f"Produk {i}", "min_price": 10_000 + i, "url": f"/toko/produk/{i}/"} for i in range(24)]


def baseline(request):
    return JsonResponse({"count": 24, "page": 1, "pages": 1, "results": ITEMS})


urlpatterns = [path("bench/baseline.json", baseline), *site_urlpatterns]
