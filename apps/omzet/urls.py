from django.urls import path

from apps.omzet import views

app_name = "omzet"
urlpatterns = [
    path("tak-terpetakan/", views.unmatched, name="unmatched"),
    path("tak-terpetakan/petakan/", views.map_product, name="map"),
]
