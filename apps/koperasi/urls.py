from django.urls import path

from apps.koperasi import views

app_name = "koperasi"
urlpatterns = [
    path("", views.koperasi_list, name="list"),
    path("<int:pk>/", views.koperasi_detail, name="detail"),
    path("<int:pk>/lapor/", views.laporan_submit, name="submit"),
    path("<int:pk>/pembubaran/mulai/", views.pembubaran_start, name="pembubaran_start"),
    path("penilaian/<int:pk>/", views.assessment_detail, name="assessment"),
    path("laporan/<int:pk>/", views.laporan_detail, name="laporan"),
    path("laporan/<int:pk>/nilai-ulang/", views.assessment_recompute, name="recompute"),
    path("tinjauan/", views.review_list, name="review_list"),
    path("saya/", views.my_reports, name="my_reports"),
    path("pembubaran/", views.pembubaran_list, name="pembubaran_list"),
    path("pembubaran/<int:pk>/<slug:langkah>/", views.pembubaran_step, name="pembubaran_step"),
    path("pembubaran/dokumen/<int:pk>/", views.pembubaran_dokumen, name="pembubaran_dokumen"),
]
