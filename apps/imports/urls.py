from django.urls import path

from apps.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/unggah/", views.upload, name="upload"),
    path("<slug:kind>/alias/", views.aliases, name="aliases"),
    path("<slug:kind>/templat.xlsx", views.template_file, name="template"),
    path("riwayat/<int:pk>/ditolak.csv", views.errors_file, name="errors"),
    path("riwayat/<int:pk>/ditolak.xlsx", views.errors_xlsx, name="errors_xlsx"),
]
