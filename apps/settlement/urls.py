from django.urls import path

from apps.settlement import views

app_name = "settlement"
urlpatterns = [
    path("", views.period, name="period"),
    path("susun/", views.generate, name="generate"),
    path("tutup-periode/", views.close_period, name="close_period"),
    path("toko-saya/", views.my_statements, name="my_statements"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/penyesuaian/", views.adjustment, name="adjustment"),
    path("<int:pk>/pembayaran/", views.payout, name="payout"),
    path("<int:pk>/tutup/", views.close, name="close"),
    path("<int:pk>/laporan.pdf", views.statement_file, {"fmt": "pdf"}, name="pdf"),
    path("<int:pk>/laporan.xlsx", views.statement_file, {"fmt": "xlsx"}, name="xlsx"),
    path("bukti/<int:pk>/", views.payout_proof, name="payout_proof"),
]
