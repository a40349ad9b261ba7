from django.urls import path

from apps.pengembangan.views import award, ujikom

app_name = "pengembangan"
urlpatterns = [
    path("", ujikom.index, name="index"),
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
    path("award/", award.award_list, name="award_list"),
    path("award/kategori/baru/", award.category_create, name="award_category_create"),
    path("award/kategori/<int:pk>/", award.category_detail, name="award_category"),
    path("award/kategori/<int:pk>/mulai/", award.category_start, name="award_start"),
    path("award/kategori/<int:pk>/setujui/", award.category_approve, name="award_approve"),
    path("award/entri/<int:pk>/nilai/", award.nomination_score, name="award_score"),
    path("award/entri/<int:pk>/rincian/", award.entry_calculation, name="award_entry"),
    path("award/entri/<int:pk>/panel/", award.panel_decision, name="award_panel"),
    path("award/entri/<int:pk>/piagam.pdf", award.award_certificate, name="award_certificate"),
    path("award/pemenang/", award.winners, name="award_winners"),
    path("award/pemenang/<int:tahun>/", award.winners, name="award_winners_year"),
    path("verifikasi/piagam/<str:code>/", award.verifikasi_piagam, name="verifikasi_piagam"),
]
