from django.urls import path

from apps.konsinyasi import views

app_name = "konsinyasi"
urlpatterns = [
    path("", views.locations, name="locations"),
    path("kedaluwarsa/", views.expiring, name="expiring"),
    path("laporan/", views.reports, name="reports"),
    path("lokasi/<int:pk>/", views.location, name="location"),
    path("lokasi/<int:pk>/ubah/", views.location_edit, name="location_edit"),
    path("lokasi/<int:pk>/qris/", views.location_qris, name="location_qris"),
    path("lokasi/<int:pk>/mutasi/", views.movements, name="movements"),
    path("lokasi/<int:pk>/terima/", views.receipt_new, name="receipt_new"),
    path("lokasi/<int:pk>/pindah/", views.transfer_new, name="transfer_new"),
    path("lokasi/<int:pk>/retur/", views.return_new, name="return_new"),
    path("lokasi/<int:pk>/opname/", views.count_new, name="count_new"),
    path("lokasi/<int:pk>/kasir/", views.kasir, name="kasir"),
    path("lokasi/<int:pk>/kasir/keranjang/", views.kasir_cart, name="kasir_cart"),
    path("lokasi/<int:pk>/kasir/bayar/", views.kasir_pay, name="kasir_pay"),
    path("lokasi/<int:pk>/tutup-kasir/", views.closing, name="closing"),
    path("tanda-terima/<int:pk>/", views.receipt, name="receipt"),
    path("tanda-terima/<int:pk>/tanda-terima.pdf", views.receipt_document, name="receipt_pdf"),
    path("tanda-terima/<int:pk>/label.pdf", views.receipt_labels, name="receipt_labels"),
    path("retur/<int:pk>/", views.return_note, name="return_note"),
    path("penjualan/<int:pk>/", views.sale, name="sale"),
    path("penjualan/<int:pk>/struk.pdf", views.sale_pdf, name="sale_pdf"),
    path("penjualan/<int:pk>/batal/", views.sale_cancel_view, name="sale_cancel"),
]
