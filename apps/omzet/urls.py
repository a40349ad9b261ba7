from django.urls import path

from apps.omzet import views

app_name = "omzet"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("buku.csv", views.ledger_csv, name="ledger_csv"),
    path("toko/", views.my_dashboard, name="my_dashboard"),
    path("toko/<int:pk>/", views.seller_dashboard, name="seller_dashboard"),
    path("tak-terpetakan/", views.unmatched, name="unmatched"),
    path("tak-terpetakan/petakan/", views.map_product, name="map"),
    path("luring/", views.offline_list, name="offline_list"),
    path("luring/baru/", views.offline_new, name="offline_new"),
    path("luring/<int:pk>/", views.offline_detail, name="offline_detail"),
    path("luring/<int:pk>/faktur.pdf", views.offline_invoice, name="offline_invoice"),
    path("luring/<int:pk>/batal/", views.offline_cancel, name="offline_cancel"),
]
