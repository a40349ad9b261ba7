from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import include, path

from apps.core import urls as core_urls
from apps.core.redirects import safe_next
from apps.store.views import storefront
from tukatuku.api import api

# The site home is the storefront, named `core:home` beside the dashboard: the project joins the two here,
# so apps.core imports no app above it.
core_patterns = [path("", storefront.home, name="home"), *core_urls.urlpatterns]


def admin_login(request):
    """The Django admin signs in through the site's login (its lockout and normalised usernames, issue #15
    H2): its own form would check passwords without them."""
    target = safe_next(request, request.GET.get("next"), "")
    return redirect_to_login(target) if target else redirect(settings.LOGIN_URL)


urlpatterns: list = [
    path("", include((core_patterns, core_urls.app_name))),
    path("akun/", include("apps.accounts.urls")),
    path("audit/", include("apps.audit.urls")),
    path("tugas/", include("apps.jobs.urls")),
    path("impor/", include("apps.imports.urls")),
    path("umkm/", include("apps.umkm.urls")),
    path("laporan/", include("apps.reports.urls")),
    path("pesanan/", include("apps.orders.urls")),
    path("omzet/", include("apps.omzet.urls")),
    path("toko/", include("apps.store.urls")),
    path("koperasi/", include("apps.koperasi.urls")),
    path("program/", include("apps.program.urls")),
    path("pengembangan/", include("apps.pengembangan.urls")),
    path("kredit-mawar/", include("apps.pinjaman.urls")),
    path("showroom/", include("apps.konsinyasi.urls")),
    path("penyelesaian/", include("apps.settlement.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/login/", admin_login),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
