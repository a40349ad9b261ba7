from django.urls import path

from apps.core import views
from apps.store.views import storefront

app_name = "core"
urlpatterns = [
    path("", storefront.home, name="home"),  # the storefront is the site home
    path("dasbor/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
]
