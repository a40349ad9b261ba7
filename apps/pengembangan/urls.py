from django.urls import path

from apps.pengembangan.views import ujikom

app_name = "pengembangan"
urlpatterns = [
    path("uji-kompetensi/", ujikom.sesi_list, name="sesi_list"),
    path("uji-kompetensi/sesi/baru/", ujikom.sesi_create, name="sesi_create"),
    path("uji-kompetensi/sesi/<int:pk>/", ujikom.sesi_detail, name="sesi_detail"),
    path("uji-kompetensi/sesi/<int:pk>/status/", ujikom.sesi_status, name="sesi_status"),
    path("uji-kompetensi/peserta/<int:pk>/nilai/", ujikom.peserta_nilai, name="peserta_nilai"),
    path("uji-kompetensi/peserta/<int:pk>/batal/", ujikom.peserta_batal, name="peserta_batal"),
    path("uji-kompetensi/hasil/<int:pk>/", ujikom.hasil_detail, name="hasil_detail"),
    path("uji-kompetensi/hasil/<int:pk>/sertifikat.pdf", ujikom.sertifikat_pdf, name="sertifikat_pdf"),
    path("uji-kompetensi/pengelola/", ujikom.officer_home, name="officer_home"),
    path("uji-kompetensi/koperasi/<int:koperasi_pk>/", ujikom.pengelola, name="pengelola"),
    path("uji-kompetensi/pengelola/<int:pk>/", ujikom.pengelola_detail, name="pengelola_detail"),
    path("uji-kompetensi/perpanjangan/", ujikom.perpanjangan, name="perpanjangan"),
    path("uji-kompetensi/cakupan/", ujikom.cakupan, name="cakupan"),
    path("verifikasi/sertifikat/", ujikom.verifikasi, name="verifikasi_form"),
    path("verifikasi/sertifikat/<str:code>/", ujikom.verifikasi, name="verifikasi"),
]
