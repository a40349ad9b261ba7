from django.urls import path

from apps.umkm import views

app_name = "umkm"
urlpatterns = [
    path("", views.registry_list, name="list"),
    path("ekspor.<str:fmt>", views.registry_export, name="export"),
    path("naik-kelas/", views.naik_kelas, name="naik_kelas"),
    path("<int:pk>/", views.business_detail, name="detail"),
    path("<int:pk>/nik/", views.business_reveal_nik, name="reveal_nik"),
    path("<int:pk>/ubah/", views.business_edit, name="edit"),
    path("<int:pk>/tahun/<int:year>/ubah/", views.business_year_edit, name="year_edit"),
]
